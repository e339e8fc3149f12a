import { addByModel, addTokens, type AttemptUsage, type SessionMetrics, type TokenTotals } from "@industrial/core";

function addCounts(a: Record<string, number>, b: Record<string, number>, sign = 1): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    out[k] = (out[k] ?? 0) + sign * v;
    if (out[k] === 0) delete out[k];
  }
  return out;
}

/** Session metrics with an attempt's usage added (sign 1) or taken out (sign −1). */
export function applyUsage(metrics: SessionMetrics, usage: AttemptUsage, sign: 1 | -1 = 1): SessionMetrics {
  const byModel =
    metrics.byModel || usage.byModel ? addByModel(metrics.byModel ?? {}, usage.byModel ?? {}, sign) : undefined;
  return {
    ...metrics,
    tokens: addTokens(metrics.tokens, usage.tokens, sign),
    costUsd: Math.max(0, metrics.costUsd + sign * usage.costUsd),
    modelCalls: metrics.modelCalls + sign * usage.modelCalls,
    ...(byModel ? { byModel } : {}),
    toolCalls: addCounts(metrics.toolCalls, usage.toolCalls, sign),
    toolErrors: metrics.toolErrors + sign * usage.toolErrors,
  };
}

export function totalTokens(t: TokenTotals): number {
  return t.input + t.output + t.reasoning;
}
