import type { RemoteCleanupState, Workspace } from "@industrial/core";
import { iso, isoRequired } from "./rows";
import type { CrossTenantDatabase } from "./tenant-wall";

/*
 * Deleted sessions whose refs are still to be removed from their remote
 * (core remote-cleanup.ts, migration 0012). A round claims a few, least
 * recently tried first, stamping `remote_cleanup_tried_at` in the claim: a
 * replica running a round at the same time skips the rows claimed (SKIP
 * LOCKED) and takes the next ones, and a remote that was down comes back to
 * the front only after every session not tried since.
 */

export interface RemoteCleanupRow {
  tenantId: string;
  sessionId: string;
  workspace: Workspace;
  state: RemoteCleanupState;
  /** The commits of its checkpoints: what its refs on the remote may hold. */
  checkpointCommits: string[];
}

/**
 * Claims up to `limit` deleted sessions with something left to remove at
 * `now` — the branch not removed yet, or the checkpoint refs past the
 * tenant's retention — pre-filtered to what core's `planRemoteCleanup` may
 * plan; the caller decides with that rule.
 */
export async function claimRemoteCleanups(
  db: CrossTenantDatabase,
  input: { now: Date; limit: number },
): Promise<RemoteCleanupRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `WITH picked AS (
       SELECT s.id FROM sessions s JOIN tenants t ON t.id = s.tenant_id
       WHERE s.deleted_at IS NOT NULL AND s.remote_refs_removed_at IS NULL
         AND (s.remote_branch_removed_at IS NULL OR (t.retention_days IS NOT NULL AND s.deleted_at < $1::timestamptz - t.retention_days * interval '1 day'))
       ORDER BY s.remote_cleanup_tried_at NULLS FIRST, s.deleted_at
       LIMIT $2 FOR UPDATE OF s SKIP LOCKED
     )
     UPDATE sessions s SET remote_cleanup_tried_at = $1 FROM picked p WHERE s.id = p.id
     RETURNING s.id, s.tenant_id, s.workspace, s.deleted_at, s.remote_branch_removed_at, s.remote_refs_removed_at,
       (SELECT t.retention_days FROM tenants t WHERE t.id = s.tenant_id) AS retention_days,
       (SELECT count(*) FROM checkpoints c WHERE c.session_id = s.id AND c.git_commit IS NOT NULL AND c.pushed_at IS NULL)::int AS unpushed,
       (SELECT coalesce(array_agg(DISTINCT c.git_commit), '{}') FROM checkpoints c WHERE c.session_id = s.id AND c.git_commit IS NOT NULL) AS commits`,
    [input.now.toISOString(), input.limit],
  );
  return rows
    .map((r) => ({
      tenantId: r.tenant_id as string,
      sessionId: r.id as string,
      workspace: r.workspace as Workspace,
      state: {
        deletedAt: isoRequired(r.deleted_at),
        branchRemovedAt: iso(r.remote_branch_removed_at),
        refsRemovedAt: iso(r.remote_refs_removed_at),
        retentionDays: r.retention_days == null ? null : Number(r.retention_days),
        unpushed: Number(r.unpushed),
      },
      checkpointCommits: (r.commits as string[] | null) ?? [],
    }))
    .sort((a, b) => a.state.deletedAt.localeCompare(b.state.deletedAt));
}

/** Records what was removed from the session's remote: the branch, or the branch and its checkpoint refs. */
export async function markRemoteCleanup(
  db: CrossTenantDatabase,
  input: { tenantId: string; sessionId: string; branch: boolean; checkpointRefs: boolean; at: Date },
): Promise<void> {
  if (!input.branch && !input.checkpointRefs) return;
  await db.query(
    `UPDATE sessions SET remote_branch_removed_at = coalesce(remote_branch_removed_at, $3),
       remote_refs_removed_at = CASE WHEN $4 THEN $3 ELSE remote_refs_removed_at END
     WHERE id = $1 AND tenant_id = $2`,
    [input.sessionId, input.tenantId, input.at.toISOString(), input.checkpointRefs],
  );
}
