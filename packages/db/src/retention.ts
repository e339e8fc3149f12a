import type { AttemptStatus, SessionStatus } from "@industrial/core";
import type { Database, Queryable } from "./database";
import { iso } from "./rows";
import type { CrossTenantDatabase } from "./tenant-wall";

/*
 * Retention (core retention.ts decides what is old enough): session events
 * and audit entries past their tenant's retention are deleted in batches of a
 * few hundred rows, each batch its own short transaction. Every replica runs
 * the rounds; a batch first takes a transaction-scoped advisory lock, and a
 * replica that does not get it skips its batch — so two replicas never delete
 * the same rows at once (no lock waits between them, no deadlock).
 */

// Any constant works; it only has to be the same for every replica.
const RETENTION_LOCK = 7_310_010;

/** Tenants that keep their events and audit entries for a limited time. */
export async function listRetentionTenants(db: CrossTenantDatabase): Promise<{ id: string; retentionDays: number }[]> {
  const rows = await db.query<{ id: string; retention_days: number }>(
    "SELECT id, retention_days FROM tenants WHERE retention_days IS NOT NULL ORDER BY id",
  );
  return rows.map((r) => ({ id: r.id, retentionDays: Number(r.retention_days) }));
}

/** What one batch of event deletion did; null when another replica held the retention lock. */
export interface EventBatchResult {
  /** Rows deleted: the selected ones and, per session, every earlier seq (the log stays a suffix). */
  deleted: number;
  /** Events the batch selected (at most its limit), oldest first. */
  selected: number;
  /** The newest `created_at` among them: where the next search starts when the batch was full. */
  newestSelectedAt: Date | null;
}

/**
 * Deletes up to `limit` of the tenant's events older than `cutoff`, oldest
 * first, searching from `floor` (inclusive; null: the beginning). For each
 * session touched, every event up to the newest one selected goes, so what a
 * session keeps is always the tail of its log: its first retained seq is its
 * smallest (`readFirstRetainedSeq`). Session rows and checkpoints stay.
 */
export async function batchDeleteExpiredEvents(
  db: CrossTenantDatabase,
  input: { tenantId: string; cutoff: Date; floor: Date | null; limit: number },
): Promise<EventBatchResult | null> {
  return db.transaction(async (tx) => {
    if (!(await tryRetentionLock(tx))) return null;
    const [row] = await tx.query<{ deleted: number; selected: number; newest: unknown }>(
      `WITH picked AS (
         SELECT e.session_id, e.seq, e.created_at FROM session_events e JOIN sessions s ON s.id = e.session_id
         WHERE s.tenant_id = $1 AND e.created_at < $2 AND ($3::timestamptz IS NULL OR e.created_at >= $3::timestamptz)
         ORDER BY e.created_at LIMIT $4
       ), upto AS (
         SELECT session_id, max(seq) AS seq FROM picked GROUP BY session_id
       ), gone AS (
         DELETE FROM session_events x USING upto u WHERE x.session_id = u.session_id AND x.seq <= u.seq RETURNING 1
       )
       SELECT (SELECT count(*) FROM gone)::int AS deleted, (SELECT count(*) FROM picked)::int AS selected, (SELECT max(created_at) FROM picked) AS newest`,
      [input.tenantId, input.cutoff.toISOString(), input.floor?.toISOString() ?? null, input.limit],
    );
    const newest = iso(row!.newest);
    return { deleted: row!.deleted, selected: row!.selected, newestSelectedAt: newest ? new Date(newest) : null };
  });
}

/** Deletes up to `limit` of the tenant's audit entries older than `cutoff`, oldest first; null when another replica held the retention lock. */
export async function batchDeleteExpiredAuditEntries(
  db: CrossTenantDatabase,
  input: { tenantId: string; cutoff: Date; limit: number },
): Promise<number | null> {
  return db.transaction(async (tx) => {
    if (!(await tryRetentionLock(tx))) return null;
    const rows = await tx.query(
      `WITH picked AS (SELECT id FROM audit_log WHERE tenant_id = $1 AND at < $2 ORDER BY at LIMIT $3)
       DELETE FROM audit_log a USING picked p WHERE a.id = p.id RETURNING 1`,
      [input.tenantId, input.cutoff.toISOString(), input.limit],
    );
    return rows.length;
  });
}

async function tryRetentionLock(tx: Queryable): Promise<boolean> {
  const [row] = await tx.query<{ got: boolean }>("SELECT pg_try_advisory_xact_lock($1) AS got", [RETENTION_LOCK]);
  return row?.got === true;
}

/**
 * The first seq a session's log still holds: 1 unless retention removed the
 * start, the last seq + 1 when it holds none. Null when there is no such
 * session in the tenant.
 */
export async function readFirstRetainedSeq(q: Queryable, tenantId: string, sessionId: string): Promise<number | null> {
  const rows = await q.query<{ first: number }>(
    `SELECT coalesce((SELECT min(seq) FROM session_events WHERE session_id = s.id), s.last_event_seq + 1)::int AS first
     FROM sessions s WHERE s.id = $1 AND s.tenant_id = $2`,
    [sessionId, tenantId],
  );
  return rows[0] ? Number(rows[0].first) : null;
}

/** An ended attempt whose OpenCode session may still be on a managed runner's store. */
export interface OpenCodePruneRow {
  attemptId: string;
  openCodeSessionId: string;
  attemptStatus: AttemptStatus;
  attemptFinishedAt: string | null;
  latestAttempt: boolean;
  sessionStatus: SessionStatus;
  sessionDeleted: boolean;
}

/**
 * Attempts that ended before `endedBefore` on a managed runner of one of
 * `owners` (the replicas whose runners kept their sessions in this data
 * dir's OpenCode store), whose OpenCode session was not deleted yet, oldest
 * first. Pre-filtered to what core's `computeOpenCodeKeepReason` may delete
 * (an earlier attempt, a deleted session, or a session in one of
 * `finishedStatuses`), so sessions that wait for a retry never hold up the
 * search; the caller decides with that rule.
 */
export async function listOpenCodePruneCandidates(
  db: CrossTenantDatabase,
  input: { owners: readonly string[]; endedBefore: Date; finishedStatuses: readonly SessionStatus[]; limit: number },
): Promise<OpenCodePruneRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT a.id, a.opencode_session_id, a.status, a.finished_at, a.number = s.attempt AS latest, s.status AS session_status, s.deleted_at IS NOT NULL AS deleted
     FROM attempts a JOIN sessions s ON s.id = a.session_id JOIN runners r ON r.id = a.runner_id
     WHERE a.opencode_session_id IS NOT NULL AND a.opencode_pruned_at IS NULL AND a.finished_at < $1
       AND r.kind = 'managed' AND r.owner_replica = ANY($2::text[])
       AND (a.number < s.attempt OR s.deleted_at IS NOT NULL OR s.status = ANY($3::text[]))
     ORDER BY a.finished_at LIMIT $4`,
    [input.endedBefore.toISOString(), [...input.owners], [...input.finishedStatuses], input.limit],
  );
  return rows.map((r) => ({
    attemptId: r.id as string,
    openCodeSessionId: r.opencode_session_id as string,
    attemptStatus: r.status as AttemptStatus,
    attemptFinishedAt: iso(r.finished_at),
    latestAttempt: r.latest as boolean,
    sessionStatus: r.session_status as SessionStatus,
    sessionDeleted: r.deleted as boolean,
  }));
}

/** Records that these attempts' OpenCode sessions are gone from their runner. */
export async function markOpenCodeSessionsPruned(
  db: CrossTenantDatabase,
  attemptIds: readonly string[],
): Promise<void> {
  if (!attemptIds.length) return;
  await db.query("UPDATE attempts SET opencode_pruned_at = now() WHERE id = ANY($1::uuid[])", [[...attemptIds]]);
}

/** The database's size on disk as PostgreSQL reports it (the whole database: every tenant, every replica). */
export async function readDatabaseBytes(db: Database): Promise<number> {
  const rows = await db.query<{ bytes: number }>("SELECT pg_database_size(current_database())::float8 AS bytes");
  return Number(rows[0]?.bytes ?? 0);
}
