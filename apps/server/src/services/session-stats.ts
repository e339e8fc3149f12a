import { countSessionsBy, readSessionAggregates } from "@industrial/db";
import type { ServiceDeps } from "./deps";

/** Aggregates for the overview: counts, queue depth, p50/p95 of queue wait and run time, tokens and cost. */
export async function sessionStats(deps: ServiceDeps) {
  const count = (column: "status" | "type" | "priority") => countSessionsBy(deps.db, deps.tenantId, column);
  const [byStatus, byType, byPriority] = [await count("status"), await count("type"), await count("priority")];
  const a = await readSessionAggregates(deps.db, deps.tenantId);
  return {
    total: Object.values(byStatus).reduce((x, y) => x + y, 0),
    byStatus,
    byType,
    byPriority,
    queueDepth: (byStatus.queued ?? 0) + (byStatus.pending ?? 0),
    queueWaitSeconds: { p50: a.qw50 ?? null, p95: a.qw95 ?? null },
    runSeconds: { p50: a.run50 ?? null, p95: a.run95 ?? null },
    tokens: {
      input: a.input ?? 0,
      output: a.output ?? 0,
      reasoning: a.reasoning ?? 0,
      cacheRead: a.cache_read ?? 0,
      cacheWrite: a.cache_write ?? 0,
    },
    costUsd: a.cost ?? 0,
  };
}
