import type { ServiceDeps } from "./deps";

const count = async (deps: ServiceDeps, column: "status" | "type" | "priority") => {
  const rows = await deps.db.query<{ k: string; n: number }>(
    `SELECT ${column} AS k, count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND deleted_at IS NULL GROUP BY ${column}`,
    [deps.tenantId],
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
};

/** Aggregates for the overview: counts, queue depth, p50/p95 of queue wait and run time, tokens and cost. */
export async function sessionStats(deps: ServiceDeps) {
  const [byStatus, byType, byPriority] = [await count(deps, "status"), await count(deps, "type"), await count(deps, "priority")];
  const [agg] = await deps.db.query<Record<string, number | null>>(
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
    [deps.tenantId],
  );
  const a = agg ?? {};
  return {
    total: Object.values(byStatus).reduce((x, y) => x + y, 0),
    byStatus,
    byType,
    byPriority,
    queueDepth: (byStatus.queued ?? 0) + (byStatus.pending ?? 0),
    queueWaitSeconds: { p50: a.qw50 ?? null, p95: a.qw95 ?? null },
    runSeconds: { p50: a.run50 ?? null, p95: a.run95 ?? null },
    tokens: { input: a.input ?? 0, output: a.output ?? 0, reasoning: a.reasoning ?? 0, cacheRead: a.cache_read ?? 0, cacheWrite: a.cache_write ?? 0 },
    costUsd: a.cost ?? 0,
  };
}
