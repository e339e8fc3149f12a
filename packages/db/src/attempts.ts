import { LEASE_SECONDS, type Attempt, type AttemptUsage } from "@industrial/core";
import type { Queryable } from "./database";
import { attemptFromRow } from "./rows";
import { sessionOfTenant } from "./tenant-scope";

/*
 * Attempts belong to their session's tenant: every query here names the
 * tenant and proves it through the session (attempts have no tenant_id).
 */

export async function latestAttempt(q: Queryable, tenantId: string, sessionId: string): Promise<Attempt | null> {
  const rows = await q.query(
    `SELECT * FROM attempts WHERE session_id = $1 AND ${sessionOfTenant("$1", 2)} ORDER BY number DESC LIMIT 1`,
    [sessionId, tenantId],
  );
  return rows[0] ? attemptFromRow(rows[0]) : null;
}

/** Hands the lease of a running or paused attempt to `owner` under a new fencing token. */
export async function leaseAttempt(
  tx: Queryable,
  tenantId: string,
  attemptId: string,
  owner: string,
  fencingToken: number,
): Promise<Attempt> {
  const rows = await tx.query(
    `UPDATE attempts SET lease_owner = $2, fencing_token = $3, status = 'running',
       lease_expires_at = now() + make_interval(secs => $4) WHERE id = $1 AND ${sessionOfTenant("attempts.session_id", 5)} RETURNING *`,
    [attemptId, owner, fencingToken, LEASE_SECONDS, tenantId],
  );
  if (!rows[0]) throw new Error(`attempt ${attemptId} of tenant ${tenantId} not found`);
  return attemptFromRow(rows[0]);
}

/**
 * Extends the lease while the holder still owns it under the same token.
 * False means the lease was lost (expired and adopted, or the session moved
 * on): the caller must stop working on the attempt.
 */
export async function renewLease(
  q: Queryable,
  tenantId: string,
  attempt: Pick<Attempt, "id" | "sessionId" | "fencingToken">,
  owner: string,
): Promise<boolean> {
  const rows = await q.query(
    `UPDATE attempts a SET lease_expires_at = now() + make_interval(secs => $4)
     FROM sessions s
     WHERE a.id = $1 AND s.id = $2 AND a.session_id = s.id AND s.tenant_id = $6 AND a.fencing_token = $3 AND s.fencing_token = $3 AND a.lease_owner = $5
       AND a.status = 'running' AND s.status IN ('running', 'degraded')
     RETURNING a.id`,
    [attempt.id, attempt.sessionId, attempt.fencingToken, LEASE_SECONDS, owner, tenantId],
  );
  return rows.length === 1;
}

export async function updateAttempt(
  tx: Queryable,
  tenantId: string,
  id: string,
  patch: {
    status?: Attempt["status"];
    openCodeSessionId?: string;
    runnerId?: string;
    error?: Attempt["error"];
    finished?: boolean;
    releaseLease?: boolean;
  },
): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id, tenantId];
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
  if (sets.length)
    await tx.query(
      `UPDATE attempts SET ${sets.join(", ")} WHERE id = $1 AND ${sessionOfTenant("attempts.session_id", 2)}`,
      params,
    );
}

/** The attempt's own tokens, cost and model calls as OpenCode reported them (written with the session's metrics). */
export async function recordAttemptUsage(
  tx: Queryable,
  tenantId: string,
  id: string,
  usage: AttemptUsage,
): Promise<void> {
  await tx.query(
    `UPDATE attempts SET usage = $2::jsonb WHERE id = $1 AND ${sessionOfTenant("attempts.session_id", 3)}`,
    [id, JSON.stringify(usage), tenantId],
  );
}

/** Lets the lease expire now (a replica shutting down): another replica, or this one after a restart, adopts at once. */
export async function handBackLease(tx: Queryable, tenantId: string, id: string): Promise<void> {
  await tx.query(
    `UPDATE attempts SET lease_expires_at = now() WHERE id = $1 AND ${sessionOfTenant("attempts.session_id", 2)}`,
    [id, tenantId],
  );
}
