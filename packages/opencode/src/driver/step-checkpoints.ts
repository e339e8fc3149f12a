import {
  coerceError,
  type AttemptContext,
  type AttemptSink,
  type CheckpointTrigger,
  type Workspace,
} from "@industrial/core";
import { snapshotWorkspace } from "../workspace";
import type { CheckpointPusher } from "../work-remote";
import { landCheckpoints, pushRecordedCheckpoint } from "./checkpoint-push";
import type { DriverLog } from "./ports";

export interface StepCheckpointsDeps {
  ctx: AttemptContext;
  sink: AttemptSink;
  /** Pushes every checkpoint to the work remote (absent: none configured). */
  pusher: CheckpointPusher | null | undefined;
  /** The attempt's workspace, once opened. */
  workspace(): Workspace | null;
  log: DriverLog;
  emitLog(level: "warn", text: string): void;
}

/**
 * The attempt's checkpoints: one per finished step (assistant message), and
 * the ones asked for (pause, hand-over, manual). They run one after the
 * other on a single chain, so commits land in the order of the steps; each
 * recorded one is handed to the work remote's pusher.
 */
export class StepCheckpoints {
  /** Steps already checkpointed (a resumed or adopted attempt's too): each is committed once. */
  private readonly checkpointed: Set<string>;
  /** The chain of checkpoint jobs; never rejects (a failure is logged). */
  private chain: Promise<void> = Promise.resolve();
  /** The last finished step: what a pause or manual checkpoint is taken after. */
  private lastCompletedMessage: string | null = null;

  constructor(private readonly deps: StepCheckpointsDeps) {
    this.checkpointed = new Set(deps.ctx.known.checkpointedMessages);
  }

  /** A finished assistant message is a step: commit the worktree and chain a checkpoint. */
  stepFinished(messageId: string): void {
    this.lastCompletedMessage = messageId;
    if (this.checkpointed.has(messageId)) return;
    this.checkpointed.add(messageId);
    void this.enqueue("step", messageId);
  }

  /** A checkpoint after the last finished step (pause, hand-over, manual); rejects when it failed. */
  afterLastStep(trigger: CheckpointTrigger): Promise<void> {
    return this.enqueue(trigger, this.lastCompletedMessage);
  }

  /** Resolves once every checkpoint asked for so far is done (or failed). */
  settled(): Promise<void> {
    return this.chain;
  }

  /**
   * Before the session ends, its checkpoints go to the work remote: a replica
   * killed before this is done has not finished the session, which another
   * replica then takes over from the last pushed checkpoint (docs/work-remote.md).
   * Tried again for at most `waitMs`: a remote that stays down leaves them to the background pusher.
   */
  async land(waitMs: number, interrupted: () => boolean): Promise<void> {
    await this.chain;
    const { pusher } = this.deps;
    if (!this.deps.workspace() || !pusher) return;
    // 0: no wait at all (the operator's choice), the pushes go on in the background.
    if (waitMs === 0) return;
    const landed = await landCheckpoints(pusher, this.deps.ctx.session.id, waitMs, 1000, interrupted);
    if (!landed)
      this.deps.emitLog(
        "warn",
        "the session's checkpoints are not on the work remote yet (it did not answer in time): they are pushed in the background",
      );
  }

  private enqueue(trigger: CheckpointTrigger, messageId: string | null): Promise<void> {
    const { sink, ctx } = this.deps;
    const job = this.chain.then(async () => {
      const ws = this.deps.workspace()!;
      const snap = await snapshotWorkspace(
        ws,
        `orchestrator: ${trigger} checkpoint${messageId ? ` after ${messageId}` : ""}`,
      );
      if (snap.changed)
        sink.emit(
          snap.files.map((f) => ({
            type: "session.file_edited" as const,
            payload: { path: f.path, added: f.additions ?? 0, removed: f.deletions ?? 0 },
          })),
        );
      const written = await sink.checkpoint({
        trigger,
        openCodeMessageId: messageId,
        gitCommit: snap.commit,
        diffStat: snap.diffStat,
      });
      if (written)
        pushRecordedCheckpoint(this.deps.pusher, ctx, ws, { seq: written.seq, commit: snap.commit }, (reason) =>
          sink.staleWrite("git", reason),
        );
    });
    this.chain = job.catch((e) => this.deps.log("error", "checkpoint failed", { err: coerceError(e).message }));
    return job;
  }
}
