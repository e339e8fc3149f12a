import {
  isSessionFolderName,
  workspaceResetOf,
  type CheckpointCommit,
  type SessionStatus,
  type Workspace,
  type WorktreeSessionFacts,
} from "@industrial/core";
import type { Queryable } from "./database";
import { isoRequired } from "./rows";
import type { CrossTenantDatabase } from "./tenant-wall";

/*
 * What the worktree retention round (core worktree-retention.ts) needs of
 * the sessions a replica's folders are named after: their status, deletion,
 * end, workspace record and every checkpoint's push state. The folders are
 * named by short id (the first eight hex digits of the id), so sessions are
 * found by the range of ids that begin with it (the primary key's index).
 */

export interface WorktreeSessionRow {
  id: string;
  tenantId: string;
  workspace: Workspace;
  facts: WorktreeSessionFacts;
}

const COLUMNS = `s.id, s.tenant_id, s.status, s.deleted_at IS NOT NULL AS deleted, coalesce(s.finished_at, s.status_updated_at) AS ended_at, s.workspace,
  coalesce((SELECT json_agg(json_build_object('seq', c.seq, 'gitCommit', c.git_commit, 'pushed', c.pushed_at IS NOT NULL) ORDER BY c.seq)
            FROM checkpoints c WHERE c.session_id = s.id), '[]'::json) AS checkpoints`;

/** Every session, of any tenant and deleted ones too, whose id begins with one of `shortIds`. */
export async function listSessionsByShortIds(
  db: CrossTenantDatabase,
  shortIds: readonly string[],
): Promise<WorktreeSessionRow[]> {
  const shorts = shortIds.filter(isSessionFolderName);
  if (shorts.length === 0) return [];
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM sessions s JOIN unnest($1::uuid[], $2::uuid[]) AS r(lo, hi) ON s.id BETWEEN r.lo AND r.hi ORDER BY s.id`,
    [shorts.map((s) => `${s}-0000-0000-0000-000000000000`), shorts.map((s) => `${s}-ffff-ffff-ffff-ffffffffffff`)],
  );
  return rows.map(fromRow);
}

/**
 * One session's facts with its row locked until the transaction ends
 * (`FOR NO KEY UPDATE`, as every status change takes it): a retry, restore
 * or deletion waits until the folder is out of the way, and one that came
 * first is seen. Null when there is no such session in the tenant.
 */
export async function lockWorktreeSession(
  tx: Queryable,
  tenantId: string,
  sessionId: string,
): Promise<WorktreeSessionRow | null> {
  const rows = await tx.query<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM sessions s WHERE s.id = $1 AND s.tenant_id = $2 FOR NO KEY UPDATE OF s`,
    [sessionId, tenantId],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

function fromRow(r: Record<string, unknown>): WorktreeSessionRow {
  const workspace = r.workspace as Workspace;
  const raw = (typeof r.checkpoints === "string" ? JSON.parse(r.checkpoints) : r.checkpoints) as CheckpointCommit[];
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    workspace,
    facts: {
      status: r.status as SessionStatus,
      deleted: r.deleted as boolean,
      endedAt: isoRequired(r.ended_at),
      checkpoints: raw.map((c) => ({ seq: Number(c.seq), gitCommit: c.gitCommit ?? null, pushed: c.pushed === true })),
      reset: workspaceResetOf(workspace),
    },
  };
}
