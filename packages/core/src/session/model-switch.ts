/**
 * Model fallback (issue 14 item 5; docs/input-requests.md §3, "Model
 * fallback"): when the model of an attempt keeps failing for reasons another
 * model may not share — the provider is down or overloaded, the key is
 * refused, the quota is spent — the attempt goes on in the same OpenCode
 * session on the next model of its agent's `fallbackModels`. A request the
 * provider refuses as such (any other 4xx) would fail on every model: no switch.
 * Pure: the driver reads OpenCode's state, calls these, and acts.
 */

/** Why a model was left: its provider kept failing (429, 5xx, overloaded), refused the credentials, or the quota is spent. */
export const MODEL_SWITCH_REASONS = ["unavailable", "auth", "quota"] as const;
export type ModelSwitchReason = (typeof MODEL_SWITCH_REASONS)[number];

/**
 * How the model's turn failed, as the driver saw it: OpenCode's own retries
 * went past the limit (the driver aborted the turn), or the turn ended with
 * an error (OpenCode's error name, the provider's HTTP status when there is
 * one, and its message).
 */
export type ProviderFailure =
  | { kind: "retries_exhausted"; message: string }
  | { kind: "error"; name: string; status: number | null; message: string };

export type ModelSwitchDecision =
  { switch: true; from: string; to: string; reason: ModelSwitchReason } | { switch: false; why: string };

/** Providers say "quota" in their words for a spent one (OpenAI's insufficient_quota, Google's "Quota exceeded"). */
const QUOTA = /quota/i;

/** Why this failure is a reason to leave the model, or null when another model would not help. */
export function computeSwitchReason(failure: ProviderFailure): ModelSwitchReason | null {
  if (QUOTA.test(failure.message)) return "quota";
  if (failure.kind === "retries_exhausted") return "unavailable";
  if (failure.name === "ProviderAuthError") return "auth";
  const s = failure.status;
  if (s === null) return null;
  if (s === 401 || s === 403) return "auth";
  if (s === 402) return "quota";
  // OpenCode gave up retrying on its own (a retry-after beyond its patience): the provider is still in trouble.
  if (s === 408 || s === 429 || s >= 500) return "unavailable";
  return null;
}

/**
 * Whether the attempt moves from `current` to the next of `candidates` (the
 * models after it, in order, already limited to those the runner offers).
 * Nothing failed, a failure another model would not fix, or no candidate
 * left: no switch, and the attempt ends as it would have without fallbacks.
 */
export function decideModelSwitch(input: {
  failure: ProviderFailure | null;
  current: string;
  candidates: readonly string[];
}): ModelSwitchDecision {
  const { failure, current, candidates } = input;
  if (!failure) return { switch: false, why: "the model did not fail" };
  const reason = computeSwitchReason(failure);
  if (!reason)
    return {
      switch: false,
      why: `${failure.kind === "error" ? failure.name : "the failure"}${failure.kind === "error" && failure.status !== null ? ` ${failure.status}` : ""} is not a reason to change models`,
    };
  const to = candidates.find((c) => c !== current);
  if (!to) return { switch: false, why: `no fallback model left after ${current}` };
  return { switch: true, from: current, to, reason };
}

/**
 * The fallback models an attempt may move to: the agent's list in order,
 * without the model it starts on, duplicates, and models the runner does not
 * offer (`dropped`, for a log line: a fallback OpenCode cannot run would only
 * fail again).
 */
export function computeModelCandidates(input: {
  first: string;
  fallbacks: readonly string[];
  available: readonly string[];
}): { candidates: string[]; dropped: string[] } {
  const candidates: string[] = [];
  const dropped: string[] = [];
  for (const m of input.fallbacks) {
    if (m === input.first || candidates.includes(m)) continue;
    if (input.available.includes(m)) candidates.push(m);
    else if (!dropped.includes(m)) dropped.push(m);
  }
  return { candidates, dropped };
}
