import type { TokenTotals } from "./checkpoint-chain";

/*
 * What models consumed, as data: an attempt's usage (as OpenCode reported it,
 * split by model) and an agent's record per model. Plain types with no
 * imports of the domain around them, so that the session, the attempt, the
 * agent and the driver's port can all name them without importing each other.
 */

/** What one model consumed: its share of an attempt's (or a session's) usage. */
export interface ModelUsage {
  tokens: TokenTotals;
  costUsd: number;
  modelCalls: number;
}

/** What one attempt consumed, as OpenCode reported it. */
export interface AttemptUsage {
  tokens: TokenTotals;
  costUsd: number;
  modelCalls: number;
  toolCalls: Record<string, number>;
  toolErrors: number;
  /**
   * The same tokens, cost and calls split by the model that answered
   * ("provider/model"; docs/input-requests.md §3, Model fallback): their sums
   * are the totals. Absent on usage stored before models were told apart.
   */
  byModel?: Record<string, ModelUsage>;
}

/** One model's record in an agent's `costByModel`. */
export interface ModelCost {
  /** Attempts that ran to their end on this model (succeeded or failed; neutral ends are not counted). */
  attempts: number;
  /** Their mean cost on this model, in USD. */
  avgCostUsd: number;
  /** When an attempt of the agent last switched away from this model (its provider failing); null: never. */
  switchedAwayAt: string | null;
}

/** An agent's per-model record, keyed "provider/model". */
export type CostByModel = Record<string, ModelCost>;
