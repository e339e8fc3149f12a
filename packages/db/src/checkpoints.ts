import {
  chainCheckpoint,
  NotFoundError,
  type CheckpointBody,
  type StoredCheckpoint,
  type Workspace,
} from "@industrial/core";
import type { Queryable } from "./database";
import type { CrossTenantDatabase } from "./tenant-wall";
import { checkpointFromRow } from "./rows";
import type { SessionRef } from "./session-writes";
import { sessionOfTenant } from "./tenant-scope";

export async function listCheckpoints(q: Queryable, tenantId: string, sessionId: string): Promise<StoredCheckpoint[]> {
  const rows = await q.query(
    `SELECT * FROM checkpoints WHERE session_id = $1 AND ${sessionOfTenant("$1", 2)} ORDER BY seq`,
    [sessionId, tenantId],
  );
  return rows.map(checkpointFromRow);
}

export async function getCheckpoint(
  q: Queryable,
  tenantId: string,
  sessionId: string,
  seq: number,
): Promise<StoredCheckpoint | null> {
  const rows = await q.query(
    `SELECT * FROM checkpoints WHERE session_id = $1 AND seq = $2 AND ${sessionOfTenant("$1", 3)}`,
    [sessionId, seq, tenantId],
  );
  return rows[0] ? checkpointFromRow(rows[0]) : null;
}

/** OpenCode messages of an attempt that already have a checkpoint (a resumed or adopted run does not take them again). */
export async function checkpointedMessageIds(
  q: Queryable,
  tenantId: string,
  sessionId: string,
  attempt: number,
): Promise<string[]> {
  const rows = await q.query<{ m: string }>(
    `SELECT opencode_message_id AS m FROM checkpoints WHERE session_id = $1 AND attempt = $2 AND opencode_message_id IS NOT NULL AND ${sessionOfTenant("$1", 3)}`,
    [sessionId, attempt, tenantId],
  );
  return rows.map((r) => r.m);
}

/**
 * Appends the next link of the chain to a session of the tenant. Call inside
 * a transaction that holds the session lock, so two writers cannot both take the same seq.
 */
export async function appendCheckpoint(
  tx: Queryable,
  session: SessionRef,
  body: Omit<CheckpointBody, "sessionId" | "seq" | "createdAt"> & { createdAt?: string },
): Promise<StoredCheckpoint> {
  // One read: the session must be the tenant's (no row otherwise), and its last checkpoint if any (c.hash is NOT NULL).
  const [head] = await tx.query(
    `SELECT c.* FROM sessions s
     LEFT JOIN LATERAL (SELECT * FROM checkpoints WHERE session_id = s.id ORDER BY seq DESC LIMIT 1) c ON true
     WHERE s.id = $1 AND s.tenant_id = $2`,
    [session.id, session.tenantId],
  );
  if (!head) throw new NotFoundError("session", session.id);
  const previous = head.hash ? checkpointFromRow(head) : null;
  const cp = chainCheckpoint(previous, {
    ...body,
    sessionId: session.id,
    seq: (previous?.seq ?? 0) + 1,
    createdAt: body.createdAt ?? new Date().toISOString(),
  });
  await tx.query(
    `INSERT INTO checkpoints (session_id, seq, attempt, trigger, opencode_message_id, git_commit, diff_stat, tokens, cost_usd, created_at, previous_hash, hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8::jsonb,$9,$10,$11,$12)`,
    [
      cp.sessionId,
      cp.seq,
      cp.attempt,
      cp.trigger,
      cp.openCodeMessageId,
      cp.gitCommit,
      JSON.stringify(cp.diffStat),
      JSON.stringify(cp.tokens),
      cp.costUsd,
      cp.createdAt,
      cp.previousHash,
      cp.hash,
    ],
  );
  return { ...cp, pushed: null };
}

/**
 * Records that checkpoints' commits are on the work remote at their checkpoint
 * refs. Not fenced: it states a fact about the remote, true whoever pushed
 * (a background retry may land after its attempt ended), and it is idempotent
 * — the first recorded push is kept.
 */
export async function markCheckpointsPushed(
  q: Queryable,
  tenantId: string,
  sessionId: string,
  input: { seqs: readonly number[]; remote: string; at: Date },
): Promise<number> {
  if (input.seqs.length === 0) return 0;
  const rows = await q.query(
    `UPDATE checkpoints SET pushed_at = $3, pushed_to = $4
     WHERE session_id = $1 AND seq = ANY($2::int[]) AND pushed_at IS NULL AND ${sessionOfTenant("$1", 5)} RETURNING seq`,
    [sessionId, [...input.seqs], input.at.toISOString(), input.remote, tenantId],
  );
  return rows.length;
}

/**
 * What a writer of the session's checkpoints needs for the work remote's
 * lease: every checkpoint commit recorded so far (seq order), and the commit
 * of the last one whose push was recorded (the branch's expected value).
 */
export async function checkpointPushHistory(
  q: Queryable,
  tenantId: string,
  sessionId: string,
): Promise<{ commits: string[]; lastPushedCommit: string | null }> {
  const rows = await q.query<{ git_commit: string; pushed_at: unknown }>(
    `SELECT git_commit, pushed_at FROM checkpoints WHERE session_id = $1 AND git_commit IS NOT NULL AND ${sessionOfTenant("$1", 2)} ORDER BY seq`,
    [sessionId, tenantId],
  );
  const lastPushed = rows.findLast((r) => r.pushed_at != null);
  return { commits: rows.map((r) => r.git_commit), lastPushedCommit: lastPushed?.git_commit ?? null };
}

/**
 * Checkpoints of every tenant whose commit was never recorded as pushed
 * (oldest first), with where their session's workspace was: a replica that
 * starts pushes again what its predecessor left behind (work-remote sweep).
 */
export async function listUnpushedCheckpoints(
  db: CrossTenantDatabase,
  limit: number,
): Promise<{ tenantId: string; sessionId: string; seq: number; gitCommit: string; workspace: Workspace }[]> {
  const rows = await db.query<{
    tenant_id: string;
    session_id: string;
    seq: number;
    git_commit: string;
    workspace: Workspace;
  }>(
    `SELECT s.tenant_id, c.session_id, c.seq, c.git_commit, s.workspace FROM checkpoints c JOIN sessions s ON s.id = c.session_id
     WHERE c.pushed_at IS NULL AND c.git_commit IS NOT NULL AND s.deleted_at IS NULL ORDER BY c.created_at, c.seq LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    sessionId: r.session_id,
    seq: r.seq,
    gitCommit: r.git_commit,
    workspace: r.workspace,
  }));
}
