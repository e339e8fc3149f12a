import { DomainError, ErrorCode } from "../errors";

/**
 * Token bucket: a bucket holds at most `burst` tokens and refills at `rate`
 * tokens per second; a request takes `cost` tokens (1) or is refused. A
 * caller may spend a whole burst at once, then `rate` per second on average.
 */

/** A bucket as stored: tokens left (fractional) as of `updatedAtMs`. */
export interface TokenBucketState {
  tokens: number;
  updatedAtMs: number;
}

export interface TokenBucketInput {
  /** The stored bucket; null when none exists yet (a full bucket). */
  state: TokenBucketState | null;
  /** Milliseconds since the epoch. */
  now: number;
  /** Tokens per second (> 0). */
  rate: number;
  /** Bucket size (≥ 1). */
  burst: number;
  /** Tokens this request takes (0 < cost ≤ burst); 1 when omitted. */
  cost?: number;
}

export interface TokenBucketResult {
  allowed: boolean;
  /** The state to store, whether allowed or not (refilled up to `now`). */
  state: TokenBucketState;
  /** 0 when allowed; else whole seconds (≥ 1) until `cost` tokens are back, for `Retry-After`. */
  retryAfterSeconds: number;
}

/**
 * One request against a bucket. Pure: the stores (in-process, and the Redis
 * script in apps/server, which repeats these steps operation for operation
 * so both give the same answers) only read, call and write.
 *
 * - The refill is computed as `elapsed * rate / 1000`, in that order, so whole
 *   intervals give whole tokens (200 ms at 5/s is exactly 1).
 * - A clock that goes backwards (another replica's, a step of NTP) refills
 *   nothing and keeps the later stamp, so no interval is counted twice.
 * - A refused request takes nothing: a client that keeps knocking while
 *   refused is let in as soon as the tokens are back.
 */
export function computeTokenBucket(input: TokenBucketInput): TokenBucketResult {
  const { now, rate, burst } = input;
  const cost = input.cost ?? 1;
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new RangeError(`token bucket: rate must be a positive number, got ${rate}`);
  if (!(burst >= 1) || !Number.isFinite(burst))
    throw new RangeError(`token bucket: burst must be at least 1, got ${burst}`);
  if (!(cost > 0) || cost > burst) throw new RangeError(`token bucket: cost must be in (0, burst], got ${cost}`);
  if (!Number.isFinite(now)) throw new RangeError(`token bucket: now must be a finite time, got ${now}`);

  const start = input.state ?? { tokens: burst, updatedAtMs: now };
  const elapsed = Math.max(0, now - start.updatedAtMs);
  const tokens = Math.min(burst, Math.max(0, start.tokens) + (elapsed * rate) / 1000);
  const updatedAtMs = Math.max(start.updatedAtMs, now);
  if (tokens >= cost) return { allowed: true, state: { tokens: tokens - cost, updatedAtMs }, retryAfterSeconds: 0 };
  return {
    allowed: false,
    state: { tokens, updatedAtMs },
    retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / rate)),
  };
}

/** How long an untouched bucket takes to be full again: after that, forgetting it changes nothing. */
export function computeTokenBucketIdleMs(rate: number, burst: number): number {
  return Math.ceil((burst / rate) * 1000);
}

/**
 * Too many requests for one caller's bucket (per API key, or per address for
 * callers without a key). The HTTP edge answers 429 with `Retry-After`;
 * clients wait that long and try again.
 */
export class RateLimitedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, `too many requests: retry after ${retryAfterSeconds} s`, {
      context: { retryAfterSeconds },
      suggestion: "slow down; the Retry-After header says when the next request is accepted",
    });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
