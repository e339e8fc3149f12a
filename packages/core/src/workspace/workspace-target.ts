/**
 * Which copy of a session's workspace a replica works in, and at which
 * commit a copy recreated from the work remote starts (docs/work-remote.md,
 * "Which replica's workspace"). Pure.
 *
 * A session records one workspace path: the one of the replica that last
 * prepared, recreated, restored or ran it. Replicas have their own data dirs,
 * so that path means something only to the replica that recorded it; any
 * other replica works in a copy of its own under its own worktrees dir,
 * rebuilt from the work remote at the session's current commit.
 */
import type { Workspace } from "../session/session";

/**
 * What a restore or a retry (`fromCheckpoint`, `fresh`) reset the workspace
 * to, kept with the workspace record: until a later checkpoint is written,
 * the session's current state is this commit, not its newest checkpoint.
 */
export interface WorkspaceReset {
  commit: string;
  /** The checkpoint restored; null for the base commit (`fresh`). */
  seq: number | null;
  /** The newest checkpoint when the reset was made: only checkpoints after it supersede the reset. */
  afterSeq: number;
  /** The OpenCode session was rewound with the files; when not, it must not be continued (its messages describe files that are gone). */
  openCodeRewound: boolean;
}

/** The workspace record as stored with the session: the workspace and, after a restore or retry, its reset. */
export type RecordedWorkspace = Workspace & { reset?: WorkspaceReset | null };

/** The reset kept with a workspace record, if any. */
export function workspaceResetOf(ws: Workspace): WorkspaceReset | null {
  return (ws as RecordedWorkspace).reset ?? null;
}

export interface CheckpointCommit {
  seq: number;
  gitCommit: string | null;
  /** Its commit is recorded as being on the work remote. */
  pushed: boolean;
}

export interface WorkspaceTarget {
  /** Where a copy recreated from the work remote starts; null: nothing of the session is there. */
  target: { commit: string; seq: number | null } | null;
  /** Checkpoints newer than the target that never reached the work remote: their work was only on the replica that made them. */
  skipped: number[];
}

/**
 * The session's current commit as far as the work remote can give it back:
 * its newest pushed checkpoint, unless a reset came after every pushed
 * checkpoint (then the reset's commit).
 */
export function computeWorkspaceTarget(input: {
  checkpoints: readonly CheckpointCommit[];
  reset: WorkspaceReset | null;
}): WorkspaceTarget {
  const after = input.reset?.afterSeq ?? 0;
  const later = input.checkpoints.filter((c) => c.seq > after && c.gitCommit !== null).sort((a, b) => a.seq - b.seq);
  const newest = later.filter((c) => c.pushed).at(-1);
  const skipped = later.filter((c) => !c.pushed && (newest === undefined || c.seq > newest.seq)).map((c) => c.seq);
  if (newest) return { target: { commit: newest.gitCommit!, seq: newest.seq }, skipped };
  if (input.reset) return { target: { commit: input.reset.commit, seq: input.reset.seq }, skipped };
  return { target: null, skipped };
}

export type WorkspaceSource = "recorded" | "recreate" | "prepare";

/**
 * Where an attempt or an action works:
 * - `recorded`: the recorded path, when it exists here and is this replica's
 *   own (under its data dir, or a person's directory worked in place) — or
 *   when re-attaching to a living OpenCode session, which works there;
 * - `recreate`: a copy under this replica's worktrees dir, from the work remote;
 * - `prepare`: nothing of the session survives anywhere this replica can
 *   reach: a new workspace from the session's base.
 * Another replica's path is never trusted: on one machine it may exist and
 * hold that replica's uncommitted or stale files.
 */
export function decideWorkspaceSource(input: {
  recordedExists: boolean;
  recordedIsOwn: boolean;
  keepRecorded: boolean;
  hasTarget: boolean;
}): WorkspaceSource {
  if (input.recordedExists && (input.recordedIsOwn || input.keepRecorded)) return "recorded";
  return input.hasTarget ? "recreate" : "prepare";
}
