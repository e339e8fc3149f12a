import { sessionShortId, type AttemptContext, type Workspace } from "@industrial/core";
import type { CheckpointPusher } from "../work-remote";

/**
 * Hands a checkpoint an attempt just recorded to the work remote's pusher
 * (nothing when no work remote is configured). The push is made in the
 * background: the attempt goes on; a lost branch lease calls `onLeaseLost`.
 */
export function pushRecordedCheckpoint(
  pusher: CheckpointPusher | null | undefined,
  ctx: AttemptContext,
  ws: Workspace,
  checkpoint: { seq: number; commit: string },
  onLeaseLost: (reason: string) => void,
): void {
  if (!pusher) return;
  pusher.push({
    tenantId: ctx.session.tenantId,
    sessionId: ctx.session.id,
    shortId: sessionShortId(ctx.session.id),
    // The workspace holds the commit; its repository too, should the worktree be removed before the push lands.
    dirs: [ws.path, ws.repository].filter((d): d is string => d !== null),
    seq: checkpoint.seq,
    commit: checkpoint.commit,
    fencingToken: ctx.attempt.fencingToken,
    history: ctx.checkpointHistory ?? { commits: [], lastPushedCommit: null },
    onLeaseLost,
  });
}
