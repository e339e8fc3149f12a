import { checkpointRef, coerceError, decideLeaseRefusal, sessionBranchRef, type PushTarget } from "@industrial/core";
import { computeBackoffDelay, type BackoffOptions } from "../backoff";
import { holderOf } from "../workspace/inspect";
import { listWorkRemoteRefs, pushToWorkRemote, WorkRemoteUnavailableError, type RefUpdate, type WorkRemote } from "../workspace/work-remote";

/** One checkpoint to put on the work remote. */
export interface CheckpointPush {
  tenantId: string;
  sessionId: string;
  shortId: string;
  /** Directories holding the commit, tried in order (the workspace, then its repository). */
  dirs: readonly string[];
  seq: number;
  commit: string;
  /** Who wrote the checkpoint: a higher token is a newer holder, and only the newest holder's commits move the branch. */
  fencingToken: number;
  /** The session's checkpoints recorded before this writer began (AttemptContext.checkpointHistory). */
  history: { commits: readonly string[]; lastPushedCommit: string | null };
  /** The branch's lease was lost (another holder moved it): the writer must stop. Called at most once per writer. */
  onLeaseLost?: (reason: string) => void;
  /** Push the checkpoint ref only, never the branch (a replica pushing what its predecessor left: it is no writer). */
  refOnly?: boolean;
  /** Where to: a URL repository's origin (`pushTo: "origin"`); absent or null: the work remote. Only a routed pusher reads it. */
  remote?: string | null;
}

export interface CheckpointPusherOptions {
  remote: WorkRemote;
  /** Records checkpoints whose commits are now on the remote (their rows' push columns). */
  recordPushed(input: { tenantId: string; sessionId: string; seqs: number[]; remote: string; at: Date }): Promise<void>;
  /** Each push's result, for metrics: `pushed`, `unreachable` (retried later), `refused` (a lease or a ref refused it). */
  observe?(result: "pushed" | "unreachable" | "refused"): void;
  /** A branch lease was refused for good: a stale write in git. */
  staleWrite?(): void;
  log(level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>): void;
  /** Waits between tries while the remote is down. */
  backoff?: BackoffOptions;
  /** Pushes running at once, all sessions together. */
  concurrency?: number;
  random?: () => number;
}

export function defaultPusherBackoff(): BackoffOptions {
  return { baseMs: 1000, maxMs: 15_000, jitter: 0.2 } satisfies BackoffOptions;
}

/** Pushes every checkpoint to the work remote, in the background, retrying until it lands. */
export interface CheckpointPusher {
  /** The work remote. */
  readonly remote: WorkRemote;
  /** Where a session's checkpoints go (`computePushTarget`): its URL repository's origin, or the work remote. A plain pusher has one remote. */
  remoteOf(workspace: { repository: string | null; pushTo?: PushTarget | null }): WorkRemote;
  /** Queues a checkpoint; returns at once (the session goes on while the push is made or retried). */
  push(job: CheckpointPush): void;
  /** Tries what is pending now (skipping a backoff wait) and resolves after that try; true when nothing is left (of the session, or of all). */
  flush(sessionId?: string): Promise<boolean>;
  /** Seqs of the session still waiting to be pushed or recorded on this replica. */
  pending(sessionId: string): number[];
  /** Stops retrying (what is pending stays "not yet pushed") and waits for pushes in flight. */
  stop(): Promise<void>;
}

// What this process knows of one session's pushes.
interface SessionPushes {
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

/** Sessions kept with nothing pending (their lease knowledge) before the least recently used are forgotten. */
const MAX_IDLE_SESSIONS = 1000;

/**
 * The work remote's pusher (docs/work-remote.md). Per session, one push at a
 * time: the branch goes to the newest checkpoint of the newest writer with
 * `--force-with-lease` on where this process last saw it, and each checkpoint
 * gets its own ref (must not exist yet: never moved). A remote that cannot be
 * reached is tried again with backoff; a later checkpoint supersedes an
 * earlier branch push, never an earlier checkpoint ref. A refused lease is
 * re-checked against the remote (decideLeaseRefusal) and, when lost, ends the
 * writer's branch pushes and tells it to stop.
 */
export function createCheckpointPusher(options: CheckpointPusherOptions): CheckpointPusher {
  const { remote, log } = options;
  const backoff = options.backoff ?? defaultPusherBackoff();
  const random = options.random ?? Math.random;
  const sessions = new Map<string, SessionPushes>();
  let slots = options.concurrency ?? 4;
  const waiting: (() => void)[] = [];
  let stopped = false;

  const hasWork = (s: SessionPushes) => s.branch !== null || s.refs.size > 0 || s.unrecorded.length > 0;

  function schedule(s: SessionPushes, delayMs: number): void {
    if (stopped) return;
    if (s.running) {
      s.again = true;
      return;
    }
    if (s.timer) {
      // Waiting out a backoff: a new checkpoint does not hammer a remote that is down.
      if (delayMs > 0 || s.failures > 0) return;
      clearTimeout(s.timer);
      s.timer = null;
    }
    if (delayMs > 0) {
      s.timer = setTimeout(() => {
        s.timer = null;
        start(s);
      }, delayMs);
      return;
    }
    start(s);
  }

  function start(s: SessionPushes): Promise<void> {
    if (s.running) return s.running;
    s.running = withSlot(() => attempt(s))
      .catch((e) => {
        s.failures++;
        log("error", "work remote push failed unexpectedly", { sessionId: s.sessionId, err: coerceError(e).message });
      })
      .finally(() => {
        s.running = null;
        s.touchedAt = Date.now();
        if (!hasWork(s)) s.failures = 0;
        if (s.again) {
          s.again = false;
          schedule(s, 0);
        } else if (hasWork(s)) schedule(s, s.failures > 0 ? computeBackoffDelay(s.failures - 1, backoff, random) : 0);
        forgetIdle();
      });
    return s.running;
  }

  async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
    while (slots === 0) await new Promise<void>((r) => waiting.push(r));
    slots--;
    try {
      return await fn();
    } finally {
      slots++;
      waiting.shift()?.();
    }
  }

  /** One try: push what is pending, then record what landed. */
  async function attempt(s: SessionPushes): Promise<void> {
    const branch = s.branch ? { ...s.branch, writer: s.writer } : null;
    const refs = [...s.refs];
    const updates: RefUpdate[] = [
      ...(branch ? [{ ref: sessionBranchRef(s.shortId), commit: branch.commit, lease: s.expected }] : []),
      ...refs.map(([seq, commit]) => ({ ref: checkpointRef(s.shortId, seq), commit, lease: null })),
    ];
    if (updates.length > 0) {
      const cwd = await holderOf(s.dirs, updates.map((u) => u.commit));
      if (!cwd) {
        log("error", "checkpoints cannot be pushed: no directory on this replica holds their commits", { sessionId: s.sessionId, seqs: refs.map(([seq]) => seq), dirs: s.dirs });
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
        options.observe?.("unreachable");
        // The first failure, then one in ten: a remote down for an hour does not flood the log.
        if (s.failures % 10 === 1) log("warn", "work remote unreachable; checkpoints will be pushed when it answers", { sessionId: s.sessionId, failures: s.failures, err: e.message });
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
        } else if (branchResult.status === "stale") backOff = !(await leaseRefused(s, branch, unconfirmed));
        else {
          backOff = true;
          log("warn", "the work remote refused the session branch", { sessionId: s.sessionId, summary: branchResult.summary });
        }
      }
      for (const [i, r] of refResults.entries()) {
        const [seq, commit] = refs[i]!;
        if (r.status === "ok" || r.status === "up-to-date") {
          landed = true;
          s.unrecorded.push(seq);
        } else if (r.status === "stale" || r.status === "non-fast-forward") {
          // Checkpoint refs are never moved: one that holds another commit stays as it is.
          options.observe?.("refused");
          log("error", "a checkpoint ref on the work remote holds another commit; left as it is", { sessionId: s.sessionId, seq, commit, summary: r.summary });
        } else {
          backOff = true;
          log("warn", "the work remote refused a checkpoint ref", { sessionId: s.sessionId, seq, summary: r.summary });
          continue;
        }
        if (s.refs.get(seq) === commit) s.refs.delete(seq);
      }
      if (landed) options.observe?.("pushed");
      s.failures = backOff ? s.failures + 1 : 0;
    }
    await record(s);
  }

  async function record(s: SessionPushes): Promise<void> {
    if (s.unrecorded.length === 0) return;
    const seqs = s.unrecorded.splice(0);
    try {
      await options.recordPushed({ tenantId: s.tenantId, sessionId: s.sessionId, seqs, remote: remote.display, at: new Date() });
    } catch (e) {
      s.unrecorded.unshift(...seqs);
      s.failures++;
      log("warn", "pushed checkpoints could not be recorded; will try again", { sessionId: s.sessionId, seqs, err: coerceError(e).message });
    }
  }

  /**
   * The branch's lease was refused: look at the remote before calling it
   * lost. Returns false when the remote could not be read (try again later).
   */
  async function leaseRefused(s: SessionPushes, branch: { commit: string; writer: number }, unconfirmed: ReadonlySet<string>): Promise<boolean> {
    const branchRef = sessionBranchRef(s.shortId);
    let remoteHead: string | null;
    try {
      remoteHead = (await listWorkRemoteRefs(remote, [branchRef])).get(branchRef) ?? null;
    } catch (e) {
      log("warn", "the session branch's lease was refused and the remote could not be read; will try again", { sessionId: s.sessionId, err: coerceError(e).message });
      return false;
    }
    // A newer writer took over while this push was made: its own push comes next, with its own lease.
    if (s.writer !== branch.writer) return true;
    const decision = decideLeaseRefusal({ remoteHead, expected: s.expected, trusted: new Set([...s.trusted, ...unconfirmed]) });
    if (decision.kind === "retry" && !s.leaseRetried) {
      s.leaseRetried = true;
      s.expected = decision.expected;
      s.again = true;
      return true;
    }
    const reason = decision.kind === "lost" ? decision.reason : `the work remote's branch lease was refused twice (remote at ${remoteHead?.slice(0, 12) ?? "no branch"})`;
    s.lostWriter = branch.writer;
    s.branch = null;
    options.observe?.("refused");
    options.staleWrite?.();
    log("warn", "the work remote refused the session branch's lease: another holder moved it", { sessionId: s.sessionId, fencingToken: branch.writer, reason });
    const onLost = s.onLeaseLost;
    s.onLeaseLost = undefined;
    onLost?.(reason);
    return true;
  }

  function forgetIdle(): void {
    const idle = [...sessions.values()].filter((s) => !hasWork(s) && !s.running && !s.timer);
    if (idle.length <= MAX_IDLE_SESSIONS) return;
    idle.sort((a, b) => a.touchedAt - b.touchedAt);
    for (const s of idle.slice(0, idle.length - MAX_IDLE_SESSIONS)) sessions.delete(s.sessionId);
  }

  return {
    remote,
    remoteOf: () => remote,
    push(job) {
      if (stopped) return;
      let s = sessions.get(job.sessionId);
      if (!s) {
        const { tenantId, sessionId, shortId, dirs } = job;
        const fresh = { writer: -1, lostWriter: null, onLeaseLost: undefined, expected: job.history.lastPushedCommit, trusted: new Set<string>(), unconfirmed: new Set<string>(), branch: null, refs: new Map() };
        s = { tenantId, sessionId, shortId, dirs, ...fresh, unrecorded: [], leaseRetried: false, failures: 0, timer: null, running: null, again: false, touchedAt: Date.now() };
        sessions.set(job.sessionId, s);
      }
      if (!job.refOnly && job.fencingToken > s.writer) {
        // A newer holder: the older one's branch push is superseded (its checkpoint refs are still pushed).
        if (s.writer === -1) s.expected = job.history.lastPushedCommit;
        s.writer = job.fencingToken;
        s.onLeaseLost = job.onLeaseLost;
        s.branch = null;
        s.leaseRetried = false;
        for (const c of job.history.commits) s.trusted.add(c);
      }
      // The newest callback of the current writer is the one to tell (until it has been told).
      if (!job.refOnly && job.fencingToken === s.writer && job.onLeaseLost && s.lostWriter !== s.writer) s.onLeaseLost = job.onLeaseLost;
      // A writer's directories go first; a sweep's (refOnly) only add to them: they may be another replica's copy that lacks the writer's commits.
      s.dirs = [...new Set(job.refOnly ? [...s.dirs, ...job.dirs] : [...job.dirs, ...s.dirs])];
      s.touchedAt = Date.now();
      s.refs.set(job.seq, job.commit);
      const moves = !job.refOnly && job.fencingToken === s.writer && s.lostWriter !== s.writer && (s.branch === null || job.seq > s.branch.seq);
      if (moves) s.branch = { seq: job.seq, commit: job.commit };
      schedule(s, 0);
    },
    async flush(sessionId) {
      const targets = sessionId ? [sessions.get(sessionId)].filter((s): s is SessionPushes => s !== undefined) : [...sessions.values()];
      await Promise.all(
        targets.filter(hasWork).map(async (s) => {
          if (s.timer) clearTimeout(s.timer);
          s.timer = null;
          await (s.running ?? start(s));
          // A lease retry asked for another go: let it run before answering.
          while (s.running) await s.running;
        }),
      );
      return targets.every((s) => !hasWork(s));
    },
    pending(sessionId) {
      const s = sessions.get(sessionId);
      return s ? [...new Set([...s.refs.keys(), ...s.unrecorded])].sort((a, b) => a - b) : [];
    },
    async stop() {
      stopped = true;
      for (const s of sessions.values()) {
        if (s.timer) clearTimeout(s.timer);
        s.timer = null;
      }
      await Promise.all([...sessions.values()].map((s) => s.running));
    },
  };
}
