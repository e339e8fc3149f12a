import { addTokens, emptyTokenTotals, emptyUsage, type AttemptUsage, type ModelUsage } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { parseOcMessages } from "./opencode-events";
import { usageOfMessages } from "./translate";

// usageOfMessages over OpenCode's message shapes (GET /session/{id}/message):
// after a model fallback one OpenCode session holds the assistant messages of
// two models (docs/input-requests.md §3, Model fallback).

let n = 0;
function assistant(
  model: string | null,
  tokens: { input: number; output: number; reasoning?: number; read?: number; write?: number } | null,
  cost: number,
  extra: Record<string, unknown> = {},
) {
  const [providerID, modelID] = model ? model.split("/") : [undefined, undefined];
  const id = `msg_${++n}`;
  return {
    info: {
      id,
      sessionID: "ses_1",
      role: "assistant",
      cost,
      time: { created: n, completed: n + 1 },
      ...(providerID ? { providerID, modelID } : {}),
      ...(tokens
        ? {
            tokens: {
              input: tokens.input,
              output: tokens.output,
              reasoning: tokens.reasoning ?? 0,
              cache: { read: tokens.read ?? 0, write: tokens.write ?? 0 },
            },
          }
        : {}),
      ...extra,
    },
    parts: [],
  };
}
const user = () => ({
  info: { id: `msg_${++n}`, sessionID: "ses_1", role: "user" },
  parts: [{ id: `prt_${n}`, type: "text", sessionID: "ses_1", messageID: `msg_${n}`, text: "go" }],
});
const tool = (name: string, status: string) => ({
  id: `prt_${++n}`,
  type: "tool",
  sessionID: "ses_1",
  messageID: "m",
  tool: name,
  callID: `call_${n}`,
  state: { status },
});

/** The per-model shares added up: what the totals must be. */
function sumOf(byModel: Record<string, ModelUsage>) {
  return Object.values(byModel).reduce(
    (acc, u) => ({
      tokens: addTokens(acc.tokens, u.tokens),
      costUsd: acc.costUsd + u.costUsd,
      modelCalls: acc.modelCalls + u.modelCalls,
    }),
    { tokens: emptyTokenTotals(), costUsd: 0, modelCalls: 0 },
  );
}
const totalsOf = (u: AttemptUsage) => ({ tokens: u.tokens, costUsd: u.costUsd, modelCalls: u.modelCalls });

describe("usageOfMessages: an attempt's usage, by model", () => {
  it("two models in one OpenCode session (a fallback): two entries whose sums are the totals", () => {
    const messages = parseOcMessages([
      user(),
      // The first model's provider failed: an errored message with nothing used.
      assistant("scripted/scripted-unavailable", null, 0, { error: { name: "APIError", data: { statusCode: 429 } } }),
      user(),
      assistant("scripted/scripted-model", { input: 100, output: 20, read: 5 }, 0.25),
      {
        ...assistant("scripted/scripted-model", { input: 130, output: 7, reasoning: 3, write: 2 }, 0.5),
        parts: [tool("write", "completed")],
      },
    ]);
    const usage = usageOfMessages(messages, emptyUsage());
    expect(usage.byModel).toEqual({
      "scripted/scripted-unavailable": { tokens: emptyTokenTotals(), costUsd: 0, modelCalls: 1 },
      "scripted/scripted-model": {
        tokens: { input: 230, output: 27, reasoning: 3, cacheRead: 5, cacheWrite: 2 },
        costUsd: 0.75,
        modelCalls: 2,
      },
    });
    expect(sumOf(usage.byModel!)).toEqual(totalsOf(usage));
    expect(usage.modelCalls).toBe(3);
    expect(usage.toolCalls).toEqual({ write: 1 });
  });

  it("one model: one entry equal to the totals", () => {
    const usage = usageOfMessages(
      parseOcMessages([
        user(),
        assistant("anthropic/claude", { input: 10, output: 2 }, 0.01),
        assistant("anthropic/claude", { input: 12, output: 3 }, 0.02),
      ]),
      emptyUsage(),
    );
    expect(Object.keys(usage.byModel!)).toEqual(["anthropic/claude"]);
    expect(usage.byModel!["anthropic/claude"]).toEqual(totalsOf(usage));
  });

  it("a paused attempt resumed in a new OpenCode session keeps the old session's shares and adds the new one's", () => {
    const before = usageOfMessages(parseOcMessages([assistant("a/one", { input: 10, output: 1 }, 0.1)]), emptyUsage());
    const usage = usageOfMessages(
      parseOcMessages([
        assistant("a/one", { input: 5, output: 1 }, 0.05),
        assistant("b/two", { input: 7, output: 2 }, 0.2),
      ]),
      before,
    );
    expect(usage.byModel!["a/one"]).toMatchObject({ modelCalls: 2, tokens: { input: 15, output: 2 } });
    expect(usage.byModel!["a/one"]!.costUsd).toBeCloseTo(0.15, 12);
    expect(usage.byModel!["b/two"]).toMatchObject({ modelCalls: 1, costUsd: 0.2 });
    expect(sumOf(usage.byModel!)).toEqual(totalsOf(usage));
    // The base is not changed in place.
    expect(before.byModel!["a/one"]!.modelCalls).toBe(1);
  });

  it("a base stored before models were told apart (no byModel): the totals keep it, byModel holds what is counted from now on", () => {
    const { byModel: _, ...old } = {
      ...emptyUsage(),
      tokens: { ...emptyTokenTotals(), input: 50 },
      costUsd: 1,
      modelCalls: 4,
    };
    const usage = usageOfMessages(parseOcMessages([assistant("a/one", { input: 5, output: 1 }, 0.5)]), old);
    expect(usage).toMatchObject({ costUsd: 1.5, modelCalls: 5, tokens: { input: 55, output: 1 } });
    expect(usage.byModel).toEqual({
      "a/one": {
        tokens: { input: 5, output: 1, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
        costUsd: 0.5,
        modelCalls: 1,
      },
    });
  });

  it('a message that names no model counts under "unknown"', () => {
    const usage = usageOfMessages(parseOcMessages([assistant(null, { input: 1, output: 1 }, 0)]), emptyUsage());
    expect(Object.keys(usage.byModel!)).toEqual(["unknown"]);
    expect(sumOf(usage.byModel!)).toEqual(totalsOf(usage));
  });

  it("no assistant message: nothing by model", () => {
    expect(usageOfMessages(parseOcMessages([user()]), emptyUsage()).byModel).toEqual({});
  });
});
