/** Retry policy of a session (docs/domain.md): exponential backoff with jitter. */
export interface RetryPolicy {
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffFactor: number;
  /** Fraction of the delay added or removed at random: 0.25 → ±25 %. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  backoffBaseSeconds: 10,
  backoffFactor: 2,
  jitter: 0.2,
};

/**
 * Delay before attempt `attempt + 1` after attempt `attempt` failed:
 * base · factor^(attempt − 1) · (1 ± jitter). `random` is in [0, 1).
 */
export function computeBackoffSeconds(policy: RetryPolicy, attempt: number, random: number): number {
  const base = policy.backoffBaseSeconds * policy.backoffFactor ** Math.max(0, attempt - 1);
  const spread = base * policy.jitter * (2 * random - 1);
  return Math.max(0, base + spread);
}

export type RetryDecision =
  | { retry: true; notBefore: Date; delaySeconds: number }
  | { retry: false; reason: "not_retryable" | "attempts_exhausted" };

/** Whether a failed or timed-out attempt is retried automatically, and when. */
export function decideRetry(input: {
  attempt: number;
  retryable: boolean;
  policy: RetryPolicy;
  now: Date;
  random: number;
}): RetryDecision {
  if (!input.retryable) return { retry: false, reason: "not_retryable" };
  if (input.attempt >= input.policy.maxAttempts) return { retry: false, reason: "attempts_exhausted" };
  const delaySeconds = computeBackoffSeconds(input.policy, input.attempt, input.random);
  return { retry: true, delaySeconds, notBefore: new Date(input.now.getTime() + delaySeconds * 1000) };
}
