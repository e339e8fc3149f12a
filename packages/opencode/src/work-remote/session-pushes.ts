import { checkpointRef, coerceError, decideLeaseRefusal, sessionBranchRef } from "@industrial/core";
import { holderOf } from "../workspace/inspect";
import {
  listWorkRemoteRefs,
  pushToWorkRemote,
  WorkRemoteUnavailableError,
  type RefUpdate,
  type WorkRemote,
} from "../workspace/work-remote";

// One try of one session's pushes (checkpoint-pusher.ts schedules them: one
// at a time per session, a bounded number at once, backoff while the remote
// is down): the branch with its lease and the checkpoint refs in one git
// push, a refused lease checked against the remote, then what landed recorded.

/** What this process knows of one session's pushes. */
export interface SessionPushes {
  tenantId: string;
  sessionId: string;
  shortId: string;
  dirs: readonly string[];
  /** The newest writer seen; -1 before the first. */
  writer: number;
  /** A writer whose lease was lost: its commits no longer move the branch. */
  lostWriter: number | null;
  onLeaseLost: ((reason: string) => void) | undefined;
  /** Where the remote branch is as far as this process knows (null: absent). */
  expected: string | null;
  /** Commits recorded before the writer began: a refused lease finding one of them is not a lost lease. */
  trusted: Set<string>;
  /**
   * Branch commits of this process's pushes whose answer never came (the
   * connection dropped, the remote timed out): they may have landed. Trusted
   * by the next refusal only, then forgotten — a definite answer settles them.
   */
  unconfirmed: Set<string>;
  /** Where the branch should go: the newest checkpoint of the newest writer, until pushed. */
  branch: { seq: number; commit: string } | null;
  /** Checkpoint refs not yet on the remote. */
  refs: Map<number, string>;
  /** Pushed, not yet recorded in the database. */
  unrecorded: number[];
  /** A refused lease already got its one immediate retry. */
  leaseRetried: boolean;
  failures: number;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  again: boolean;
  touchedAt: number;
}

/** Whether anything of the session is left to push or record. */
export const hasWork = (s: SessionPushes): boolean => s.branch !== null || s.refs.size > 0 || s.unrecorded.length > 0;

/** What a try needs of the pusher's options (CheckpointPusherOptions). */
export interface PushTryDeps {
  remote: WorkRemote;
  recordPushed(input: { tenantId: string; sessionId: string; seqs: number[]; remote: string; at: Date }): Promise<void>;
  observe?(result: "pushed" | "unreachable" | "refused"): void;
  staleWrite?(): void;
  log(level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>): void;
}

/** One try: push what is pending, then record what landed. */
export async function tryPushes(s: SessionPushes, deps: PushTryDeps): Promise<void> {
  const { remote, log } = deps;
  const branch = s.branch ? { ...s.branch, writer: s.writer } : null;
  const refs = [...s.refs];
  const updates: RefUpdate[] = [
    ...(branch ? [{ ref: sessionBranchRef(s.shortId), commit: branch.commit, lease: s.expected }] : []),
    ...refs.map(([seq, commit]) => ({ ref: checkpointRef(s.shortId, seq), commit, lease: null })),
  ];
  if (updates.length > 0) {
    const cwd = await holderOf(
      s.dirs,
      updates.map((u) => u.commit),
    );
    if (!cwd) {
      log("error", "checkpoints cannot be pushed: no directory on this replica holds their commits", {
        sessionId: s.sessionId,
        seqs: refs.map(([seq]) => seq),
        dirs: s.dirs,
      });
      s.branch = null;
      s.refs.clear();
      return;
    }
    let results;
    try {
      results = await pushToWorkRemote(cwd, remote, updates);
    } catch (e) {
      if (!(e instanceof WorkRemoteUnavailableError)) throw e;
      // No answer: the remote may have taken the branch all the same.
      if (branch) s.unconfirmed.add(branch.commit);
      s.failures++;
      deps.observe?.("unreachable");
      // The first failure, then one in ten: a remote down for an hour does not flood the log.
      if (s.failures % 10 === 1)
        log("warn", "work remote unreachable; checkpoints will be pushed when it answers", {
          sessionId: s.sessionId,
          failures: s.failures,
          err: e.message,
        });
      return;
    }
    // An answer came: what the pushes without one did is known now (the branch is where the remote says).
    const unconfirmed = s.unconfirmed;
    s.unconfirmed = new Set();
    const branchResult = branch ? results[0] : undefined;
    const refResults = branch ? results.slice(1) : results;
    let backOff = false;
    let landed = false;
    if (branch && branchResult) {
      if (branchResult.status === "ok" || branchResult.status === "up-to-date") {
        landed = true;
        s.expected = branch.commit;
        s.leaseRetried = false;
        if (s.branch?.commit === branch.commit) s.branch = null;
      } else if (branchResult.status === "stale") backOff = !(await leaseRefused(s, branch, unconfirmed, deps));
      else {
        backOff = true;
        log("warn", "the work remote refused the session branch", {
          sessionId: s.sessionId,
          summary: branchResult.summary,
        });
      }
    }
    for (const [i, r] of refResults.entries()) {
      const [seq, commit] = refs[i]!;
      if (r.status === "ok" || r.status === "up-to-date") {
        landed = true;
        s.unrecorded.push(seq);
      } else if (r.status === "stale" || r.status === "non-fast-forward") {
        // Checkpoint refs are never moved: one that holds another commit stays as it is.
        deps.observe?.("refused");
        log("error", "a checkpoint ref on the work remote holds another commit; left as it is", {
          sessionId: s.sessionId,
          seq,
          commit,
          summary: r.summary,
        });
      } else {
        backOff = true;
        log("warn", "the work remote refused a checkpoint ref", { sessionId: s.sessionId, seq, summary: r.summary });
        continue;
      }
      if (s.refs.get(seq) === commit) s.refs.delete(seq);
    }
    if (landed) deps.observe?.("pushed");
    s.failures = backOff ? s.failures + 1 : 0;
  }
  await record(s, deps);
}

/** Records the checkpoints that landed (their rows' push columns); kept to try again when the database fails. */
async function record(s: SessionPushes, deps: PushTryDeps): Promise<void> {
  const { remote, log } = deps;
  if (s.unrecorded.length === 0) return;
  const seqs = s.unrecorded.splice(0);
  try {
    await deps.recordPushed({
      tenantId: s.tenantId,
      sessionId: s.sessionId,
      seqs,
      remote: remote.display,
      at: new Date(),
    });
  } catch (e) {
    s.unrecorded.unshift(...seqs);
    s.failures++;
    log("warn", "pushed checkpoints could not be recorded; will try again", {
      sessionId: s.sessionId,
      seqs,
      err: coerceError(e).message,
    });
  }
}

/**
 * The branch's lease was refused: look at the remote before calling it
 * lost. Returns false when the remote could not be read (try again later).
 */
async function leaseRefused(
  s: SessionPushes,
  branch: { commit: string; writer: number },
  unconfirmed: ReadonlySet<string>,
  deps: PushTryDeps,
): Promise<boolean> {
  const { remote, log } = deps;
  const branchRef = sessionBranchRef(s.shortId);
  let remoteHead: string | null;
  try {
    remoteHead = (await listWorkRemoteRefs(remote, [branchRef])).get(branchRef) ?? null;
  } catch (e) {
    log("warn", "the session branch's lease was refused and the remote could not be read; will try again", {
      sessionId: s.sessionId,
      err: coerceError(e).message,
    });
    return false;
  }
  // A newer writer took over while this push was made: its own push comes next, with its own lease.
  if (s.writer !== branch.writer) return true;
  const decision = decideLeaseRefusal({
    remoteHead,
    expected: s.expected,
    trusted: new Set([...s.trusted, ...unconfirmed]),
  });
  if (decision.kind === "retry" && !s.leaseRetried) {
    s.leaseRetried = true;
    s.expected = decision.expected;
    s.again = true;
    return true;
  }
  const reason =
    decision.kind === "lost"
      ? decision.reason
      : `the work remote's branch lease was refused twice (remote at ${remoteHead?.slice(0, 12) ?? "no branch"})`;
  s.lostWriter = branch.writer;
  s.branch = null;
  deps.observe?.("refused");
  deps.staleWrite?.();
  log("warn", "the work remote refused the session branch's lease: another holder moved it", {
    sessionId: s.sessionId,
    fencingToken: branch.writer,
    reason,
  });
  const onLost = s.onLeaseLost;
  s.onLeaseLost = undefined;
  onLost?.(reason);
  return true;
}
