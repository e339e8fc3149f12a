import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { createColors } from "./colors";
import { formatEvent, lastActivity } from "./event";

const plain = createColors(false);
const at = { sessionId: "9371ba73-ff30-47f3-8d8c-25a075dbabe1", attempt: 1, ts: "2026-11-22T03:23:35.545Z" };
const ev = (seq: number, e: Pick<SessionEvent, "type" | "payload">): SessionEvent =>
  ({ ...at, seq, ...e }) as SessionEvent;
const body = (e: SessionEvent) => formatEvent(e, plain).slice("03:23:35 #7    ".length);

describe("formatEvent", () => {
  it("starts every line with the UTC time and the seq", () => {
    expect(
      formatEvent(ev(7, { type: "session.log", payload: { level: "info", text: "hi", source: "assistant" } }), plain),
    ).toBe("03:23:35 #7    log        [assistant] hi");
  });

  it("formats each event type on one line", () => {
    expect(
      body(ev(1, { type: "session.created", payload: { title: "Say hi", priority: "medium", type: "execution" } })),
    ).toBe('created    "Say hi" (execution, priority medium)');
    expect(
      body(
        ev(2, {
          type: "session.status_changed",
          payload: { from: "queued", to: "running", reason: "dispatched\nto default" },
        }),
      ),
    ).toBe("status     queued → running  dispatched ↵ to default");
    expect(
      body(
        ev(3, {
          type: "session.attempt",
          payload: {
            attempt: 2,
            agentId: "86a2012d-ce2d",
            runnerId: null,
            openCodeSessionId: null,
            action: "resumed",
            replica: "r1",
          },
        }),
      ),
    ).toBe("attempt    #2 resumed (agent 86a2012d)");
    expect(
      body(
        ev(4, {
          type: "session.tool",
          payload: { callId: "c", tool: "write", status: "completed", title: "hello.txt", input: null, output: null },
        }),
      ),
    ).toBe("tool       write completed hello.txt");
    expect(
      body(
        ev(5, {
          type: "session.tool",
          payload: { callId: "c", tool: "bash", status: "error", title: null, input: "ls /x", output: "No such file" },
        }),
      ),
    ).toBe("tool       bash error ls /x  No such file");
    expect(body(ev(6, { type: "session.file_edited", payload: { path: "a.ts", added: 3, removed: 1 } }))).toBe(
      "edit       a.ts +3 −1",
    );
    expect(
      body(
        ev(7, {
          type: "session.tokens",
          payload: { totals: { input: 4900, output: 19, reasoning: 0, cacheRead: 1200, cacheWrite: 0 }, cost: 0.0049 },
        }),
      ),
    ).toBe("tokens     in 4.9k, out 19, reasoning 0, cache 1.2kr/0w · $0.0049");
    expect(
      body(
        ev(8, {
          type: "session.checkpoint",
          payload: { seq: 2, hash: "4f44c162c8a8ffff", trigger: "step", gitCommit: "dcde5614abcdef" },
        }),
      ),
    ).toBe("checkpoint #2 step (hash 4f44c162c8a8, commit dcde5614)");
    expect(body(ev(9, { type: "session.restored", payload: { seq: 1, gitCommit: null } }))).toBe(
      "restored   to checkpoint #1",
    );
    expect(
      body(
        ev(10, {
          type: "session.todo",
          payload: {
            todos: [
              { content: "a", status: "completed", priority: "high" },
              { content: "b", status: "in_progress", priority: "high" },
            ],
          },
        }),
      ),
    ).toBe("todo       1/2 done · now: b");
    expect(
      body(
        ev(11, {
          type: "session.model_switched",
          payload: { from: "scripted/scripted-unavailable", to: "scripted/scripted-model", reason: "unavailable" },
        }),
      ),
    ).toBe("model      switched scripted/scripted-unavailable → scripted/scripted-model (unavailable)");
  });

  it("highlights an input request with the command that answers it", () => {
    const id = "5d7c2f0e-7a51-4c1e-9b3f-2a4d6e8f0a1b";
    const item = {
      id,
      openCodeRequestId: "per_1",
      sessionId: at.sessionId,
      sessionTitle: "t",
      agentId: "a",
      createdAt: at.ts,
      expiresAt: null,
    };
    const permission = ev(12, {
      type: "session.input_requested",
      payload: {
        ...item,
        kind: "permission",
        permission: { name: "bash", patterns: ["npm test"], command: "npm test" },
      },
    });
    expect(body(permission)).toBe(
      `input      ▶ permission waits for an answer: bash: npm test  → orchestrator reply ${id} once|always|reject`,
    );
    const questions = [
      {
        question: "Which colour?",
        header: "Colour",
        options: [{ label: "Blue", description: "" }],
        multiple: false,
        custom: false,
      },
    ];
    expect(body(ev(13, { type: "session.input_requested", payload: { ...item, kind: "question", questions } }))).toBe(
      `input      ▶ question waits for an answer: Colour: Which colour?  → orchestrator answer ${id} "<Colour>"`,
    );
    const c = createColors(true);
    expect(formatEvent(permission, c)).toContain(c.bold(c.yellow("▶ permission waits for an answer:")));
  });

  it("colours failures when colour is on", () => {
    const c = createColors(true);
    const line = formatEvent(
      ev(4, { type: "session.log", payload: { level: "error", text: "boom", source: "orchestrator" } }),
      c,
    );
    expect(line).toContain(c.red("boom"));
  });
});

describe("lastActivity", () => {
  it("is the latest log line or tool call", () => {
    const events = [
      ev(1, { type: "session.log", payload: { level: "info", text: "first", source: "assistant" } }),
      ev(2, {
        type: "session.tool",
        payload: { callId: "c", tool: "write", status: "running", title: "hello.txt", input: null, output: null },
      }),
      ev(3, {
        type: "session.tokens",
        payload: { totals: { input: 1, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 0 },
      }),
    ];
    expect(lastActivity(events)).toBe("write running hello.txt");
    expect(lastActivity(events.slice(0, 1))).toBe("first");
    expect(lastActivity([])).toBeNull();
  });
});
