import type { AttemptSink } from "@industrial/core";
import { appendCheckpoint, appendEvents, transitionSession, updateSession } from "@industrial/db";
import type { AttemptUsageMeter } from "./attempt-usage";
import type { FencedWrite, FencedWriter } from "./fenced-writer";

/**
 * Two of the writes the driver's reports become (the supervisor's sink): a
 * checkpoint with its metrics and event, and the session's health. Both go
 * through the attempt's fenced writer like every other write of the holder.
 */

/**
 * Chains a checkpoint: the checkpoint row, the session's metrics (its
 * checkpoint count among them) and its `session.checkpoint` event, in one
 * fenced transaction. Resolves with its seq, or null when the write was
 * dropped because the lease is gone (no seq, nothing to push).
 */
export async function writeCheckpoint(
  writer: FencedWriter,
  meter: AttemptUsageMeter,
  attempt: number,
  input: Parameters<AttemptSink["checkpoint"]>[0],
): Promise<{ seq: number } | null> {
  let seq: number | null = null;
  await writer.enqueue(async (tx, s) => {
    const metrics = meter.metrics();
    const cp = await appendCheckpoint(tx, s, {
      attempt,
      trigger: input.trigger,
      openCodeMessageId: input.openCodeMessageId,
      gitCommit: input.gitCommit,
      diffStat: input.diffStat,
      tokens: metrics.tokens,
      costUsd: metrics.costUsd,
    });
    meter.baseMetrics.checkpoints = cp.seq;
    await updateSession(tx, s, { metrics: meter.metrics() });
    seq = cp.seq;
    return appendEvents(
      tx,
      s,
      [
        {
          type: "session.checkpoint",
          payload: { seq: cp.seq, hash: cp.hash, trigger: cp.trigger, gitCommit: cp.gitCommit },
        },
      ],
      attempt,
    );
  });
  return seq === null ? null : { seq };
}

/** The driver reports the turn's health: a running session becomes degraded, a degraded one running again; else nothing. */
export function healthWrite(attempt: number, state: "healthy" | "degraded", reason: string): FencedWrite {
  return async (tx, s) => {
    if (state === "degraded" && s.status === "running")
      return transitionSession(tx, s, "degraded", reason, { attempt });
    if (state === "healthy" && s.status === "degraded") return transitionSession(tx, s, "running", reason, { attempt });
  };
}
