import type { AttemptContext } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { composeMovedResumePrompt, composePrompt, describeWorkDone } from "./prompt";

const ctx = (attempt: number, contexts?: AttemptContext["contexts"]) =>
  ({
    session: { prompt: "do it\nSCRIPT: []" },
    attempt: { number: attempt },
    ...(contexts ? { contexts } : {}),
  }) as unknown as AttemptContext;

describe("the first prompt of an attempt", () => {
  it("is the session's prompt when there are no contexts", () => {
    expect(composePrompt(ctx(1))).toBe("do it\nSCRIPT: []");
    expect(composePrompt(ctx(1, []))).toBe("do it\nSCRIPT: []");
  });

  it("opens with the contexts and keeps the session's prompt last", () => {
    const text = composePrompt(ctx(2, [{ id: "c1", scope: "session", name: null, version: 3, data: { k: "v" } }]));
    expect(text.startsWith("Shared contexts of this session")).toBe(true);
    expect(text).toContain('[{"id":"c1","scope":"session","name":null,"version":3,"data":{"k":"v"}}]');
    expect(text.indexOf("This is attempt 2")).toBeGreaterThan(text.indexOf("orchestrator-context"));
    expect(text.endsWith("do it\nSCRIPT: []")).toBe(true);
  });
});

describe("what earlier runs did, told to a continuing agent", () => {
  const done = {
    checkpoint: { seq: 3, note: "wrote a and b" },
    stat: { files: 2, additions: 2, deletions: 0 },
    files: ["a.txt", "b.txt"],
  };

  it("names the checkpoint, the diff stat, the files and the agent's last note", () => {
    expect(describeWorkDone(done)).toBe(
      "What was already done (checkpoint 3), and is in the workspace now: 2 files changed against the base, +2 −0: a.txt, b.txt.\nYour last note before it: wrote a and b",
    );
  });

  it("says when nothing differs, and lists at most 50 files", () => {
    expect(describeWorkDone({ checkpoint: null, stat: { files: 0, additions: 0, deletions: 0 }, files: [] })).toBe(
      "What was already done, and is in the workspace now: no file differs from the base yet.",
    );
    const many = Array.from({ length: 60 }, (_, i) => `f${i}`);
    const text = describeWorkDone({
      checkpoint: { seq: 1, note: null },
      stat: { files: 60, additions: 60, deletions: 0 },
      files: many,
    });
    expect(text).toContain("f49, and 10 more.");
    expect(text).not.toContain("f50");
    expect(text).not.toContain("last note");
  });

  it("goes into a later attempt's prompt, before the session's prompt", () => {
    const text = composePrompt(ctx(2), done);
    expect(text.startsWith("This is attempt 2")).toBe(true);
    expect(text).toContain("(checkpoint 3)");
    expect(text.endsWith("do it\nSCRIPT: []")).toBe(true);
  });

  it("goes into a first attempt's prompt only when it continues work (a new conversation)", () => {
    expect(composePrompt(ctx(1), done).startsWith("This session continues here in a new conversation")).toBe(true);
  });

  it("a moved resume carries the follow-ups and ends with the session's prompt", () => {
    const moved = composeMovedResumePrompt({ ...ctx(1), continuation: "also write c" } as AttemptContext, done);
    expect(moved).toContain("Messages sent to you while the session was paused:\nalso write c");
    expect(moved).toContain("(checkpoint 3)");
    expect(moved.endsWith("do it\nSCRIPT: []")).toBe(true);
  });
});
