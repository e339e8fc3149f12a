import type { AgentStats, Tier } from "./agent";
import { INFRASTRUCTURE_LOST } from "../session/adoption";
import { recordBreakerOutcome, type Breaker, type BreakerPolicy, type Verdict } from "./breaker";
import { SessionErrorCode, type SessionError } from "../session/session";
import type { SessionStatus } from "../session/session-status";
import { computeTier } from "./tier";

/**
 * Failures that say nothing about the agent or the runner: the session's own (its budget, its repository),
 * and an attempt lost with the replica that ran it (the runner that served it died with that replica).
 */
const SESSION_FAULTS: ReadonlySet<string> = new Set([
  SessionErrorCode.BUDGET_EXCEEDED,
  SessionErrorCode.WORKSPACE_ERROR,
  SessionErrorCode.REPOSITORY_UNREACHABLE,
  INFRASTRUCTURE_LOST,
]);
/** Failures of the OpenCode server itself: they count against the runner, not the agent. */
const RUNNER_FAULTS: ReadonlySet<string> = new Set([
  SessionErrorCode.RUNNER_UNAVAILABLE,
  SessionErrorCode.OPENCODE_SESSION_LOST,
]);

/**
 * What the end of an attempt says about its agent and its runner. `status` is
 * where the attempt left the session before any retry (completed, failed,
 * timeout, stopped, paused…). A person's pause or stop is neutral.
 */
export function judgeAttempt(status: SessionStatus, error: SessionError | null): { agent: Verdict; runner: Verdict } {
  if (status === "completed") return { agent: "success", runner: "success" };
  if (status !== "failed" && status !== "timeout") return { agent: "neutral", runner: "neutral" };
  const code = error?.code ?? SessionErrorCode.INTERNAL;
  if (SESSION_FAULTS.has(code)) return { agent: "neutral", runner: "neutral" };
  if (RUNNER_FAULTS.has(code)) return { agent: "neutral", runner: "failure" };
  // The server ran the turn; the model or the agent's setup failed it.
  return { agent: "failure", runner: "success" };
}

export interface FinishedAttempt {
  verdict: Verdict;
  durationSeconds: number;
  tokens: number;
  costUsd: number;
  capabilities: readonly string[];
}

const runningMean = (mean: number, n: number, x: number) => mean + (x - mean) / n;

/** Folds one finished attempt into an agent's stats (only success and failure count). */
export function addToStats(stats: AgentStats, f: FinishedAttempt): AgentStats {
  if (f.verdict === "neutral") return stats;
  const ok = f.verdict === "success";
  const finished = stats.finished + 1;
  const succeeded = stats.succeeded + (ok ? 1 : 0);
  const perCapability = { ...stats.perCapability };
  for (const cap of new Set(f.capabilities)) {
    const c = perCapability[cap] ?? { finished: 0, succeeded: 0 };
    perCapability[cap] = { finished: c.finished + 1, succeeded: c.succeeded + (ok ? 1 : 0) };
  }
  return {
    finished,
    succeeded,
    failed: stats.failed + (ok ? 0 : 1),
    successRate: succeeded / finished,
    avgDurationSeconds: runningMean(stats.avgDurationSeconds, finished, f.durationSeconds),
    avgTokens: runningMean(stats.avgTokens, finished, f.tokens),
    avgCostUsd: runningMean(stats.avgCostUsd, finished, f.costUsd),
    perCapability,
  };
}

/** An agent's record after one finished attempt: stats, the tier they give, and the breaker. */
export function recordAgentOutcome(
  record: { stats: AgentStats; tier: Tier; breaker: Breaker },
  f: FinishedAttempt,
  now: Date,
  policy?: BreakerPolicy,
): { stats: AgentStats; tier: Tier; breaker: Breaker; tierChanged: boolean } {
  const stats = addToStats(record.stats, f);
  const tier = computeTier(stats);
  return {
    stats,
    tier,
    breaker: recordBreakerOutcome(record.breaker, f.verdict, now, policy),
    tierChanged: tier !== record.tier,
  };
}
