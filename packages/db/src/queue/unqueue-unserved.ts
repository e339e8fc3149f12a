import { computeNoAgentWait, type SessionEvent } from "@industrial/core";
import { listActiveCapabilitySets } from "../agent-dispatch";
import type { Database } from "../database";
import type { CrossTenantDatabase } from "../tenant-wall";
import { sessionFromRow } from "../rows";
import { transitionSession } from "../session-writes";
import { coveredByCapabilitySets, listTenantsWithQueuedWork } from "./queued-reads";

/**
 * The tenant's agents changed (one deleted, drained, taken offline, or given
 * other capabilities): queued sessions that no active agent of the tenant
 * could take any more go back to pending with the reason, as admission would
 * have left them (admit-pending.ts); they are admitted again when an agent
 * that can take them is there. The tenant row is locked first, as admission
 * locks it, so a batch being admitted is seen committed, not passed over; it
 * waits for rows a dispatch round holds (both lock in dispatch-key order), and
 * one dispatched meanwhile is no longer queued and is left alone. All of them,
 * `batch` per transaction.
 */
export async function unqueueUnserved(db: Database, tenantId: string, batch = 500): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for (;;) {
    const events = await unqueueBatch(db, tenantId, batch);
    out.push(...events.all);
    if (events.sessions < batch) return out;
  }
}

/**
 * The same for every tenant with queued work (the scheduler, now and then): a
 * change whose own look failed (a crash between the agent's write and it, a
 * deadlock) strands nothing for long.
 */
export async function unqueueUnservedEverywhere(db: CrossTenantDatabase): Promise<SessionEvent[]> {
  const out: SessionEvent[] = [];
  for (const tenantId of await listTenantsWithQueuedWork(db)) out.push(...(await unqueueUnserved(db, tenantId)));
  return out;
}

async function unqueueBatch(
  db: Database,
  tenantId: string,
  limit: number,
): Promise<{ all: SessionEvent[]; sessions: number }> {
  return db.transaction(async (tx) => {
    await tx.query("SELECT 1 FROM tenants WHERE id = $1 FOR NO KEY UPDATE", [tenantId]);
    const capable = JSON.stringify(await listActiveCapabilitySets(tx, tenantId));
    const rows = await tx.query(
      `SELECT * FROM sessions WHERE tenant_id = $1 AND status = 'queued' AND NOT ${coveredByCapabilitySets("$2")}
       ORDER BY dispatch_key, id LIMIT $3 FOR NO KEY UPDATE`,
      [tenantId, capable, limit],
    );
    const all: SessionEvent[] = [];
    for (const row of rows) {
      const session = sessionFromRow(row);
      all.push(...(await transitionSession(tx, session, "pending", computeNoAgentWait(session.requiredCapabilities))));
    }
    return { all, sessions: rows.length };
  });
}
