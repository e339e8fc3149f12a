import { chainCheckpoint, type ChainedCheckpoint, type CheckpointBody } from "@industrial/core";
import type { Queryable } from "./database";
import { checkpointFromRow } from "./rows";

export async function listCheckpoints(q: Queryable, sessionId: string): Promise<ChainedCheckpoint[]> {
  const rows = await q.query("SELECT * FROM checkpoints WHERE session_id = $1 ORDER BY seq", [sessionId]);
  return rows.map(checkpointFromRow);
}

export async function getCheckpoint(q: Queryable, sessionId: string, seq: number): Promise<ChainedCheckpoint | null> {
  const rows = await q.query("SELECT * FROM checkpoints WHERE session_id = $1 AND seq = $2", [sessionId, seq]);
  return rows[0] ? checkpointFromRow(rows[0]) : null;
}

/**
 * Appends the next link of the chain. Call inside a transaction that holds
 * the session lock, so two writers cannot both take the same seq.
 */
export async function appendCheckpoint(
  tx: Queryable,
  body: Omit<CheckpointBody, "seq" | "createdAt"> & { createdAt?: string },
): Promise<ChainedCheckpoint> {
  const prevRows = await tx.query("SELECT * FROM checkpoints WHERE session_id = $1 ORDER BY seq DESC LIMIT 1", [body.sessionId]);
  const previous = prevRows[0] ? checkpointFromRow(prevRows[0]) : null;
  const cp = chainCheckpoint(previous, { ...body, seq: (previous?.seq ?? 0) + 1, createdAt: body.createdAt ?? new Date().toISOString() });
  await tx.query(
    `INSERT INTO checkpoints (session_id, seq, attempt, trigger, opencode_message_id, git_commit, diff_stat, tokens, cost_usd, created_at, previous_hash, hash)
     VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8::jsonb,$9,$10,$11,$12)`,
    [cp.sessionId, cp.seq, cp.attempt, cp.trigger, cp.openCodeMessageId, cp.gitCommit, JSON.stringify(cp.diffStat), JSON.stringify(cp.tokens), cp.costUsd, cp.createdAt, cp.previousHash, cp.hash],
  );
  return cp;
}
