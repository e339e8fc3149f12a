import { LEASE_SECONDS, type Attempt } from "@industrial/core";
import type { Queryable } from "./database";
import { attemptFromRow } from "./rows";

export async function latestAttempt(q: Queryable, sessionId: string): Promise<Attempt | null> {
  const rows = await q.query("SELECT * FROM attempts WHERE session_id = $1 ORDER BY number DESC LIMIT 1", [sessionId]);
  return rows[0] ? attemptFromRow(rows[0]) : null;
}

/** Hands the lease of a running or paused attempt to `owner` under a new fencing token. */
export async function leaseAttempt(tx: Queryable, attemptId: string, owner: string, fencingToken: number): Promise<Attempt> {
  const rows = await tx.query(
    `UPDATE attempts SET lease_owner = $2, fencing_token = $3, status = 'running',
       lease_expires_at = now() + make_interval(secs => $4) WHERE id = $1 RETURNING *`,
    [attemptId, owner, fencingToken, LEASE_SECONDS],
  );
  return attemptFromRow(rows[0]!);
}

/**
 * Extends the lease while the holder still owns it under the same token.
 * False means the lease was lost (expired and adopted, or the session moved
 * on): the caller must stop working on the attempt.
 */
export async function renewLease(q: Queryable, attempt: Pick<Attempt, "id" | "sessionId" | "fencingToken">, owner: string): Promise<boolean> {
  const rows = await q.query(
    `UPDATE attempts a SET lease_expires_at = now() + make_interval(secs => $4)
     FROM sessions s
     WHERE a.id = $1 AND s.id = $2 AND a.fencing_token = $3 AND s.fencing_token = $3 AND a.lease_owner = $5
       AND a.status = 'running' AND s.status IN ('running', 'degraded')
     RETURNING a.id`,
    [attempt.id, attempt.sessionId, attempt.fencingToken, LEASE_SECONDS, owner],
  );
  return rows.length === 1;
}

export async function updateAttempt(
  tx: Queryable,
  id: string,
  patch: { status?: Attempt["status"]; openCodeSessionId?: string; runnerId?: string; error?: Attempt["error"]; finished?: boolean; releaseLease?: boolean },
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (sql: string, v: unknown) => {
    params.push(v);
    sets.push(`${sql} = $${params.length}`);
  };
  if (patch.status) set("status", patch.status);
  if (patch.openCodeSessionId) set("opencode_session_id", patch.openCodeSessionId);
  if (patch.runnerId) set("runner_id", patch.runnerId);
  if (patch.error !== undefined) {
    params.push(patch.error === null ? null : JSON.stringify(patch.error));
    sets.push(`error = $${params.length}::jsonb`);
  }
  if (patch.finished) sets.push("finished_at = now()");
  if (patch.releaseLease) sets.push("lease_owner = NULL", "lease_expires_at = NULL");
  if (sets.length) await tx.query(`UPDATE attempts SET ${sets.join(", ")} WHERE id = $1`, params);
}
