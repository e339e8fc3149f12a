import type { Queryable } from "./database";
import type { CrossTenantDatabase } from "./tenant-wall";

/** Columns the overview counts the tenant's sessions by. */
export type SessionCountColumn = "status" | "type" | "priority";

/** The tenant's live sessions counted by one column: value → count. */
export async function countSessionsBy(
  q: Queryable,
  tenantId: string,
  column: SessionCountColumn,
): Promise<Record<string, number>> {
  const rows = await q.query<{ k: string; n: number }>(
    `SELECT ${column} AS k, count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND deleted_at IS NULL GROUP BY ${column}`,
    [tenantId],
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

/** p50/p95 of queue wait and run time, and the token and cost sums, over the tenant's live sessions (null: no sample). */
export interface SessionAggregates {
  qw50: number | null;
  qw95: number | null;
  run50: number | null;
  run95: number | null;
  input: number | null;
  output: number | null;
  reasoning: number | null;
  cache_read: number | null;
  cache_write: number | null;
  cost: number | null;
}

export async function readSessionAggregates(q: Queryable, tenantId: string): Promise<Partial<SessionAggregates>> {
  const [agg] = await q.query<SessionAggregates>(
    `SELECT
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (metrics->>'queueWaitSeconds')::float8) FILTER (WHERE started_at IS NOT NULL) AS qw50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY (metrics->>'queueWaitSeconds')::float8) FILTER (WHERE started_at IS NOT NULL) AS qw95,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY (metrics->>'runSeconds')::float8) FILTER (WHERE finished_at IS NOT NULL) AS run50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY (metrics->>'runSeconds')::float8) FILTER (WHERE finished_at IS NOT NULL) AS run95,
       coalesce(sum((metrics->'tokens'->>'input')::float8), 0) AS input,
       coalesce(sum((metrics->'tokens'->>'output')::float8), 0) AS output,
       coalesce(sum((metrics->'tokens'->>'reasoning')::float8), 0) AS reasoning,
       coalesce(sum((metrics->'tokens'->>'cacheRead')::float8), 0) AS cache_read,
       coalesce(sum((metrics->'tokens'->>'cacheWrite')::float8), 0) AS cache_write,
       coalesce(sum((metrics->>'costUsd')::float8), 0) AS cost
     FROM sessions WHERE tenant_id = $1 AND deleted_at IS NULL`,
    [tenantId],
  );
  return agg ?? {};
}

/** The tenant's queue depth (pending and queued) and running sessions: the `system.stats` frame. */
export async function countLiveSessions(q: Queryable, tenantId: string): Promise<{ queue: number; running: number }> {
  const [row] = await q.query<{ queue: number; running: number }>(
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'queued'))::int AS queue, count(*) FILTER (WHERE status IN ('running', 'degraded'))::int AS running
     FROM sessions WHERE tenant_id = $1 AND deleted_at IS NULL AND status IN ('pending', 'queued', 'running', 'degraded')`,
    [tenantId],
  );
  return { queue: row?.queue ?? 0, running: row?.running ?? 0 };
}

/** What the fleet gauges of `/metrics` count, over every tenant: sessions by status, queued ones by priority, active tenants. */
export async function readFleetCounts(
  db: CrossTenantDatabase,
): Promise<{ byStatus: Record<string, number>; queuedByPriority: Record<string, number>; activeTenantIds: string[] }> {
  const [byStatus, byPriority, tenants] = await Promise.all([
    db.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM sessions WHERE deleted_at IS NULL GROUP BY status",
    ),
    db.query<{ priority: string; n: number }>(
      "SELECT priority, count(*)::int AS n FROM sessions WHERE status = 'queued' AND deleted_at IS NULL GROUP BY priority",
    ),
    db.query<{ id: string }>("SELECT id FROM tenants WHERE active"),
  ]);
  return {
    byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
    queuedByPriority: Object.fromEntries(byPriority.map((r) => [r.priority, r.n])),
    activeTenantIds: tenants.map((t) => t.id),
  };
}
