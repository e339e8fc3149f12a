import { FINISHED_STATUSES, type SessionStatus } from "../session/session-status";
import { computeWorkspaceTarget, type CheckpointCommit, type WorkspaceReset } from "./workspace-target";

/*
 * Which of a replica's session folders (`<data dir>/worktrees/<short>`,
 * `<data dir>/workspaces/<short>`) a retention round removes. Pure: the round
 * lists the folders, reads what the database says of each one's session and
 * the folder's git state, and asks here. A removed folder is recreated on
 * demand from the remote its checkpoints went to (diff, restore, retry,
 * another attempt: `locateWorkspace`), so only what that remote holds may go.
 */

/** How long after a session ends (or a copy of it is recreated) its folder is kept by default: a person reading the diff then is not slowed down. */
export const DEFAULT_WORKTREE_GRACE_HOURS = 1;

/** What the database says of the session a folder is named after. */
export interface WorktreeSessionFacts {
  status: SessionStatus;
  /** Soft-deleted (`DELETE /sessions/{id}`): nothing reads its workspace again. */
  deleted: boolean;
  /** When it finished; its last status change when no finish was recorded. */
  endedAt: string;
  checkpoints: readonly CheckpointCommit[];
  /** What a restore or retry reset the workspace to, kept with its record. */
  reset: WorkspaceReset | null;
}

export interface WorktreeCandidate {
  /** The one session whose short id names the folder; null when none has it (another deployment's folder) or several do. */
  session: WorktreeSessionFacts | null;
  /**
   * The folder is the session's recorded workspace (or holds it, for a
   * sub-folder): what it was last worked in. Otherwise it is a copy
   * recreated for a read (`GET …/diff`) or one a later run no longer uses.
   */
  recorded: boolean;
  /** The folder is, or holds, the directory or repository the person named (defence in depth: the data dir is refused as one, so none is ever under it). */
  personOwned: boolean;
  /** The folder's own last change (a copy recreated long after the end gets a grace of its own). */
  changedAt: string;
  /** This replica's pusher still holds pushes of the session (recorded or not). */
  pushesPending: boolean;
}

/** The folder's git state, read just before deciding; null when it could not be read (not a git checkout). */
export interface WorktreeLocalState {
  /** The commit checked out. */
  head: string | null;
  /** Changes not in any commit (untracked files count; ignored ones do not: a checkpoint would not take them either). */
  dirty: boolean;
}

export type WorktreeDecision = { remove: true } | { remove: false; reason: string };

/**
 * Why the folder must stay, judged on the database's facts alone (null: it
 * may go, subject to `computeLocalKeepReason`). The retention round asks
 * this first, reads the folder's git state only for what passes, and asks
 * again under the session's row lock right before removing.
 * - a folder of no single session, or one the person owns: never;
 * - a session that may still run (anything but finished, or deleted): kept;
 * - a checkpoint not yet on its remote, or a push under way: kept (the start-up
 *   sweep pushes from this folder; the folder is the only copy);
 * - not deleted: nothing on the remote to recreate it from (no checkpoint
 *   pushed, no reset) keeps it, and so does the grace period after the end
 *   or after the copy was made;
 * - deleted: no grace, no target: nothing reads it again.
 */
export function computeWorktreeKeepReason(c: WorktreeCandidate, now: Date, graceMs: number): string | null {
  const s = c.session;
  if (s === null) return "no single session has this short id";
  if (c.personOwned) return "a folder the person owns is never removed";
  if (!FINISHED_STATUSES.includes(s.status)) return `the session is ${s.status} and may still run`;
  if (c.pushesPending) return "pushes of its checkpoints are under way";
  const unpushed = s.checkpoints.filter((cp) => cp.gitCommit !== null && !cp.pushed).map((cp) => cp.seq);
  if (unpushed.length > 0) return `checkpoint${unpushed.length === 1 ? "" : "s"} ${unpushed.join(", ")} not yet pushed`;
  if (s.deleted) return null;
  if (computeWorkspaceTarget({ checkpoints: s.checkpoints, reset: s.reset }).target === null)
    return "nothing of it is on its remote to recreate it from";
  const since = Math.max(Date.parse(s.endedAt), Date.parse(c.changedAt));
  if (!(now.getTime() - since >= graceMs)) return "it ended, or this copy was made, less than the grace period ago";
  return null;
}

/**
 * Why the folder must stay, judged on its git state: only the session's
 * recorded workspace of a session not deleted is looked at, and it must be
 * exactly what the remote gives back (HEAD at the session's current commit,
 * nothing uncommitted). A copy made for a read, or a deleted session's
 * folder, holds nothing the session needs.
 */
export function computeLocalKeepReason(c: WorktreeCandidate, local: WorktreeLocalState | null): string | null {
  const s = c.session;
  if (s === null || !c.recorded || s.deleted) return null;
  if (local === null || local.head === null) return "its git state could not be read";
  if (local.dirty) return "it holds changes no checkpoint has";
  const target = computeWorkspaceTarget({ checkpoints: s.checkpoints, reset: s.reset }).target;
  if (target === null) return "nothing of it is on its remote to recreate it from";
  if (local.head !== target.commit)
    return `its HEAD ${local.head.slice(0, 12)} is not the session's last pushed commit ${target.commit.slice(0, 12)}`;
  return null;
}

/** Both rules: the folder goes only when neither keeps it. */
export function decideWorktreeRemoval(
  c: WorktreeCandidate,
  local: WorktreeLocalState | null,
  now: Date,
  graceMs: number,
): WorktreeDecision {
  const reason = computeWorktreeKeepReason(c, now, graceMs) ?? computeLocalKeepReason(c, local);
  return reason === null ? { remove: true } : { remove: false, reason };
}

/** A folder name that can be a session's (its short id: the first eight hex digits of its id). */
export function isSessionFolderName(name: string): boolean {
  return /^[0-9a-f]{8}$/.test(name);
}
