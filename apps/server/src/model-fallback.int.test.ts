import { addTokens, emptyTokenTotals, type ModelUsage, type SessionEvent } from "@industrial/core";
import { latestAttempt } from "@industrial/db";
import { parsePrometheusText, promValue } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// Model fallback on the real OpenCode binary (issue 14 item 5; docs/input-requests.md §3):
// `scripted-unavailable` answers every call 429, `scripted-overloaded` 503. Past
// ORCHESTRATOR_PROVIDER_RETRIES (1 in tests) the attempt moves to the agent's next
// fallback model and goes on in the same OpenCode session; with none left it fails
// PROVIDER_UNAVAILABLE, retryable, as without fallbacks (provider-trouble.int.test.ts).
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

const switches = (events: readonly SessionEvent[]) =>
  events.flatMap((e) => (e.type === "session.model_switched" ? [e.payload] : []));
const fallbacks = async () => {
  const res = await fetch(`${h.orc.url}/metrics`);
  return parsePrometheusText(await res.text());
};

async function run(name: string, model: string, fallbackModels: string[]) {
  const agent = await h.api.call("createAgent", { body: { name, type: "implementer", model, fallbackModels } });
  const s = await h.api.call("createSession", {
    body: {
      prompt: scripted(`write ${name}.txt`, [
        { tool: "write", input: { filePath: `${name}.txt`, content: "written on the fallback\n" } },
        { text: `${name}: done` },
      ]),
      preferredAgentId: agent.id,
      retry: { maxAttempts: 1 },
    },
  });
  const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 150_000);
  return { agent, done, events: await allEvents(h.api, s.id) };
}

/** Per-model shares added up: what the totals must be. */
const sumOf = (byModel: Record<string, ModelUsage>) =>
  Object.values(byModel).reduce(
    (acc, u) => ({
      tokens: addTokens(acc.tokens, u.tokens),
      costUsd: acc.costUsd + u.costUsd,
      modelCalls: acc.modelCalls + u.modelCalls,
    }),
    {
      tokens: emptyTokenTotals(),
      costUsd: 0,
      modelCalls: 0,
    },
  );

describe(`a model whose provider keeps failing, with fallback models (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("scripted-unavailable (429) → scripted-model: the session completes on the fallback, the switch in the log and the metric", async () => {
    const { agent, done, events } = await run("falls-back", "scripted/scripted-unavailable", [
      "scripted/scripted-model",
    ]);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    expect(done.attempt).toBe(1);
    expect(done.result?.summary).toContain("falls-back: done");
    expect(done.result?.filesChanged).toEqual(["falls-back.txt"]);
    expect(switches(events)).toEqual([
      { from: "scripted/scripted-unavailable", to: "scripted/scripted-model", reason: "unavailable" },
    ]);
    // The fallback ran the whole script, in the same OpenCode session: its write came after the switch.
    const switchEvent = events.find((e) => e.type === "session.model_switched")!;
    const switchSeq = switchEvent.seq;
    const write = events.find(
      (e) => e.type === "session.tool" && e.payload.tool === "write" && e.payload.status === "completed",
    );
    expect(write?.seq).toBeGreaterThan(switchSeq);
    expect(
      new Set(events.flatMap((e) => (e.type === "session.attempt" ? [e.payload.openCodeSessionId] : []))).size,
    ).toBeLessThanOrEqual(1);
    const samples = await fallbacks();
    expect(
      promValue(samples, "orchestrator_model_fallbacks_total", {
        from: "scripted/scripted-unavailable",
        to: "scripted/scripted-model",
        reason: "unavailable",
      }),
    ).toBe(1);
    // Tokens per model: the fallback wrote the answer, the failing model used nothing (its calls were refused).
    const attempt = (await latestAttempt(h.orc.db, done.tenantId, done.id))!;
    const usage = attempt.usage!;
    const byModel = usage.byModel!;
    expect(Object.keys(byModel).sort()).toEqual(["scripted/scripted-model", "scripted/scripted-unavailable"]);
    expect(byModel["scripted/scripted-model"]!.tokens.output).toBeGreaterThan(0);
    expect(byModel["scripted/scripted-model"]!.modelCalls).toBeGreaterThanOrEqual(2);
    expect(byModel["scripted/scripted-unavailable"]!.tokens).toEqual(emptyTokenTotals());
    expect(byModel["scripted/scripted-unavailable"]!.costUsd).toBe(0);
    const sum = sumOf(byModel);
    expect(sum.tokens).toEqual(usage.tokens);
    expect(sum.modelCalls).toBe(usage.modelCalls);
    expect(sum.costUsd).toBeCloseTo(usage.costUsd, 12);
    // The session view says the same (its only attempt).
    expect(done.metrics.byModel).toEqual(byModel);
    // The agent's per-model cost (routing's cost score, core model-cost.ts): the model left is stamped, not priced; the fallback is.
    const { costByModel } = await h.api.call("getAgent", { params: { id: agent.id } });
    expect(costByModel["scripted/scripted-unavailable"]).toMatchObject({ attempts: 0, avgCostUsd: 0 });
    expect(Date.parse(costByModel["scripted/scripted-unavailable"]!.switchedAwayAt!)).toBeGreaterThanOrEqual(
      Date.parse(switchEvent.ts),
    );
    expect(costByModel["scripted/scripted-model"]).toEqual({
      attempts: 1,
      avgCostUsd: byModel["scripted/scripted-model"]!.costUsd,
      switchedAwayAt: null,
    });
  }, 180_000);

  it("scripted-overloaded (503) → scripted-model-large: completes on the fallback too", async () => {
    const { done, events } = await run("overloaded", "scripted/scripted-overloaded", ["scripted/scripted-model-large"]);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    expect(done.result?.summary).toContain("overloaded: done");
    expect(switches(events)).toEqual([
      { from: "scripted/scripted-overloaded", to: "scripted/scripted-model-large", reason: "unavailable" },
    ]);
    expect(
      promValue(await fallbacks(), "orchestrator_model_fallbacks_total", {
        from: "scripted/scripted-overloaded",
        to: "scripted/scripted-model-large",
      }),
    ).toBe(1);
  }, 180_000);

  it("every model failing: one switch per fallback, then PROVIDER_UNAVAILABLE, retryable, as without fallbacks", async () => {
    const { done, events } = await run("all-failing", "scripted/scripted-unavailable", [
      "scripted/scripted-overloaded",
      "openai/not-configured",
    ]);
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", retryable: true });
    expect(switches(events)).toEqual([
      { from: "scripted/scripted-unavailable", to: "scripted/scripted-overloaded", reason: "unavailable" },
    ]);
    // A fallback OpenCode does not offer is left out, saying so.
    expect(
      events.some(
        (e) =>
          e.type === "session.log" &&
          e.payload.text === "fallback model openai/not-configured not configured in OpenCode: left out",
      ),
    ).toBe(true);
    expect(events.some((e) => e.type === "session.tool")).toBe(false);
  }, 180_000);

  it("an agent without fallback models fails PROVIDER_UNAVAILABLE, retryable, and switches nothing", async () => {
    const { done, events } = await run("no-fallback", "scripted/scripted-unavailable", []);
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", retryable: true });
    expect(switches(events)).toEqual([]);
  }, 180_000);
});
