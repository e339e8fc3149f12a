import { computePushTarget, sessionShortId, type AttemptContext, type Workspace } from "@industrial/core";
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
    // The workspace holds the commit; its repository (a URL's mirror) too, should the worktree be removed before the push lands.
    dirs: [ws.path, ws.mirror ?? ws.repository].filter((d): d is string => !!d),
    remote: pushRemoteOf(ctx.session.workspace),
    seq: checkpoint.seq,
    commit: checkpoint.commit,
    fencingToken: ctx.attempt.fencingToken,
    history: ctx.checkpointHistory ?? { commits: [], lastPushedCommit: null },
    onLeaseLost,
  });
}

/** The URL a session's checkpoints go to when it is not the work remote (a URL repository's origin), else null. */
export function pushRemoteOf(ws: Workspace): string | null {
  const target = computePushTarget(ws);
  return target.kind === "origin" ? target.url : null;
}
