import type { Agent } from "./agent";
import type { Verdict } from "./breaker";
import type { CostByModel, ModelUsage } from "../session/model-usage";
import { UNKNOWN_MODEL } from "../session/usage";

/**
 * Routing's cost score prices the model a session will actually run on
 * (issue 14 item 5; docs/input-requests.md §3, Model fallback; README,
 * Routing): an agent keeps, per model, what its attempts cost on it, and
 * when one of its attempts last left the model for a fallback. Pure: the
 * attempt's end reads the switches and calls recordModelCosts; routing calls
 * computeExpectedCost.
 */

/**
 * How long a model an attempt switched away from counts as down: sessions
 * routed meanwhile are priced on the fallback they will most likely end on.
 * A provider outage or a spent rate limit is usually over within minutes;
 * after this the first model is priced again (and tried first, as always).
 */
export const MODEL_SWITCH_COOLDOWN_SECONDS = 900;

/**
 * Folds an ended attempt into its agent's per-model record. The models it
 * switched away from are stamped `switchedAwayAt = now` whatever the verdict
 * (a paused or stopped attempt saw the provider fail too). Only a success or
 * a failure counts costs, as the agent's averages do (agent-record.ts), and
 * only for the models the attempt did not leave: a model abandoned after a
 * few refused calls did not do the attempt's work, and its near-zero cost
 * would make it look cheap. Calls whose model was not known are left out.
 */
export function recordModelCosts(
  costs: CostByModel,
  attempt: {
    verdict: Verdict;
    byModel: Record<string, ModelUsage> | undefined;
    switchedAway: readonly string[];
    now: Date;
  },
): CostByModel {
  const out: CostByModel = { ...costs };
  const left = new Set(attempt.switchedAway);
  for (const model of left)
    out[model] = { ...(out[model] ?? { attempts: 0, avgCostUsd: 0 }), switchedAwayAt: attempt.now.toISOString() };
  if (attempt.verdict === "neutral") return out;
  for (const [model, used] of Object.entries(attempt.byModel ?? {})) {
    if (left.has(model) || model === UNKNOWN_MODEL) continue;
    const was = out[model] ?? { attempts: 0, avgCostUsd: 0, switchedAwayAt: null };
    const attempts = was.attempts + 1;
    out[model] = { ...was, attempts, avgCostUsd: was.avgCostUsd + (used.costUsd - was.avgCostUsd) / attempts };
  }
  return out;
}

/** Has an attempt of the agent left `model` within the cooldown? (A stamp ahead of `now`, a clock skew, counts as recent.) */
function recentlyLeft(costs: CostByModel, model: string, now: Date): boolean {
  const at = costs[model]?.switchedAwayAt;
  return at != null && now.getTime() - Date.parse(at) < MODEL_SWITCH_COOLDOWN_SECONDS * 1000;
}

/**
 * The model a session will most likely run on with this agent: its first
 * model — the session's own, else the agent's — unless an attempt of the
 * agent switched away from it within the cooldown; then the first of the
 * agent's fallbackModels not recently left either (the driver's order,
 * model-fallback.ts). Every one recently left: the first model (the driver
 * starts there anyway). Null: neither names a model (OpenCode's default,
 * which routing does not know).
 */
export function computeExpectedModel(
  sessionModel: string | null | undefined,
  agent: Pick<Agent, "model" | "fallbackModels" | "costByModel">,
  now: Date,
): string | null {
  const first = sessionModel ?? agent.model;
  if (first === null) return null;
  const chain = [first, ...agent.fallbackModels.filter((m) => m !== first)];
  return chain.find((m) => !recentlyLeft(agent.costByModel, m, now)) ?? first;
}

/**
 * The cost routing scores a session by: the agent's mean cost per attempt on
 * the model computeExpectedModel expects, else (no model named, or no
 * attempt ran to its end on it yet) the agent's mean over all its attempts.
 */
export function computeExpectedCost(
  sessionModel: string | null | undefined,
  agent: Pick<Agent, "model" | "fallbackModels" | "costByModel" | "stats">,
  now: Date,
): { model: string | null; costUsd: number } {
  const model = computeExpectedModel(sessionModel, agent, now);
  const record = model === null ? undefined : agent.costByModel[model];
  return { model, costUsd: record && record.attempts > 0 ? record.avgCostUsd : agent.stats.avgCostUsd };
}
