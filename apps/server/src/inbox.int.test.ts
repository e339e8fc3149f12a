import {
  ErrorEnvelope,
  InboxItemSchema,
  InputRequestSchema,
  pageOf,
  routes,
  SessionSchema,
  type RouteName,
} from "@industrial/contracts";
import { bearer } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixtures, type Fixtures, type Maker } from "./testing/fixtures";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { createTenantCast, type TenantCast } from "./testing/principals";
import { callRoute, type RouteRequest } from "./testing/route-request";

// The inbox API (issue 14 item 2; docs/input-requests.md §3, API) over HTTP:
// the exact shapes, filters and pages, and every refusal a reply can meet.
// Requests are recorded with the lease holder's own db function (fixtures):
// no OpenCode is needed to read and answer them. The scheduler is off, so
// running sessions stay as the fixtures leave them.

let h: TestOrchestrator;
let fx: Fixtures;
let A: TenantCast;
let B: TenantCast;
let member: Maker;
let agentId: string;
let otherAgentId: string;

beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_SCHEDULER: "off" } });
  fx = createFixtures(h.orc);
  [A, B] = await Promise.all([
    createTenantCast(h.orc.url, h.orc.db, "inbox-a"),
    createTenantCast(h.orc.url, h.orc.db, "inbox-b"),
  ]);
  member = { key: A.keys.member, tenantId: A.id };
  const admin = { key: A.keys.admin, tenantId: A.id };
  agentId = (await fx.agent(admin)).id;
  otherAgentId = (await fx.agent(admin)).id;
});
afterAll(async () => {
  fx?.remove();
  await h?.close();
});

const call = (name: RouteName, key: string, r: RouteRequest = {}) =>
  callRoute(h.orc.url, name, { ...r, headers: bearer(key) });
const inbox = async (key: string, query: Record<string, string> = {}) => {
  const a = await call("listInbox", key, { query });
  expect(a.status, a.text).toBe(200);
  return pageOf(InboxItemSchema).parse(a.json);
};
const reply = (requestId: string, body: unknown, key = A.keys.member) =>
  call("replyInputRequest", key, { params: { requestId }, body });
const errorOf = (json: unknown) => ErrorEnvelope.parse(json).error;

describe(`the inbox (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("lists the tenant's open requests oldest first in issue 14's shape, by session, agent and kind, a page at a time; viewers read it", async () => {
    const p = await fx.inputRequest(member, agentId, "permission", new Date(Date.now() + 900_000));
    const q = await fx.inputRequest(member, otherAgentId, "question");
    const p2 = await fx.inputRequest(member, agentId, "permission");
    await fx.inputRequest(
      { key: B.keys.member, tenantId: B.id },
      (await fx.agent({ key: B.keys.admin, tenantId: B.id })).id,
    );

    const all = await inbox(A.keys.viewer);
    expect(all.items.map((i) => i.id)).toEqual([p.id, q.id, p2.id]);
    expect(all).toMatchObject({ total: 3, nextCursor: null });
    const first = all.items[0]!;
    expect(Object.keys(first).sort()).toEqual([
      "agentId",
      "createdAt",
      "expiresAt",
      "id",
      "kind",
      "openCodeRequestId",
      "permission",
      "sessionId",
      "sessionTitle",
    ]);
    expect(first).toMatchObject({
      kind: "permission",
      sessionId: p.sessionId,
      agentId,
      permission: { name: "edit", patterns: ["src/app.ts"], diff: expect.stringContaining("+x") },
    });
    expect(first.openCodeRequestId).toMatch(/^per_/);
    expect(Date.parse(first.expiresAt!)).toBeGreaterThan(Date.now());
    expect(all.items[1]).toMatchObject({
      kind: "question",
      agentId: otherAgentId,
      expiresAt: null,
      questions: [
        { header: "Colour", multiple: false, custom: false },
        { header: "Extras", multiple: true, custom: true },
      ],
    });
    expect(all.items[1]).not.toHaveProperty("permission");
    const session = SessionSchema.parse(
      (await call("getSession", A.keys.viewer, { params: { id: p.sessionId } })).json,
    );
    expect(all.items[0]!.sessionTitle).toBe(session.title);

    expect((await inbox(A.keys.viewer, { sessionId: q.sessionId })).items.map((i) => i.id)).toEqual([q.id]);
    expect((await inbox(A.keys.viewer, { agentId })).items.map((i) => i.id)).toEqual([p.id, p2.id]);
    expect((await inbox(A.keys.viewer, { kind: "question" })).items.map((i) => i.id)).toEqual([q.id]);
    expect((await inbox(A.keys.viewer, { kind: "permission", agentId: otherAgentId })).total).toBe(0);

    const one = await inbox(A.keys.viewer, { limit: "2" });
    expect(one).toMatchObject({ total: 3, items: [{ id: p.id }, { id: q.id }] });
    const two = await inbox(A.keys.viewer, { limit: "2", cursor: one.nextCursor! });
    expect(two).toMatchObject({ total: 3, nextCursor: null, items: [{ id: p2.id }] });

    const bad = await call("listInbox", A.keys.viewer, { query: { kind: "telepathy", cursor: "nope" } });
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json).details?.map((d) => d.path)).toEqual(["query.kind"]);
    expect(errorOf((await call("listInbox", A.keys.viewer, { query: { cursor: "nope" } })).json).details).toEqual([
      { path: "query.cursor", reason: expect.any(String) },
    ]);
  });

  it("answers a permission once: 200 with the request, its reply and who gave it; the session view and the log follow", async () => {
    const p = await fx.inputRequest(member, agentId);
    const before = SessionSchema.parse((await call("getSession", A.keys.viewer, { params: { id: p.sessionId } })).json);
    expect(before.pendingInput.map((i) => i.id)).toEqual([p.id]);
    const listed = pageOf(SessionSchema).parse(
      (await call("listSessions", A.keys.viewer, { query: { status: "running" } })).json,
    );
    expect(listed.items.find((s) => s.id === p.sessionId)?.pendingInput.map((i) => i.id)).toEqual([p.id]);

    const a = await reply(p.id, { reply: "once", message: "go ahead" });
    expect(a.status, a.text).toBe(200);
    const answered = InputRequestSchema.parse(a.json);
    expect(answered).toMatchObject({
      id: p.id,
      kind: "permission",
      sessionId: p.sessionId,
      status: "answered",
      reply: { reply: "once", message: "go ahead" },
      answeredBy: { actor: `key:${A.keyIds.member}`, keyId: A.keyIds.member, userId: null },
    });
    expect(answered.resolvedAt).not.toBeNull();

    expect((await inbox(A.keys.viewer, { sessionId: p.sessionId })).total).toBe(0);
    const after = SessionSchema.parse((await call("getSession", A.keys.viewer, { params: { id: p.sessionId } })).json);
    expect(after.pendingInput).toEqual([]);
    const events = (await call("sessionEvents", A.keys.viewer, { params: { id: p.sessionId } })).json as {
      items: { type: string; payload: unknown; requestId?: string | null }[];
    };
    const [requested, replied] = events.items.filter((e) => e.type.startsWith("session.input_"));
    expect(requested).toMatchObject({ type: "session.input_requested", payload: { id: p.id, kind: "permission" } });
    expect(replied).toMatchObject({
      type: "session.input_replied",
      payload: {
        requestId: p.id,
        kind: "permission",
        outcome: "answered",
        actor: { keyId: A.keyIds.member },
        reply: { reply: "once" },
      },
    });
    expect(replied!.requestId).toBe(a.headers.get("x-request-id"));
  });

  it("answers a question with one array per question, or rejects it", async () => {
    const q = await fx.inputRequest(member, agentId, "question");
    const a = await reply(q.id, { answers: [["blue"], ["tests", "also a changelog"]] });
    expect(a.status, a.text).toBe(200);
    expect(InputRequestSchema.parse(a.json)).toMatchObject({
      status: "answered",
      reply: { answers: [["blue"], ["tests", "also a changelog"]] },
    });
    const r = await fx.inputRequest(member, agentId, "question");
    const rejected = await reply(r.id, { reject: true });
    expect(rejected.status, rejected.text).toBe(200);
    expect(InputRequestSchema.parse(rejected.json)).toMatchObject({ status: "rejected", reply: { reject: true } });
  });

  it("409 once the request is no longer open, with its status in the context", async () => {
    const p = await fx.inputRequest(member, agentId);
    expect((await reply(p.id, { reply: "reject", message: "not that file" })).status).toBe(200);
    const again = await reply(p.id, { reply: "once" }, A.keys.lead);
    expect(again.status).toBe(409);
    expect(errorOf(again.json)).toMatchObject({
      code: "CONFLICT",
      context: { requestId: p.id, status: "rejected", answeredBy: { keyId: A.keyIds.member } },
    });
  });

  it("400 naming the field when the reply does not fit the request, or the body is not a reply at all", async () => {
    const q = await fx.inputRequest(member, agentId, "question");
    const p = await fx.inputRequest(member, agentId);
    const paths = async (requestId: string, body: unknown) => {
      const a = await reply(requestId, body);
      expect(a.status, a.text).toBe(400);
      const e = errorOf(a.json);
      expect(e.code).toBe("INVALID_INPUT");
      return e.details?.map((d) => d.path);
    };
    expect(await paths(q.id, { answers: [["purple"], []] })).toEqual(["body.answers.0.0", "body.answers.1"]);
    expect(await paths(q.id, { answers: [["red", "blue"], ["docs"]] })).toEqual(["body.answers.0"]);
    expect(await paths(q.id, { answers: [["red"]] })).toEqual(["body.answers"]);
    expect(await paths(q.id, { answers: [["red"], ["docs", 5]] })).toEqual(["body.answers.1.1"]);
    expect(await paths(q.id, { reply: "once" })).toEqual(["body.reply"]);
    expect(await paths(q.id, { reject: false })).toEqual(["body.reject"]);
    expect(await paths(p.id, { answers: [["red"]] })).toEqual(["body.answers", "body.reply"]);
    expect(await paths(p.id, { reply: "sometimes" })).toEqual(["body.reply"]);
    expect(await paths(p.id, { reply: "once", colour: "red" })).toEqual(["body.colour"]);
    expect(await paths(p.id, {})).toEqual(["body"]);
    // None of it was written: both are still open and answerable.
    expect((await inbox(A.keys.viewer, { sessionId: q.sessionId })).items.map((i) => i.id)).toEqual([q.id]);
    expect((await reply(p.id, { reply: "always" })).status).toBe(200);
  });

  it("403 unless the caller may control the session; 404 for another tenant's request or none; 400 for a bad id", async () => {
    const p = await fx.inputRequest(member, agentId);
    const viewer = await reply(p.id, { reply: "once" }, A.keys.viewer);
    expect(viewer.status).toBe(403);
    const other = await reply(p.id, { reply: "once" }, A.otherMember);
    expect(other.status).toBe(403);
    expect(errorOf(other.json).message).toContain("created by someone else");
    expect((await reply(p.id, { reply: "once" }, B.keys.admin)).status).toBe(404);
    expect((await reply(crypto.randomUUID(), { reply: "once" }, A.keys.admin)).status).toBe(404);
    const bad = await reply("not-a-uuid", { reply: "once" }, A.keys.admin);
    expect(bad.status).toBe(400);
    expect(errorOf(bad.json).details?.map((d) => d.path)).toEqual(["params.requestId"]);
    // A lead answers any of the tenant's.
    expect((await reply(p.id, { reply: "once" }, A.keys.lead)).status).toBe(200);
  });

  it("is in the catalogue the OpenAPI document is built from", () => {
    expect(routes.listInbox.path).toBe("/api/v1/inbox");
    expect(routes.replyInputRequest.path).toBe("/api/v1/inbox/:requestId/reply");
  });
});
