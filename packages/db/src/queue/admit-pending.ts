import { computeDispatchKey, type SessionEvent } from "@industrial/core";
import type { Database } from "../database";
import { sessionFromRow } from "../rows";
import { transitionSession } from "../session-writes";

/**
 * Admission: pending sessions whose notBefore has passed become queued while
 * their tenant is under its concurrent-session quota and monthly budgets;
 * the rest stay pending with a reason naming the limit. One transaction per
 * tenant, the tenant row locked so replicas do not both admit past the quota.
 */
export async function admitPending(db: Database, options: { now: Date; limit: number }): Promise<SessionEvent[]> {
  const tenants = await db.query<{ id: string }>(
    `SELECT DISTINCT tenant_id AS id FROM sessions WHERE status = 'pending' AND NOT held AND deleted_at IS NULL
       AND (not_before IS NULL OR not_before <= $1)`,
    [options.now],
  );
  const events: SessionEvent[] = [];
  for (const t of tenants) events.push(...(await admitTenant(db, t.id, options)));
  return events;
}

async function admitTenant(db: Database, tenantId: string, options: { now: Date; limit: number }): Promise<SessionEvent[]> {
  return db.transaction(async (tx) => {
    const tenants = await tx.query<{ max_concurrent_sessions: number; monthly_token_budget: number | null; monthly_cost_budget_usd: number | null; active: boolean }>(
      "SELECT * FROM tenants WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED",
      [tenantId],
    );
    const tenant = tenants[0];
    if (!tenant) return [];
    const [usage] = await tx.query<{ active: number; tokens: number; cost: number }>(
      `SELECT count(*) FILTER (WHERE status IN ('queued', 'running', 'degraded'))::int AS active,
         coalesce(sum(((metrics->'tokens'->>'input')::bigint + (metrics->'tokens'->>'output')::bigint + (metrics->'tokens'->>'reasoning')::bigint))
           FILTER (WHERE created_at >= date_trunc('month', now())), 0)::float8 AS tokens,
         coalesce(sum((metrics->>'costUsd')::float8) FILTER (WHERE created_at >= date_trunc('month', now())), 0)::float8 AS cost
       FROM sessions WHERE tenant_id = $1`,
      [tenantId],
    );
    let blocked: string | null = null;
    if (!tenant.active) blocked = "waiting: tenant is inactive";
    else if (tenant.monthly_token_budget != null && usage!.tokens >= tenant.monthly_token_budget)
      blocked = `waiting: tenant monthly token budget of ${tenant.monthly_token_budget} is used up`;
    else if (tenant.monthly_cost_budget_usd != null && usage!.cost >= tenant.monthly_cost_budget_usd)
      blocked = `waiting: tenant monthly cost budget of $${tenant.monthly_cost_budget_usd} is used up`;
    const free = blocked ? 0 : Math.max(0, tenant.max_concurrent_sessions - usage!.active);
    if (!blocked && free === 0) blocked = `waiting: tenant quota of ${tenant.max_concurrent_sessions} concurrent sessions reached`;

    const due = "tenant_id = $1 AND status = 'pending' AND NOT held AND deleted_at IS NULL AND (not_before IS NULL OR not_before <= $2)";
    if (blocked) {
      await tx.query(`UPDATE sessions SET status_reason = $3 WHERE ${due} AND status_reason IS DISTINCT FROM $3`, [tenantId, options.now, blocked]);
      return [];
    }
    const rows = await tx.query(
      `SELECT * FROM sessions WHERE ${due}
       ORDER BY array_position(ARRAY['critical','high','medium','low','deferred'], priority), created_at, id
       LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED`,
      [tenantId, options.now, Math.min(free, options.limit)],
    );
    const out: SessionEvent[] = [];
    for (const row of rows) {
      const session = sessionFromRow(row);
      const queuedAt = options.now;
      out.push(
        ...(await transitionSession(tx, session, "queued", "admitted", {
          patch: { queuedAt, dispatchKey: computeDispatchKey(session.priority, queuedAt), notBefore: null },
        })),
      );
    }
    return out;
  });
}
