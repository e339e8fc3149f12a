import {
  emptyUsage,
  type AttemptUsage,
  type Clock,
  type Session,
  type SessionMetrics,
  type TokenTotals,
} from "@industrial/core";
import { applyUsage, totalTokens } from "./usage";

/**
 * One attempt's usage on this replica, and the session metrics it makes:
 * the session's metrics without this attempt (they already hold what it
 * used before a pause or crash), plus its usage now, plus its run time here.
 * Also what of it was told to the observer, so that a resumed or adopted
 * attempt does not report its earlier runs again.
 */
export class AttemptUsageMeter {
  /** The attempt's usage as the driver last reported it. */
  usage: AttemptUsage;
  /** The session's metrics without this attempt; `checkpoints` moves with each one written. */
  readonly baseMetrics: SessionMetrics;
  /** Usage already told to the observer (see `committed`). */
  private reported: AttemptUsage;

  constructor(
    session: Session,
    /** The attempt's stored usage (a resumed or adopted attempt's); none for a new one. */
    stored: AttemptUsage | null | undefined,
    private readonly runStart: Date,
    private readonly clock: Clock,
  ) {
    this.usage = stored ?? emptyUsage();
    this.reported = this.usage;
    // Session metrics already hold what this attempt used before a pause or crash.
    this.baseMetrics = stored ? applyUsage(session.metrics, stored, -1) : session.metrics;
  }

  /** The session's metrics with this attempt's usage and run time so far. */
  metrics(): SessionMetrics {
    const m = applyUsage(this.baseMetrics, this.usage);
    m.runSeconds = this.baseMetrics.runSeconds + (this.clock.now().getTime() - this.runStart.getTime()) / 1000;
    return m;
  }

  /** Whether the session's metrics passed its budget (tokens or cost). */
  overBudget(budget: Session["budget"]): boolean {
    const { maxTokens, maxCostUsd } = budget;
    const m = this.metrics();
    return (
      (maxTokens !== undefined && totalTokens(m.tokens) > maxTokens) ||
      (maxCostUsd !== undefined && m.costUsd > maxCostUsd)
    );
  }

  /**
   * What a write that committed `usage` added beyond what was reported
   * before (per kind, never negative: a correction downwards is not
   * "unspent", and growth after it counts only past the earlier high); null
   * when nothing grew.
   */
  committed(usage: AttemptUsage): { tokens: TokenTotals; costUsd: number } | null {
    const before = this.reported;
    const tokens = { ...before.tokens };
    const delta = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
    for (const k of Object.keys(delta) as (keyof typeof delta)[]) {
      delta[k] = Math.max(0, usage.tokens[k] - before.tokens[k]);
      tokens[k] = Math.max(before.tokens[k], usage.tokens[k]);
    }
    const costUsd = Math.max(0, usage.costUsd - before.costUsd);
    this.reported = { ...usage, tokens, costUsd: Math.max(before.costUsd, usage.costUsd) };
    if (costUsd === 0 && Object.values(delta).every((n) => n === 0)) return null;
    return { tokens: delta, costUsd };
  }
}
