import { coerceError, type PushTarget } from "@industrial/core";
import { computeBackoffDelay, type BackoffOptions } from "../backoff";
import type { WorkRemote } from "../workspace/work-remote";
import { hasWork, tryPushes, type SessionPushes } from "./session-pushes";

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
    s.running = withSlot(() => tryPushes(s, options))
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
        const fresh = {
          writer: -1,
          lostWriter: null,
          onLeaseLost: undefined,
          expected: job.history.lastPushedCommit,
          trusted: new Set<string>(),
          unconfirmed: new Set<string>(),
          branch: null,
          refs: new Map(),
        };
        s = {
          tenantId,
          sessionId,
          shortId,
          dirs,
          ...fresh,
          unrecorded: [],
          leaseRetried: false,
          failures: 0,
          timer: null,
          running: null,
          again: false,
          touchedAt: Date.now(),
        };
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
      if (!job.refOnly && job.fencingToken === s.writer && job.onLeaseLost && s.lostWriter !== s.writer)
        s.onLeaseLost = job.onLeaseLost;
      // A writer's directories go first; a sweep's (refOnly) only add to them: they may be another replica's copy that lacks the writer's commits.
      s.dirs = [...new Set(job.refOnly ? [...s.dirs, ...job.dirs] : [...job.dirs, ...s.dirs])];
      s.touchedAt = Date.now();
      s.refs.set(job.seq, job.commit);
      const moves =
        !job.refOnly &&
        job.fencingToken === s.writer &&
        s.lostWriter !== s.writer &&
        (s.branch === null || job.seq > s.branch.seq);
      if (moves) s.branch = { seq: job.seq, commit: job.commit };
      schedule(s, 0);
    },
    async flush(sessionId) {
      const targets = sessionId
        ? [sessions.get(sessionId)].filter((s): s is SessionPushes => s !== undefined)
        : [...sessions.values()];
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
