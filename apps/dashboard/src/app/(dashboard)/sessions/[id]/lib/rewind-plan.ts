/**
 * What a restore or a retry will throw away, from what the API says: the
 * checkpoint chain (`GET …/checkpoints`: each checkpoint's diff stat against
 * the commit before it — the step's own changes — and the token and cost
 * totals so far) and the worktree's diff against the base now (`GET …/diff`).
 * Pure, so the dialogs only draw it.
 *
 * The server's rules it mirrors (apps/server/src/services/session-checkpoints.ts
 * `restoreCheckpoint`, session-actions.ts `retrySession`; docs/work-remote.md):
 * a restore or a retry from a checkpoint resets the worktree to that
 * checkpoint's commit, a fresh retry to the base commit, a plain retry keeps
 * the worktree; later checkpoints stay in the chain and at their refs on the
 * work remote, so nothing recorded is deleted, only taken out of the worktree.
 */

export interface DiffStat {
  files: number;
  additions: number;
  deletions: number;
}

/** The fields of a checkpoint (packages/contracts `CheckpointSchema`) a plan reads. */
export interface CheckpointLike {
  seq: number;
  attempt: number;
  diffStat: DiffStat;
  tokens: { input: number; output: number; reasoning: number };
  costUsd: number;
}

/** Where a retry starts from; a restore is always `checkpoint`. */
export type RewindTarget = { kind: "latest" } | { kind: "checkpoint"; seq: number } | { kind: "fresh" };

export interface RewindPlan {
  /** The worktree is reset (false: a plain retry, which keeps it as it is). */
  resets: boolean;
  /** Checkpoints after the target whose work leaves the worktree (they stay in the chain). */
  later: { count: number; first: number; last: number } | null;
  /** Tokens and cost spent after the target: the work being undone (0 when nothing is). */
  spentAfter: { tokens: number; costUsd: number };
  /**
   * The worktree against the base now (null: not read yet) and after the
   * reset. `after` is known only for the base (a fresh retry) and the first
   * checkpoint, whose own changes are all it differs in; for a later one it is
   * null — the worktree as it was at that checkpoint, which no single stat of
   * the chain gives (later steps may touch the same files again).
   */
  worktree: { now: DiffStat | null; after: DiffStat | null } | null;
}

const ZERO: DiffStat = { files: 0, additions: 0, deletions: 0 };
const tokensOf = (c: CheckpointLike | undefined) => (c ? c.tokens.input + c.tokens.output + c.tokens.reasoning : 0);

/**
 * The plan for `target` over `checkpoints` (oldest first, as the API lists
 * them) with the worktree's stat `now`. A checkpoint seq the chain does not
 * hold plans as nothing thrown away (the server will answer 404).
 */
export function computeRewindPlan(
  checkpoints: readonly CheckpointLike[],
  target: RewindTarget,
  now: DiffStat | null,
): RewindPlan {
  const last = checkpoints.at(-1);
  if (target.kind === "latest")
    return { resets: false, later: null, spentAfter: { tokens: 0, costUsd: 0 }, worktree: null };
  const at = target.kind === "checkpoint" ? checkpoints.find((c) => c.seq === target.seq) : undefined;
  if (target.kind === "checkpoint" && !at)
    return { resets: false, later: null, spentAfter: { tokens: 0, costUsd: 0 }, worktree: null };
  const after = at ? checkpoints.filter((c) => c.seq > at.seq) : checkpoints;
  return {
    resets: true,
    later: after.length ? { count: after.length, first: after[0]!.seq, last: after.at(-1)!.seq } : null,
    spentAfter: {
      tokens: Math.max(0, tokensOf(last) - tokensOf(at)),
      costUsd: Math.max(0, (last?.costUsd ?? 0) - (at?.costUsd ?? 0)),
    },
    worktree: { now, after: !at ? ZERO : at.seq === checkpoints[0]!.seq ? at.diffStat : null },
  };
}

/** The retry body for a target (packages/contracts `RetryBody`: `fromCheckpoint` and `fresh` exclude each other). */
export function retryBodyOf(target: RewindTarget): { fromCheckpoint?: number; fresh?: boolean } {
  switch (target.kind) {
    case "latest":
      return {};
    case "checkpoint":
      return { fromCheckpoint: target.seq };
    case "fresh":
      return { fresh: true };
  }
}
