import { createHash } from "node:crypto";
import {
  coerceError,
  computeTokenBucket,
  computeTokenBucketIdleMs,
  type Clock,
  type TokenBucketResult,
  type TokenBucketState,
} from "@industrial/core";
import type { Redis } from "ioredis";

/** Tokens per second and bucket size (ORCHESTRATOR_RATE_LIMIT, ORCHESTRATOR_RATE_LIMIT_BURST). */
export interface BucketPolicy {
  rate: number;
  burst: number;
}

/** Where buckets live. `take` never throws: a limiter that fails must not fail the request. */
export interface RateLimitStore {
  take(bucket: string): Promise<TokenBucketResult>;
}

/** Buckets are swept (the full ones forgotten) when the map grows past this, then past twice what is left. */
const SWEEP_FLOOR = 10_000;

/**
 * Buckets in this process: right for one replica, and the fallback of the
 * Redis store. A bucket untouched for as long as it takes to refill is
 * forgotten (a missing bucket is a full one), so the map holds only callers
 * seen in the last few seconds.
 */
export function createLocalBucketStore(policy: BucketPolicy, clock: Clock): RateLimitStore & { readonly size: number } {
  const buckets = new Map<string, TokenBucketState>();
  const idleMs = computeTokenBucketIdleMs(policy.rate, policy.burst);
  let sweepAt = SWEEP_FLOOR;
  const sweep = (now: number) => {
    for (const [key, s] of buckets) if (now - s.updatedAtMs >= idleMs) buckets.delete(key);
    sweepAt = Math.max(SWEEP_FLOOR, buckets.size * 2);
  };
  return {
    get size() {
      return buckets.size;
    },
    async take(bucket) {
      const now = clock.now().getTime();
      const r = computeTokenBucket({ state: buckets.get(bucket) ?? null, now, rate: policy.rate, burst: policy.burst });
      buckets.set(bucket, r.state);
      if (buckets.size > sweepAt) sweep(now);
      return r;
    },
  };
}

/**
 * computeTokenBucket in Lua, step for step (same order of operations on the
 * same doubles, so both stores give the same answers; a test compares them),
 * read and written in one atomic script so replicas never race on a bucket.
 * Numbers cross as %.17g strings: Lua's tostring keeps only 14 digits and a
 * Lua number returned to Redis is cut to an integer.
 * KEYS[1] bucket; ARGV rate, burst, cost, now (ms), ttl (ms).
 */
export const TOKEN_BUCKET_LUA = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local s = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(s[1])
local updated = tonumber(s[2])
if tokens == nil or updated == nil then
  tokens = burst
  updated = now
end
local elapsed = math.max(0, now - updated)
tokens = math.min(burst, math.max(0, tokens) + (elapsed * rate) / 1000)
updated = math.max(updated, now)
local allowed = 0
local retry = 0
if tokens >= cost then
  allowed = 1
  tokens = tokens - cost
else
  retry = math.max(1, math.ceil((cost - tokens) / rate))
end
local t = string.format('%.17g', tokens)
local u = string.format('%.17g', updated)
redis.call('HSET', KEYS[1], 't', t, 'u', u)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {allowed, t, u, retry}
`;

const SCRIPT_SHA = createHash("sha1").update(TOKEN_BUCKET_LUA).digest("hex");

/** One request against the bucket at `key` in Redis (EVALSHA, loading the script on NOSCRIPT). */
export async function takeFromRedis(
  client: Redis,
  key: string,
  policy: BucketPolicy,
  now: number,
): Promise<TokenBucketResult> {
  // The key outlives a full refill by a second: an expired key is a full bucket, exactly what it would hold.
  const args = [
    String(policy.rate),
    String(policy.burst),
    "1",
    String(now),
    String(computeTokenBucketIdleMs(policy.rate, policy.burst) + 1000),
  ];
  let reply: unknown;
  try {
    reply = await client.evalsha(SCRIPT_SHA, 1, key, ...args);
  } catch (e) {
    if (!coerceError(e).message.startsWith("NOSCRIPT")) throw e;
    reply = await client.eval(TOKEN_BUCKET_LUA, 1, key, ...args);
  }
  const [allowed, tokens, updatedAtMs, retry] = reply as [number, string, string, number];
  return {
    allowed: allowed === 1,
    state: { tokens: Number(tokens), updatedAtMs: Number(updatedAtMs) },
    retryAfterSeconds: Number(retry),
  };
}

export interface RedisBucketStoreInput {
  client: Redis;
  /** ORCHESTRATOR_REDIS_PREFIX: buckets are `<prefix>:ratelimit:<bucket>`. */
  prefix: string;
  policy: BucketPolicy;
  clock: Clock;
  /** Used while Redis fails (each replica then limits on its own). */
  fallback: RateLimitStore;
  /** Said once when Redis starts failing (with why) and once when it answers again (null). */
  onFallback(error: string | null): void;
  /** A Redis that does not answer within this is failing (default 250 ms). */
  timeoutMs?: number;
}

/**
 * Buckets every replica shares, in Redis. When Redis errors or is slow the
 * request is decided by the local bucket instead — a limiter must never be
 * the reason a request fails — and the switch is logged once each way.
 */
export function createRedisBucketStore(input: RedisBucketStoreInput): RateLimitStore {
  const timeoutMs = input.timeoutMs ?? 250;
  let degraded = false;
  return {
    async take(bucket) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        });
        const r = await Promise.race([
          takeFromRedis(input.client, `${input.prefix}:ratelimit:${bucket}`, input.policy, input.clock.now().getTime()),
          timeout,
        ]);
        if (degraded) {
          degraded = false;
          input.onFallback(null);
        }
        return r;
      } catch (e) {
        if (!degraded) {
          degraded = true;
          input.onFallback(coerceError(e).message);
        }
        return input.fallback.take(bucket);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
