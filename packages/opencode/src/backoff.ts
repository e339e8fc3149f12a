/** Exponential backoff with jitter, for restarts and reconnects. */
export interface BackoffOptions {
  /** Delay of the first retry. */
  baseMs: number;
  /** Cap on any delay. */
  maxMs: number;
  /** ± fraction of random spread (0.2 = ±20 %), so many clients do not retry in step. */
  jitter: number;
}

/**
 * Delay before retry number `attempt` (0-based): baseMs · 2^attempt, capped,
 * spread by ±jitter. `random` returns [0, 1) and is a parameter so tests
 * need no real randomness.
 */
export function computeBackoffDelay(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  const spread = raw * options.jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(options.maxMs, Math.round(raw + spread)));
}
