import type { TokenTotals } from "./checkpoint-chain";
import type { AttemptUsage } from "./ports";
import { emptyTokenTotals } from "./session";

export function emptyUsage(): AttemptUsage {
  return { tokens: emptyTokenTotals(), costUsd: 0, modelCalls: 0, toolCalls: {}, toolErrors: 0 };
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
