import { type Agent, type Attempt, type Session, type SessionEvent } from "@industrial/core";
import { getAgent } from "../agents";
import { leaseAttempt } from "../attempts";
import type { CrossTenantDatabase } from "../tenant-wall";
import { attemptFromRow, sessionFromRow } from "../rows";
import { appendEvents, updateSession } from "../session-writes";

export interface Adoption {
  session: Session;
  attempt: Attempt;
  agent: Agent | null;
  previousOwner: string | null;
  events: SessionEvent[];
}

/**
 * Recovery: running sessions whose lease expired (their replica died) are
 * adopted by this replica under a new fencing token; the caller re-attaches
 * to the OpenCode session or fails the attempt as retryable. `includeOwners`
 * lets a restarted process adopt its dead predecessor's leases at once;
 * `supervised` are the sessions this replica runs now (never adopted again,
 * whatever the replica's name). Expired leases are found across tenants
 * (the owner connection); each adoption then writes under its session's tenant.
 */
export async function adoptExpiredLeases(
  db: CrossTenantDatabase,
  options: { replica: string; limit: number; includeOwners?: string[]; supervised?: string[] },
): Promise<Adoption[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.query(
      `SELECT s.*, row_to_json(a.*) AS attempt_row FROM attempts a JOIN sessions s ON s.id = a.session_id
       WHERE a.status = 'running' AND s.status IN ('running', 'degraded') AND a.number = s.attempt
         AND (a.lease_expires_at IS NULL OR a.lease_expires_at < now() OR a.lease_owner = ANY($2::text[]))
         AND NOT (s.id = ANY($3::uuid[]))
       ORDER BY a.lease_expires_at NULLS FIRST LIMIT $1 FOR NO KEY UPDATE OF a, s SKIP LOCKED`,
      [options.limit, options.includeOwners ?? [], options.supervised ?? []],
    );
    const out: Adoption[] = [];
    for (const row of rows) {
      const session = sessionFromRow(row);
      const old = attemptFromRow(row.attempt_row as Record<string, unknown>);
      const fencingToken = (row.fencing_token as number) + 1;
      await updateSession(tx, session, { fencingToken });
      const attempt = await leaseAttempt(tx, session.tenantId, old.id, options.replica, fencingToken);
      const events = await appendEvents(
        tx,
        session,
        [
          {
            type: "session.attempt",
            payload: {
              attempt: attempt.number,
              agentId: attempt.agentId,
              runnerId: attempt.runnerId,
              openCodeSessionId: attempt.openCodeSessionId,
              action: "adopted",
              replica: options.replica,
            },
          },
          {
            type: "session.log",
            payload: {
              level: "warn",
              source: "orchestrator",
              text: `lease of replica ${old.leaseOwner ?? "?"} expired; adopted by ${options.replica}`,
            },
          },
        ],
        attempt.number,
      );
      out.push({
        session,
        attempt,
        agent: attempt.agentId ? await getAgent(tx, session.tenantId, attempt.agentId) : null,
        previousOwner: old.leaseOwner,
        events,
      });
    }
    return out;
  });
}
