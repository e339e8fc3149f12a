import { isPastRetention } from "../retention";

/*
 * What is removed from a deleted session's remote (the work remote, or the
 * URL repository its checkpoints went to). Pure: a retention round claims
 * deleted sessions, asks here what is due, lists the session's refs there,
 * and deletes what `computeRefDeletions` allows.
 *
 * - The branch `orchestrator/<short>` goes at the first round after the
 *   deletion once no checkpoint waits for its push (a push still to come
 *   would make the branch again).
 * - The immutable checkpoint refs keep every checkpoint's commit on the
 *   remote: the session row and its checkpoints stay in the database (audit),
 *   and the refs let anyone check a checkpoint's hash against its commit. They
 *   go as the session's events do, once the deletion is older than the
 *   tenant's `retentionDays` (null: kept for good). That round also removes
 *   the branch again if a late push made it anew.
 */

export interface RemoteCleanupState {
  deletedAt: string;
  branchRemovedAt: string | null;
  refsRemovedAt: string | null;
  /** The tenant's retention of events and audit entries; null: forever. */
  retentionDays: number | null;
  /** Checkpoints with a commit whose push was never recorded. */
  unpushed: number;
}

/** What to remove now: the branch alone, or the branch and every checkpoint ref. */
export interface RemoteCleanupPlan {
  branch: boolean;
  checkpointRefs: boolean;
}

export function planRemoteCleanup(s: RemoteCleanupState, now: Date): RemoteCleanupPlan {
  const checkpointRefs = s.refsRemovedAt === null && isPastRetention(new Date(s.deletedAt), now, s.retentionDays);
  const branch = checkpointRefs || (s.branchRemovedAt === null && s.unpushed === 0);
  return { branch, checkpointRefs };
}

export interface RefDeletions {
  /** Each ref with the commit it must still hold when deleted (git's `--force-with-lease=<ref>:<commit>`). */
  delete: { ref: string; lease: string }[];
  /** Refs holding a commit the session never recorded: someone else moved them there; they are left alone. */
  foreign: string[];
}

/**
 * Which of the refs found on the remote go: those holding a commit the
 * session recorded (a checkpoint's, its base, a reset's). The lease is that
 * commit, so a ref moved in the meantime is refused by the remote instead of
 * deleted. A session branch of a URL repository lives in the person's own
 * repository: work someone pushed onto it is theirs and stays.
 */
export function computeRefDeletions(found: ReadonlyMap<string, string>, known: ReadonlySet<string>): RefDeletions {
  const out: RefDeletions = { delete: [], foreign: [] };
  for (const [ref, commit] of [...found].sort(([a], [b]) => a.localeCompare(b))) {
    if (known.has(commit)) out.delete.push({ ref, lease: commit });
    else out.foreign.push(ref);
  }
  return out;
}
