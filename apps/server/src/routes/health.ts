import { routes, type ComponentHealthView } from "@industrial/contracts";
import { schemaVersion, latestMigrationVersion, type Database } from "@industrial/db";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import type { RedisConnection } from "../runtime/redis";
import type { RunnerHealthReport } from "../runtime/runner-health";

export interface HealthDeps {
  db: Database;
  replica: string;
  version: string;
  startedAt: number;
  runnerHealth: () => Promise<RunnerHealthReport[]>;
  /** Whether the agents' commands are sandboxed: reported, never a reason to be unready (refused sessions fail with the reason). */
  sandbox?: () => ComponentHealthView;
  /** Present when REDIS_URL is configured: reported, `degraded` while it does not answer (it carries only fan-out). */
  redis?: Pick<RedisConnection, "ping"> | null;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ok: boolean; ms: number; value?: T; error?: string }> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ok: true, ms: Math.round((performance.now() - t0) * 10) / 10, value };
  } catch (e) {
    return { ok: false, ms: Math.round((performance.now() - t0) * 10) / 10, error: (e as Error).message };
  }
}

/** Liveness and readiness with real checks: the database answers and is migrated, a runner is healthy (or can start on demand); Redis is reported. */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  defineRoute(app, routes.health, async () => ({
    status: "ok" as const,
    uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
    version: deps.version,
    replica: deps.replica,
  }));
  defineRoute(app, routes.ready, async ({ reply }) => {
    const readiness = await checkReadiness(deps);
    if (readiness.status !== "ready") reply.status(503);
    return readiness;
  });
}

/**
 * Readiness: the database answers and is migrated, and a runner is up (or can
 * start on demand). Redis (when configured) is reported but never makes a
 * replica unready: it carries only the fan-out between replicas, which falls
 * back to local delivery and the event log while it is away — taking every
 * replica out of service for it would turn a lost convenience into an outage.
 * Also the WebSocket `system.health`.
 */
export async function checkReadiness(deps: HealthDeps) {
  const [db, redis, runners] = await Promise.all([
    timed(() => schemaVersion(deps.db)),
    deps.redis ? timed(() => deps.redis!.ping()) : Promise.resolve(null),
    deps.runnerHealth(),
  ]);
  const migrated = db.ok && db.value === latestMigrationVersion();
  const components: Record<string, ComponentHealthView> = {
    database: {
      status: migrated ? "up" : "down",
      latencyMs: db.ms,
      detail: db.ok
        ? `${deps.db.kind}, schema version ${db.value}${migrated ? "" : ` (expected ${latestMigrationVersion()})`}`
        : `unreachable: ${db.error ?? "no answer"}`,
    },
  };
  if (redis)
    components.redis = {
      status: redis.ok ? "up" : "degraded",
      latencyMs: redis.ms,
      ...(redis.ok
        ? {}
        : { detail: `${redis.error ?? "unreachable"}; events reach other replicas from the log until it answers` }),
    };
  if (deps.sandbox) components.sandbox = deps.sandbox();
  for (const r of runners)
    components[`runner:${r.name}`] = {
      status: r.status,
      latencyMs: r.latencyMs,
      ...(r.detail ? { detail: r.detail } : {}),
    };
  const ready = migrated && runners.some((r) => r.status !== "down");
  return { status: ready ? ("ready" as const) : ("not_ready" as const), components };
}
