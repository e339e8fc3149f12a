import { describe, expect, it } from "vitest";
import { emptyAgentStats, type Agent } from "./agent";
import {
  computeExpectedCost,
  computeExpectedModel,
  MODEL_SWITCH_COOLDOWN_SECONDS,
  recordModelCosts,
} from "./model-cost";
import type { CostByModel, ModelUsage } from "../session/model-usage";
import { computeRoute, type RoutingCandidate } from "./routing";
import { routingCandidate } from "./testing/routing-candidate";
import { emptyTokenTotals } from "../session/session";
import { UNKNOWN_MODEL } from "../session/usage";

const NOW = new Date("2026-12-06T12:00:00.000Z");
const COOLDOWN_MS = MODEL_SWITCH_COOLDOWN_SECONDS * 1000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const used = (costUsd: number): ModelUsage => ({
  tokens: { ...emptyTokenTotals(), input: 10 },
  costUsd,
  modelCalls: 1,
});
const rec = (attempts: number, avgCostUsd: number, switchedAwayAt: string | null = null) => ({
  attempts,
  avgCostUsd,
  switchedAwayAt,
});

type Priced = Pick<Agent, "model" | "fallbackModels" | "costByModel" | "stats">;
const agent = (over: Partial<Priced> = {}): Priced => ({
  model: "p/first",
  fallbackModels: ["p/second", "p/third"],
  costByModel: {},
  stats: { ...emptyAgentStats(), avgCostUsd: 0.5 },
  ...over,
});

describe("recordModelCosts: an ended attempt folded into its agent's per-model record", () => {
  it("a success on one model: one attempt at its cost", () => {
    expect(
      recordModelCosts({}, { verdict: "success", byModel: { "p/first": used(0.2) }, switchedAway: [], now: NOW }),
    ).toEqual({ "p/first": rec(1, 0.2) });
  });

  it("the mean runs over the model's attempts; a failure counts as a success does", () => {
    let costs: CostByModel = {};
    for (const [verdict, cost] of [
      ["success", 0.1],
      ["failure", 0.4],
      ["success", 0.4],
    ] as const)
      costs = recordModelCosts(costs, { verdict, byModel: { "p/first": used(cost) }, switchedAway: [], now: NOW });
    expect(costs["p/first"]!.attempts).toBe(3);
    expect(costs["p/first"]!.avgCostUsd).toBeCloseTo(0.3, 12);
  });

  it("a fallback: the model left is stamped and not priced, the one that ran to the end is", () => {
    const costs = recordModelCosts(
      { "p/first": rec(4, 0.2) },
      {
        verdict: "success",
        byModel: { "p/first": used(0.001), "p/second": used(0.9) },
        switchedAway: ["p/first"],
        now: NOW,
      },
    );
    expect(costs).toEqual({ "p/first": rec(4, 0.2, NOW.toISOString()), "p/second": rec(1, 0.9) });
  });

  it("a model left that had no record gets one with no attempts; left twice in one attempt, stamped once", () => {
    const costs = recordModelCosts(
      {},
      {
        verdict: "failure",
        byModel: { "p/first": used(0), "p/second": used(0) },
        switchedAway: ["p/first", "p/second", "p/first"],
        now: NOW,
      },
    );
    expect(costs).toEqual({ "p/first": rec(0, 0, NOW.toISOString()), "p/second": rec(0, 0, NOW.toISOString()) });
  });

  it("a neutral end (paused, stopped, the session's own fault) prices nothing but still stamps the models it left", () => {
    const before = { "p/first": rec(2, 0.3) };
    expect(
      recordModelCosts(before, { verdict: "neutral", byModel: { "p/first": used(5) }, switchedAway: [], now: NOW }),
    ).toEqual(before);
    expect(
      recordModelCosts(before, {
        verdict: "neutral",
        byModel: { "p/first": used(5), "p/second": used(1) },
        switchedAway: ["p/first"],
        now: NOW,
      }),
    ).toEqual({
      "p/first": rec(2, 0.3, NOW.toISOString()),
    });
  });

  it("a model that runs to the end keeps its last switch stamp (the cooldown ends it)", () => {
    const costs = recordModelCosts(
      { "p/first": rec(1, 0.2, ago(60_000)) },
      { verdict: "success", byModel: { "p/first": used(0.4) }, switchedAway: [], now: NOW },
    );
    expect(costs["p/first"]).toMatchObject({ attempts: 2, switchedAwayAt: ago(60_000) });
    expect(costs["p/first"]!.avgCostUsd).toBeCloseTo(0.3, 12);
  });

  it("usage stored before models were told apart (no byModel): only the switches count", () => {
    expect(recordModelCosts({}, { verdict: "success", byModel: undefined, switchedAway: [], now: NOW })).toEqual({});
    expect(
      recordModelCosts({}, { verdict: "success", byModel: undefined, switchedAway: ["p/first"], now: NOW }),
    ).toEqual({ "p/first": rec(0, 0, NOW.toISOString()) });
  });

  it("calls whose model was not known are not priced", () => {
    expect(
      recordModelCosts({}, { verdict: "success", byModel: { [UNKNOWN_MODEL]: used(1) }, switchedAway: [], now: NOW }),
    ).toEqual({});
  });

  it("changes nothing it was given", () => {
    const before = { "p/first": rec(1, 0.2) };
    const byModel = { "p/first": used(0.4) };
    recordModelCosts(before, { verdict: "success", byModel, switchedAway: ["p/first"], now: NOW });
    expect(before).toEqual({ "p/first": rec(1, 0.2) });
    expect(byModel).toEqual({ "p/first": used(0.4) });
  });
});

describe("computeExpectedModel: the model a session will most likely run on", () => {
  it("the session's model over the agent's; the agent's when the session names none", () => {
    expect(computeExpectedModel("p/session", agent(), NOW)).toBe("p/session");
    expect(computeExpectedModel(null, agent(), NOW)).toBe("p/first");
    expect(computeExpectedModel(undefined, agent(), NOW)).toBe("p/first");
  });

  it("neither names a model (OpenCode's default, unknown to routing): null, whatever the fallbacks", () => {
    expect(computeExpectedModel(null, agent({ model: null }), NOW)).toBeNull();
    expect(
      computeExpectedModel(undefined, agent({ model: null, costByModel: { "p/second": rec(3, 1) } }), NOW),
    ).toBeNull();
  });

  it("the first model left within the cooldown: the first fallback", () => {
    expect(computeExpectedModel(null, agent({ costByModel: { "p/first": rec(2, 0.1, ago(60_000)) } }), NOW)).toBe(
      "p/second",
    );
  });

  it("that fallback left recently too: the next one", () => {
    const costByModel = { "p/first": rec(2, 0.1, ago(1000)), "p/second": rec(1, 0.2, ago(COOLDOWN_MS - 1)) };
    expect(computeExpectedModel(null, agent({ costByModel }), NOW)).toBe("p/third");
  });

  it("every model left recently: the first (the driver starts there anyway)", () => {
    const costByModel = { "p/first": rec(0, 0, ago(1)), "p/second": rec(0, 0, ago(2)), "p/third": rec(0, 0, ago(3)) };
    expect(computeExpectedModel(null, agent({ costByModel }), NOW)).toBe("p/first");
  });

  it("no fallbacks: the first model, left or not", () => {
    expect(
      computeExpectedModel(null, agent({ fallbackModels: [], costByModel: { "p/first": rec(0, 0, ago(1)) } }), NOW),
    ).toBe("p/first");
  });

  it("the cooldown's edge: left exactly 15 minutes ago counts no more, a millisecond less still does", () => {
    expect(MODEL_SWITCH_COOLDOWN_SECONDS).toBe(900);
    expect(computeExpectedModel(null, agent({ costByModel: { "p/first": rec(1, 0.1, ago(COOLDOWN_MS)) } }), NOW)).toBe(
      "p/first",
    );
    expect(
      computeExpectedModel(null, agent({ costByModel: { "p/first": rec(1, 0.1, ago(COOLDOWN_MS - 1)) } }), NOW),
    ).toBe("p/second");
  });

  it("a stamp ahead of now (another replica's clock) counts as recent", () => {
    expect(computeExpectedModel(null, agent({ costByModel: { "p/first": rec(1, 0.1, ago(-5000)) } }), NOW)).toBe(
      "p/second",
    );
  });

  it("a fallback that is the first model itself is not offered again", () => {
    const a = agent({ fallbackModels: ["p/first", "p/second"], costByModel: { "p/first": rec(1, 0.1, ago(1000)) } });
    expect(computeExpectedModel(null, a, NOW)).toBe("p/second");
  });

  it("the session's model left recently: the agent's fallbacks after it (the driver's order)", () => {
    const a = agent({ costByModel: { "p/session": rec(1, 0.1, ago(1000)) } });
    expect(computeExpectedModel("p/session", a, NOW)).toBe("p/second");
    // The agent's own model is not among the session's candidates.
    expect(computeExpectedModel("p/session", agent({ fallbackModels: [], costByModel: a.costByModel }), NOW)).toBe(
      "p/session",
    );
  });
});

describe("computeExpectedCost: what routing prices the session at", () => {
  it("the agent's mean on the expected model", () => {
    expect(computeExpectedCost(null, agent({ costByModel: { "p/first": rec(3, 0.05) } }), NOW)).toEqual({
      model: "p/first",
      costUsd: 0.05,
    });
  });

  it("the fallback's mean when the first model was left recently", () => {
    const costByModel = { "p/first": rec(3, 0.05, ago(1000)), "p/second": rec(2, 2) };
    expect(computeExpectedCost(null, agent({ costByModel }), NOW)).toEqual({ model: "p/second", costUsd: 2 });
  });

  it("no attempt on the model yet (no record, or only a switch stamp): the agent's overall mean", () => {
    expect(computeExpectedCost("p/new", agent(), NOW)).toEqual({ model: "p/new", costUsd: 0.5 });
    expect(
      computeExpectedCost(null, agent({ costByModel: { "p/first": rec(0, 0, ago(COOLDOWN_MS * 2)) } }), NOW),
    ).toEqual({ model: "p/first", costUsd: 0.5 });
  });

  it("no model named: the agent's overall mean", () => {
    expect(computeExpectedCost(null, agent({ model: null, costByModel: { "p/first": rec(3, 9) } }), NOW)).toEqual({
      model: null,
      costUsd: 0.5,
    });
  });
});

describe("computeRoute prices each agent on the model it would run", () => {
  const candidate = (id: string, over: Partial<RoutingCandidate>): RoutingCandidate =>
    routingCandidate(id, { stats: { ...emptyAgentStats(), avgCostUsd: 1 }, ...over });
  const req = { tenantId: "t", type: "execution" as const, requiredCapabilities: [], preferredAgentId: null };

  it("an agent whose cheap first model is down is priced on its dear fallback, and loses to one that is not", () => {
    const down = candidate("down", {
      model: "p/cheap",
      fallbackModels: ["p/dear"],
      costByModel: { "p/cheap": rec(5, 0.1, ago(60_000)), "p/dear": rec(5, 2) },
    });
    const steady = candidate("steady", { model: "p/mid", costByModel: { "p/mid": rec(5, 1) } });
    const d = computeRoute(req, [down, steady], NOW);
    expect(d.agentId).toBe("steady");
    if (d.agentId === null) return;
    expect(d.score.cost).toBeCloseTo(0.5, 12);
    expect(d.alternatives[0]!.score.cost).toBe(0);
    // Once the cooldown has passed, its first model is priced again and it wins.
    const later = new Date(NOW.getTime() + COOLDOWN_MS);
    expect(computeRoute(req, [down, steady], later).agentId).toBe("down");
  });

  it("the session's model is priced with each agent's own history of it", () => {
    const a = candidate("a", { model: "p/x", costByModel: { "p/x": rec(5, 0.1), "p/y": rec(5, 3) } });
    const b = candidate("b", { model: "p/x", costByModel: { "p/x": rec(5, 3), "p/y": rec(5, 0.1) } });
    expect(computeRoute(req, [a, b], NOW).agentId).toBe("a");
    expect(computeRoute({ ...req, model: "p/y" }, [a, b], NOW).agentId).toBe("b");
  });
});
