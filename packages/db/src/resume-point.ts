import {
  computeWorkspaceTarget,
  INFRASTRUCTURE_LOST,
  workspaceResetOf,
  type CheckpointTrigger,
  type ResumePoint,
  type Session,
} from "@industrial/core";
import type { Queryable } from "./database";
import { sessionOfTenant } from "./tenant-scope";

/**
 * Where a session stands for whoever continues it (AttemptContext.resumePoint):
 * the commit a replica without its workspace recreates it at (core's
 * computeWorkspaceTarget over its checkpoints and its workspace's reset), and
 * its newest checkpoint with the last thing the agent said before it (for the
 * continuation prompt; null when retention removed that part of the log).
 */
export async function readResumePoint(
  q: Queryable,
  session: Pick<Session, "id" | "tenantId" | "workspace">,
): Promise<ResumePoint> {
  const rows = await q.query<{
    seq: number;
    git_commit: string | null;
    pushed: boolean;
    trigger: CheckpointTrigger;
    diff_stat: { files: number; additions: number; deletions: number };
  }>(
    `SELECT seq, git_commit, pushed_at IS NOT NULL AS pushed, trigger, diff_stat FROM checkpoints WHERE session_id = $1 AND ${sessionOfTenant("$1", 2)} ORDER BY seq`,
    [session.id, session.tenantId],
  );
  const target = computeWorkspaceTarget({
    checkpoints: rows.map((r) => ({ seq: r.seq, gitCommit: r.git_commit, pushed: r.pushed })),
    reset: workspaceResetOf(session.workspace),
  });
  const newest = rows.findLast((r) => r.git_commit !== null);
  if (!newest) return { ...target, checkpoint: null };
  // The agent's last words at or before that checkpoint: before the first checkpoint event that comes after it.
  const [note] = await q.query<{ text: string }>(
    `SELECT payload->>'text' AS text FROM session_events
     WHERE session_id = $1 AND ${sessionOfTenant("$1", 2)} AND type = 'session.log' AND payload->>'source' = 'assistant'
       AND seq < COALESCE((SELECT min(seq) FROM session_events WHERE session_id = $1 AND type = 'session.checkpoint' AND (payload->>'seq')::int > $3), 2147483647)
     ORDER BY seq DESC LIMIT 1`,
    [session.id, session.tenantId, newest.seq],
  );
  return {
    ...target,
    checkpoint: { seq: newest.seq, trigger: newest.trigger, diffStat: newest.diff_stat, note: note?.text ?? null },
  };
}

/** Attempts of the session lost to the infrastructure and restarted: they do not count against maxAttempts (core planFinish). */
export async function countInfraRestarts(q: Queryable, tenantId: string, sessionId: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM attempts WHERE session_id = $1 AND ${sessionOfTenant("$1", 2)}
       AND error->>'code' = $3 AND (error->>'retryable')::boolean`,
    [sessionId, tenantId, INFRASTRUCTURE_LOST],
  );
  return row?.n ?? 0;
}
