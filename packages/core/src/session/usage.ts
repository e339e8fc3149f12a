import type { TokenTotals } from "./checkpoint-chain";
import type { AttemptUsage, ModelUsage } from "./model-usage";
import { emptyTokenTotals } from "./session";

export function emptyUsage(): AttemptUsage {
  return { tokens: emptyTokenTotals(), costUsd: 0, modelCalls: 0, toolCalls: {}, toolErrors: 0, byModel: {} };
}

/** What a model call whose model is not known (no provider or model id) is counted under in `byModel`. */
export const UNKNOWN_MODEL = "unknown";

/**
 * Counts model calls (their tokens and cost) into `usage`, in place: the
 * totals and the answering model's share in `byModel` (docs/input-requests.md
 * §3, Model fallback), so the shares always add up to the totals.
 */
export function countModelUsage(usage: AttemptUsage, model: string | null, share: ModelUsage): void {
  usage.tokens = addTokens(usage.tokens, share.tokens);
  usage.costUsd += share.costUsd;
  usage.modelCalls += share.modelCalls;
  usage.byModel = addByModel(usage.byModel ?? {}, { [model ?? UNKNOWN_MODEL]: share });
}

/**
 * Per-model usage added (sign 1) or taken out (sign −1), model by model; a
 * model left with no call and no token is dropped, so taking out what was
 * added gives back the record it started from.
 */
export function addByModel(
  a: Record<string, ModelUsage>,
  b: Record<string, ModelUsage>,
  sign: 1 | -1 = 1,
): Record<string, ModelUsage> {
  const out = { ...a };
  for (const [model, u] of Object.entries(b)) {
    const was = out[model] ?? { tokens: emptyTokenTotals(), costUsd: 0, modelCalls: 0 };
    const next = {
      tokens: addTokens(was.tokens, u.tokens, sign),
      costUsd: Math.max(0, was.costUsd + sign * u.costUsd),
      modelCalls: was.modelCalls + sign * u.modelCalls,
    };
    // (The cost is left out of the test: a float taken out again may leave a residue of 1e-17.)
    if (next.modelCalls === 0 && Object.values(next.tokens).every((n) => n === 0)) delete out[model];
    else out[model] = next;
  }
  return out;
}

/** Token totals added (sign 1) or taken out (sign −1), field by field. */
export function addTokens(a: TokenTotals, b: TokenTotals, sign: 1 | -1 = 1): TokenTotals {
  return {
    input: a.input + sign * b.input,
    output: a.output + sign * b.output,
    reasoning: a.reasoning + sign * b.reasoning,
    cacheRead: a.cacheRead + sign * b.cacheRead,
    cacheWrite: a.cacheWrite + sign * b.cacheWrite,
  };
}

/** Counts a tool call that ended (completed or error) into `usage`, in place. */
export function countToolCall(usage: AttemptUsage, tool: string, status: string): void {
  if (status !== "completed" && status !== "error") return;
  usage.toolCalls[tool] = (usage.toolCalls[tool] ?? 0) + 1;
  if (status === "error") usage.toolErrors++;
}
