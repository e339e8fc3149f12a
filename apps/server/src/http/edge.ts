import type { Clock } from "@industrial/core";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { isLoopbackHost, type Config } from "../config";
import type { RedisConnection } from "../runtime/redis";
import { registerCors } from "./cors";
import { computeAllowedHostNames, registerHostAllowList } from "./host-allow-list";
import { registerRateLimit } from "./rate-limit";
import { createLocalBucketStore, createRedisBucketStore, type RateLimitStore } from "./rate-limit-store";
import { registerApiSecurityHeaders } from "./security-headers";

/** What guards the HTTP edge besides authentication (docs/security.md, "The HTTP edge"). */
export interface EdgeOptions {
  /** Per-caller token buckets; null: no rate limit (ORCHESTRATOR_RATE_LIMIT=0). */
  rateLimit: RateLimitStore | null;
  /** Host names served; null: any (bound to a non-loopback address, where a proxy decides). */
  allowedHosts: ReadonlySet<string> | null;
  /** Origins whose browsers may call the API (ORCHESTRATOR_CORS_ORIGINS). */
  corsOrigins: readonly string[];
}

/** The edge of this replica from its configuration: buckets in Redis when it has one (shared by every replica), else in this process. */
export function createEdgeOptions(input: {
  config: Config;
  redis: RedisConnection | null;
  clock: Clock;
  log: Logger;
}): EdgeOptions {
  const { config } = input;
  const policy = { rate: config.ORCHESTRATOR_RATE_LIMIT, burst: config.ORCHESTRATOR_RATE_LIMIT_BURST };
  let rateLimit: RateLimitStore | null = null;
  if (policy.rate > 0) {
    const local = createLocalBucketStore(policy, input.clock);
    rateLimit = input.redis
      ? createRedisBucketStore({
          client: input.redis.client,
          prefix: config.ORCHESTRATOR_REDIS_PREFIX,
          policy,
          clock: input.clock,
          fallback: local,
          onFallback: (err) =>
            err === null
              ? input.log.info({ component: "rate-limit" }, "rate limits are shared through Redis again")
              : input.log.warn(
                  { component: "rate-limit", err },
                  "Redis failed: rate limits fall back to this replica's own buckets until it answers",
                ),
        })
      : local;
  }
  return {
    rateLimit,
    allowedHosts: isLoopbackHost(config.HOST) ? computeAllowedHostNames(config.ORCHESTRATOR_CORS_ORIGINS) : null,
    corsOrigins: config.ORCHESTRATOR_CORS_ORIGINS,
  };
}

/**
 * The edge's hooks, in the order they must run, all before authentication:
 * the Host check first (a rebinding page gets nothing, not even a 401), the
 * API's security headers and CORS (a preflight is answered before any
 * credentials are asked for, and an allowed page can read a 401 or a 429),
 * then the rate limit (whose own check runs after authentication: preParsing).
 */
export function registerEdge(app: FastifyInstance, edge: EdgeOptions): void {
  registerHostAllowList(app, edge.allowedHosts);
  registerApiSecurityHeaders(app);
  registerCors(app, edge.corsOrigins);
  registerRateLimit(app, edge.rateLimit);
}
