import { computeAdmissionBlock, computeDispatchKey, computeNoAgentWait, type SessionEvent } from "@industrial/core";
import { listActiveCapabilitySets } from "../agent-dispatch";
import type { Database } from "../database";
import type { CrossTenantDatabase } from "../tenant-wall";
import { sessionFromRow, tenantFromRow } from "../rows";
import { transitionSession } from "../session-writes";
import { readTenantUsage } from "../tenants";
import { coveredByCapabilitySets } from "./queued-reads";

/**
 * Admission: pending sessions whose notBefore has passed become queued while
 * their tenant is active and under its monthly budgets, and some active agent
 * of the tenant holds the capabilities they require; the rest stay pending
 * with a reason naming what holds them. The concurrency quota is applied at
 * dispatch (claim-queued.ts): queued sessions hold no slot. One transaction per
 * tenant, the tenant row locked so two replicas do not admit the same rows twice.
 * Finding the tenants with due work spans tenants (the owner connection);
 * each tenant's admission then names its tenant.
 */
export async function admitPending(
  db: CrossTenantDatabase,
  options: { now: Date; limit: number },
): Promise<SessionEvent[]> {
  const tenants = await db.query<{ id: string }>(
    `SELECT DISTINCT tenant_id AS id FROM sessions WHERE status = 'pending' AND NOT held AND deleted_at IS NULL
       AND (not_before IS NULL OR not_before <= $1)`,
    [options.now],
  );
  const events: SessionEvent[] = [];
  for (const t of tenants) events.push(...(await admitTenant(db, t.id, options)));
  return events;
}

async function admitTenant(
  db: Database,
  tenantId: string,
  options: { now: Date; limit: number },
): Promise<SessionEvent[]> {
  return db.transaction(async (tx) => {
    const tenants = await tx.query("SELECT * FROM tenants WHERE id = $1 FOR NO KEY UPDATE SKIP LOCKED", [tenantId]);
    if (!tenants[0]) return [];
    const tenant = tenantFromRow(tenants[0]);
    // The same read and rule as GET /tenants/{id}/usage, so the settings page shows what admission decides on.
    const blocked = computeAdmissionBlock(tenant, await readTenantUsage(tx, tenantId));

    const due =
      "tenant_id = $1 AND status = 'pending' AND NOT held AND deleted_at IS NULL AND (not_before IS NULL OR not_before <= $2)";
    if (blocked) {
      await tx.query(`UPDATE sessions SET status_reason = $3 WHERE ${due} AND status_reason IS DISTINCT FROM $3`, [
        tenantId,
        options.now,
        blocked,
      ]);
      return [];
    }
    // Only what an active agent of the tenant could take (whatever its load now): the rest would only wait in the queue.
    const capable = JSON.stringify(await listActiveCapabilitySets(tx, tenantId));
    const covered = coveredByCapabilitySets("$3");
    const unserved = await tx.query<{ id: string; required_capabilities: string[]; status_reason: string | null }>(
      `SELECT id, required_capabilities, status_reason FROM sessions WHERE ${due} AND NOT ${covered} ORDER BY created_at, id LIMIT $4`,
      [tenantId, options.now, capable, options.limit],
    );
    const waits = unserved
      .map((r) => ({ id: r.id, reason: computeNoAgentWait(r.required_capabilities) }))
      .filter((w, i) => w.reason !== unserved[i]!.status_reason);
    if (waits.length)
      await tx.query(
        "UPDATE sessions SET status_reason = v.reason FROM unnest($2::uuid[], $3::text[]) AS v(id, reason) WHERE sessions.tenant_id = $1 AND sessions.id = v.id",
        [tenantId, waits.map((w) => w.id), waits.map((w) => w.reason)],
      );
    const rows = await tx.query(
      `SELECT * FROM sessions WHERE ${due} AND ${covered}
       ORDER BY array_position(ARRAY['critical','high','medium','low','deferred'], priority), created_at, id
       LIMIT $4 FOR NO KEY UPDATE SKIP LOCKED`,
      [tenantId, options.now, capable, options.limit],
    );
    const out: SessionEvent[] = [];
    for (const [i, row] of rows.entries()) {
      const session = sessionFromRow(row);
      const queuedAt = options.now;
      // A millisecond apart in the order admitted (priority, then creation): one batch keeps its order in the queue.
      const dispatchKey = computeDispatchKey(session.priority, new Date(queuedAt.getTime() + i));
      out.push(
        ...(await transitionSession(tx, session, "queued", "admitted", {
          patch: { queuedAt, dispatchKey, notBefore: null },
        })),
      );
    }
    return out;
  });
}
