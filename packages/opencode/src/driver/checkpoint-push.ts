import { computePushTarget, raceDeadline, sessionShortId, type AttemptContext, type Workspace } from "@industrial/core";
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
    // The workspace holds the commit (its own clone); an older worktree's repository (a URL's mirror) too, should the worktree go before the push lands.
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

/**
 * Before a session's outcome is reported its checkpoints go to the remote
 * (docs/work-remote.md, "When, and in which order"): tries again every
 * `retryMs` until they landed or `waitMs` passed — a push cut off by the
 * remote (a dropped connection) fails at once, and a single try would leave
 * a finished session's work to the background pusher of a replica that may
 * die next. True when nothing of the session is left to push; it stops
 * trying when `stop()` says so (the attempt is being interrupted).
 */
export async function landCheckpoints(
  pusher: CheckpointPusher,
  sessionId: string,
  waitMs: number,
  retryMs = 1000,
  stop: () => boolean = () => false,
): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || stop()) return false;
    if (
      await raceDeadline(
        left,
        () => pusher.flush(sessionId).catch(() => false),
        () => false,
      )
    )
      return true;
    if (deadline - Date.now() <= retryMs || stop()) return false;
    await new Promise((r) => setTimeout(r, retryMs));
  }
}
