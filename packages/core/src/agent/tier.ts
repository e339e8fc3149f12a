import type { AgentStats, Tier } from "./agent";

export const TIER_RULES = {
  /** Below this many finished sessions an agent stays on probation. */
  probationBelowFinished: 5,
  probationBelowSuccessRate: 0.5,
  eliteMinFinished: 20,
  /** Compared with the Wilson lower bound, not the raw rate. */
  eliteMinSuccess: 0.9,
} as const;

/**
 * Lower bound of the Wilson score interval at 95 % for `succeeded` out of
 * `finished`. It is what keeps a lucky streak on few sessions from promoting:
 * 20 out of 20 gives 0.84, and it takes 35 straight successes to pass 0.9.
 */
export function wilsonLowerBound(succeeded: number, finished: number, z = 1.96): number {
  if (finished <= 0) return 0;
  const p = succeeded / finished;
  const z2 = z * z;
  const centre = p + z2 / (2 * finished);
  const margin = z * Math.sqrt((p * (1 - p) + z2 / (4 * finished)) / finished);
  return Math.max(0, (centre - margin) / (1 + z2 / finished));
}

/** The single tier formula of docs/domain.md (Agents: tiers, breaker, routing). */
export function computeTier(stats: Pick<AgentStats, "finished" | "succeeded">): Tier {
  const rate = stats.finished > 0 ? stats.succeeded / stats.finished : 0;
  if (stats.finished < TIER_RULES.probationBelowFinished || rate < TIER_RULES.probationBelowSuccessRate)
    return "PROBATION";
  if (
    stats.finished >= TIER_RULES.eliteMinFinished &&
    wilsonLowerBound(stats.succeeded, stats.finished) >= TIER_RULES.eliteMinSuccess
  )
    return "ELITE";
  return "STANDARD";
}
