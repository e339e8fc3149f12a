import { computeAdmissionBlock, computeDispatchKey, computeFreeSlots, type SessionEvent } from "@industrial/core";
import type { Database } from "../database";
import type { CrossTenantDatabase } from "../tenant-wall";
import { sessionFromRow, tenantFromRow } from "../rows";
import { transitionSession } from "../session-writes";
import { readTenantUsage } from "../tenants";

/**
 * Admission: pending sessions whose notBefore has passed become queued while
 * their tenant is under its concurrent-session quota and monthly budgets;
 * the rest stay pending with a reason naming the limit. One transaction per
 * tenant, the tenant row locked so replicas do not both admit past the quota.
 * Finding the tenants with due work spans tenants (the owner connection);
 * each tenant's admission then names its tenant.
 */
export async function admitPending(db: CrossTenantDatabase, options: { now: Date; limit: number }): Promise<SessionEvent[]> {
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
    const tenants = await tx.query("SELECT * FROM tenants WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED", [tenantId]);
    if (!tenants[0]) return [];
    const tenant = tenantFromRow(tenants[0]);
    // The same read and rule as GET /tenants/{id}/usage, so the settings page shows what admission decides on.
    const usage = await readTenantUsage(tx, tenantId);
    const blocked = computeAdmissionBlock(tenant, usage);
    const free = computeFreeSlots(tenant, usage, blocked);

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
