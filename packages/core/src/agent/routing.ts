import { hasCapabilities, type Agent, type AgentType, type Tier } from "./agent";
import { breakerAdmits, breakerReopensAt, breakerStateAt } from "./breaker";
import { computeExpectedCost } from "./model-cost";
import type { SessionType } from "../session/session";

/** An agent as routing sees it: its record plus how many sessions it runs now. */
export type RoutingCandidate = Pick<
  Agent,
  | "id"
  | "tenantId"
  | "name"
  | "type"
  | "capabilities"
  | "maxConcurrent"
  | "status"
  | "maintenance"
  | "tier"
  | "stats"
  | "breaker"
  | "model"
  | "fallbackModels"
  | "costByModel"
> & { running: number; lastAssignedAt: string | null; runnerHealthy: boolean };

export interface RoutingRequest {
  tenantId: string;
  type: SessionType;
  requiredCapabilities: readonly string[];
  preferredAgentId: string | null;
  /** The session's own model (it overrides the agent's); absent or null: each agent's own. */
  model?: string | null;
}

export interface ScoreBreakdown {
  tier: number;
  capabilitySuccess: number;
  load: number;
  cost: number;
  affinity: number;
  total: number;
}

export interface Exclusion {
  agentId: string;
  agentName: string;
  why: string;
}

export type RoutingDecision =
  | {
      agentId: string;
      agentName: string;
      score: ScoreBreakdown;
      alternatives: { agentId: string; agentName: string; score: ScoreBreakdown }[];
      reason: string;
      excluded: Exclusion[];
    }
  | { agentId: null; reason: string; excluded: Exclusion[] };

const TIER_SCORE: Record<Tier, number> = { ELITE: 1, STANDARD: 0.7, PROBATION: 0.4 };
const TYPE_AFFINITY: Record<SessionType, AgentType> = {
  planning: "architect",
  review: "reviewer",
  debug: "debugger",
  integration: "integrator",
  execution: "implementer",
};
export const ROUTING_WEIGHTS = { tier: 0.35, capabilitySuccess: 0.25, load: 0.2, cost: 0.1, affinity: 0.1 } as const;

/** Why a candidate cannot take the session, or null when it can. */
function exclusion(c: RoutingCandidate, req: RoutingRequest, now: Date): string | null {
  if (c.tenantId !== req.tenantId) return "another tenant";
  if (c.status !== "active") return `status is ${c.status}`;
  if (c.maintenance) return "in maintenance";
  if (!breakerAdmits(c.breaker, now))
    return breakerStateAt(c.breaker, now) === "open"
      ? `circuit breaker open until ${breakerReopensAt(c.breaker)!.toISOString()}`
      : "circuit breaker half-open: its trial session is running";
  if (!c.runnerHealthy) return "runner unhealthy";
  if (!hasCapabilities(c, req.requiredCapabilities)) return "lacks a required capability";
  if (c.running >= c.maxConcurrent) return `full (${c.running}/${c.maxConcurrent})`;
  return null;
}

/** Laplace-smoothed success on the required capabilities (overall when none are required). */
function capabilitySuccess(c: RoutingCandidate, required: readonly string[]): number {
  let finished = 0;
  let succeeded = 0;
  if (required.length === 0) {
    finished = c.stats.finished;
    succeeded = c.stats.succeeded;
  } else
    for (const cap of required) {
      finished += c.stats.perCapability[cap]?.finished ?? 0;
      succeeded += c.stats.perCapability[cap]?.succeeded ?? 0;
    }
  return (succeeded + 1) / (finished + 2);
}

/**
 * Chooses the agent for a queued session (docs/domain.md, Agents). Pure: the
 * scheduler and the dry-run endpoint call the same function.
 */
export function computeRoute(req: RoutingRequest, candidates: readonly RoutingCandidate[], now: Date): RoutingDecision {
  const excluded: Exclusion[] = [];
  const eligible: RoutingCandidate[] = [];
  for (const c of candidates) {
    const why = exclusion(c, req, now);
    if (why) excluded.push({ agentId: c.id, agentName: c.name, why });
    else eligible.push(c);
  }
  if (eligible.length === 0) {
    const caps = req.requiredCapabilities.length ? ` with ${req.requiredCapabilities.join(", ")}` : "";
    const counts = new Map<string, number>();
    for (const e of excluded) {
      const kind = e.why.replace(/ \(.*\)$| until .*$/, "");
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const why = [...counts].map(([kind, n]) => `${n} ${kind}`).join(", ");
    return { agentId: null, reason: `waiting for an agent${caps}: ${why || "no agents registered"}`, excluded };
  }
  // Priced on the model each agent would run the session on (model-cost.ts), relative to the dearest.
  const costs = eligible.map((c) => computeExpectedCost(req.model, c, now).costUsd);
  const maxCost = Math.max(...costs);
  const scored = eligible.map((c, i) => {
    const s = {
      tier: TIER_SCORE[c.tier],
      capabilitySuccess: capabilitySuccess(c, req.requiredCapabilities),
      load: 1 - c.running / c.maxConcurrent,
      cost: maxCost > 0 ? 1 - costs[i]! / maxCost : 1,
      affinity: c.id === req.preferredAgentId || c.type === TYPE_AFFINITY[req.type] ? 1 : 0,
    };
    const total =
      ROUTING_WEIGHTS.tier * s.tier +
      ROUTING_WEIGHTS.capabilitySuccess * s.capabilitySuccess +
      ROUTING_WEIGHTS.load * s.load +
      ROUTING_WEIGHTS.cost * s.cost +
      ROUTING_WEIGHTS.affinity * s.affinity;
    return { c, score: { ...s, total } };
  });
  scored.sort(
    (a, b) =>
      Number(b.c.id === req.preferredAgentId) - Number(a.c.id === req.preferredAgentId) ||
      b.score.total - a.score.total ||
      (a.c.lastAssignedAt ?? "").localeCompare(b.c.lastAssignedAt ?? "") ||
      a.c.id.localeCompare(b.c.id),
  );
  const [best, ...rest] = scored;
  const chosen = best!;
  const trial = breakerStateAt(chosen.c.breaker, now) === "half_open" ? " — its breaker's trial session" : "";
  const reason =
    (chosen.c.id === req.preferredAgentId
      ? `${chosen.c.name} is the preferred agent and can take the session`
      : `${chosen.c.name} scored ${chosen.score.total.toFixed(2)} (tier ${chosen.c.tier}, load ${chosen.c.running}/${chosen.c.maxConcurrent})` +
        (rest.length
          ? `, ahead of ${rest.length} other candidate${rest.length > 1 ? "s" : ""}`
          : ", the only candidate")) + trial;
  return {
    agentId: chosen.c.id,
    agentName: chosen.c.name,
    score: chosen.score,
    alternatives: rest.slice(0, 3).map((r) => ({ agentId: r.c.id, agentName: r.c.name, score: r.score })),
    reason,
    excluded,
  };
}
