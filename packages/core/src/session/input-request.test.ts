import { describe, expect, it } from "vitest";
import { ROLES } from "../access/access";
import {
  canAnswer,
  checkInputReply,
  computeExpiryReply,
  computeInboxItem,
  computeInputExpiry,
  computeInputReply,
  computeInputRequestView,
  decideInputClose,
  INPUT_CLOSE_REASONS,
  type InputAsk,
  type InputRequest,
  type QuestionInfo,
} from "./input-request";

const permission: InputAsk = { kind: "permission", payload: { name: "edit", patterns: ["src/a.ts"], diff: "+x" } };
const q = (over: Partial<QuestionInfo> = {}): QuestionInfo => ({
  question: "Which colour?",
  header: "Colour",
  options: [
    { label: "red", description: "warm" },
    { label: "blue", description: "cold" },
    { label: "green", description: "grassy" },
  ],
  multiple: false,
  custom: false,
  ...over,
});
const question = (...questions: QuestionInfo[]): InputAsk => ({ kind: "question", payload: { questions } });

describe("computeInputExpiry", () => {
  const at = new Date("2026-03-29T12:00:00.000Z");
  it("is the timeout after creation, and never for 0", () => {
    expect(computeInputExpiry(at, 900)?.toISOString()).toBe("2026-03-29T12:15:00.000Z");
    expect(computeInputExpiry(at, 1)?.toISOString()).toBe("2026-03-29T12:00:01.000Z");
    expect(computeInputExpiry(at, 0)).toBeNull();
  });
});

describe("canAnswer", () => {
  const member = { role: "member" as const, keyId: "k1", userId: null };
  it("lets whoever controls the session answer: its creator as member, any lead or admin; never a viewer", () => {
    expect(canAnswer(member, "key:k1")).toBe(true);
    expect(canAnswer(member, "key:k2")).toBe(false);
    expect(canAnswer(member, null)).toBe(false);
    expect(canAnswer({ ...member, userId: "u1" }, "user:u1")).toBe(true);
    expect(canAnswer({ ...member, userId: "u1" }, "key:k1")).toBe(false);
    for (const role of ROLES)
      expect(canAnswer({ role, keyId: "k9", userId: null }, "key:someone-else"), role).toBe(
        role === "lead" || role === "admin",
      );
    expect(canAnswer({ role: "viewer", keyId: "k1", userId: null }, "key:k1")).toBe(false);
  });
});

describe("checkInputReply: a permission", () => {
  it("takes reply once, always or reject, with an optional message", () => {
    for (const reply of ["once", "always", "reject"] as const)
      expect(checkInputReply(permission, { reply })).toEqual([]);
    expect(checkInputReply(permission, { reply: "reject", message: "not that file" })).toEqual([]);
  });
  it("names reply when it is missing, and refuses a question's fields", () => {
    expect(checkInputReply(permission, {})).toEqual([
      { path: "body.reply", reason: expect.stringContaining("required") },
    ]);
    expect(checkInputReply(permission, { answers: [["red"]] }).map((i) => i.path)).toEqual([
      "body.answers",
      "body.reply",
    ]);
    expect(checkInputReply(permission, { reply: "once", reject: true }).map((i) => i.path)).toEqual(["body.reject"]);
  });
});

describe("checkInputReply: a question", () => {
  it("takes one array of labels per question, in order, or reject: true", () => {
    expect(checkInputReply(question(q(), q()), { answers: [["red"], ["blue"]] })).toEqual([]);
    expect(checkInputReply(question(q()), { reject: true })).toEqual([]);
  });
  it("refuses a permission's fields, a false reject, and both answers and reject", () => {
    expect(checkInputReply(question(q()), { reply: "once" }).map((i) => i.path)).toEqual(["body.reply"]);
    expect(checkInputReply(question(q()), { answers: [["red"]], message: "hi" }).map((i) => i.path)).toEqual([
      "body.message",
    ]);
    expect(checkInputReply(question(q()), { reject: false }).map((i) => i.path)).toEqual(["body.reject"]);
    expect(checkInputReply(question(q()), { reject: true, answers: [["red"]] }).map((i) => i.path)).toEqual([
      "body.reject",
    ]);
  });
  it("needs answers, one per question", () => {
    expect(checkInputReply(question(q()), {})).toEqual([
      { path: "body.answers", reason: expect.stringContaining("required") },
    ]);
    expect(checkInputReply(question(q(), q()), { answers: [["red"]] })).toEqual([
      { path: "body.answers", reason: "expected 2 answers (one per question, in order), got 1" },
    ]);
    expect(checkInputReply(question(q()), { answers: [["red"], ["blue"]] })).toEqual([
      { path: "body.answers", reason: "expected 1 answer (one per question, in order), got 2" },
    ]);
  });
  it("names the answer that does not fit its question: empty, several for a single choice, not a label, twice", () => {
    const two = question(q(), q({ multiple: true }));
    expect(checkInputReply(two, { answers: [[], ["red"]] })).toEqual([
      { path: "body.answers.0", reason: "choose at least one answer" },
    ]);
    expect(checkInputReply(two, { answers: [["red", "blue"], ["red"]] })).toEqual([
      { path: "body.answers.0", reason: "this question takes one answer, got 2" },
    ]);
    expect(checkInputReply(two, { answers: [["red"], ["red", "purple"]] })).toEqual([
      { path: "body.answers.1.1", reason: expect.stringContaining("not one of the options (red, blue, green)") },
    ]);
    expect(checkInputReply(two, { answers: [["red"], ["blue", "blue"]] })).toEqual([
      { path: "body.answers.1.1", reason: "chosen twice" },
    ]);
    expect(checkInputReply(two, { answers: [["red"], ["blue", "green", "red"]] })).toEqual([]);
  });
  it("takes free text where the question allows it, but not blank", () => {
    const custom = question(q({ custom: true }));
    expect(checkInputReply(custom, { answers: [["teal, please"]] })).toEqual([]);
    expect(checkInputReply(custom, { answers: [["  "]] })).toEqual([
      { path: "body.answers.0.0", reason: "must not be blank" },
    ]);
    expect(checkInputReply(question(q()), { answers: [["teal"]] }).map((i) => i.path)).toEqual(["body.answers.0.0"]);
  });
  it("reports every question's problem at once", () => {
    const three = question(q(), q(), q({ multiple: true }));
    expect(checkInputReply(three, { answers: [["x"], ["red"], []] }).map((i) => i.path)).toEqual([
      "body.answers.0.0",
      "body.answers.2",
    ]);
  });
});

describe("computeInputReply", () => {
  it("answers or rejects a permission by its reply, keeping the message", () => {
    expect(computeInputReply(permission, { reply: "once" })).toEqual({ status: "answered", reply: { reply: "once" } });
    expect(computeInputReply(permission, { reply: "always" })).toEqual({
      status: "answered",
      reply: { reply: "always" },
    });
    expect(computeInputReply(permission, { reply: "reject", message: "no" })).toEqual({
      status: "rejected",
      reply: { reply: "reject", message: "no" },
    });
  });
  it("answers a question with its answers, or rejects it", () => {
    expect(computeInputReply(question(q()), { answers: [["red"]] })).toEqual({
      status: "answered",
      reply: { answers: [["red"]] },
    });
    expect(computeInputReply(question(q()), { reject: true })).toEqual({ status: "rejected", reply: { reject: true } });
  });
});

describe("decideInputClose", () => {
  it("expires on a timeout and cancels for every other reason, each with its own message", () => {
    const decisions = INPUT_CLOSE_REASONS.map((r) => [r, decideInputClose(r).status]);
    expect(decisions).toEqual([
      ["timeout", "expired"],
      ["paused", "cancelled"],
      ["stopped", "cancelled"],
      ["cancelled", "cancelled"],
      ["restarted", "cancelled"],
    ]);
    const messages = INPUT_CLOSE_REASONS.map((r) => decideInputClose(r).message);
    expect(new Set(messages).size).toBe(messages.length);
    expect(decideInputClose("restarted").message).toContain("asks again");
  });
  it("gives the reject an expired request is answered with: a permission's carries the timeout's message", () => {
    expect(computeExpiryReply("permission")).toEqual({ reply: "reject", message: decideInputClose("timeout").message });
    expect(computeExpiryReply("question")).toEqual({ reject: true });
  });
});

describe("computeInboxItem and computeInputRequestView", () => {
  const row = {
    id: "r1",
    tenantId: "t1",
    sessionId: "s1",
    attempt: 2,
    agentId: "a1",
    openCodeRequestId: "per_1",
    openCodeSessionId: "ses_1",
    status: "open",
    reply: null,
    answeredBy: null,
    createdAt: "2026-03-29T12:00:00.000Z",
    expiresAt: null,
    resolvedAt: null,
    deliveredAt: null,
  } as const;
  it("shows a permission under permission and a question's questions under questions, nothing internal", () => {
    const p: InputRequest = { ...row, ...permission } as InputRequest;
    expect(computeInboxItem(p, "Fix it")).toEqual({
      id: "r1",
      openCodeRequestId: "per_1",
      kind: "permission",
      sessionId: "s1",
      sessionTitle: "Fix it",
      agentId: "a1",
      createdAt: row.createdAt,
      expiresAt: null,
      permission: { name: "edit", patterns: ["src/a.ts"], diff: "+x" },
    });
    const qq: InputRequest = { ...row, ...question(q()) } as InputRequest;
    expect(computeInboxItem(qq, "Fix it")).toMatchObject({ kind: "question", questions: [q()] });
    expect(computeInboxItem(qq, "Fix it")).not.toHaveProperty("permission");
    const answered = {
      ...p,
      status: "answered",
      reply: { reply: "once" },
      answeredBy: { actor: "key:k", keyId: "k", userId: null },
      resolvedAt: row.createdAt,
    } as InputRequest;
    expect(computeInputRequestView(answered, "Fix it")).toMatchObject({
      status: "answered",
      reply: { reply: "once" },
      answeredBy: { actor: "key:k" },
      resolvedAt: row.createdAt,
    });
  });
});
