import { existsSync } from "node:fs";
import { coerceError } from "@industrial/core";
import { computeBackoffDelay, type BackoffOptions } from "../backoff";
import { runGit } from "../workspace/run-git";
import {
  listWorkRemoteRefs,
  pushToWorkRemote,
  WorkRemoteUnavailableError,
  type WorkRemote,
} from "../workspace/work-remote";
import { defaultPusherBackoff } from "./checkpoint-pusher";

export interface BranchPush {
  /** The full ref on the work remote (`refs/heads/orchestrator/tree-<short>`). */
  ref: string;
  commit: string;
  /** Directories holding the commit, tried in order. */
  dirs: readonly string[];
}

export interface BranchPusherOptions {
  remote: WorkRemote;
  log(level: "debug" | "info" | "warn" | "error", msg: string, extra?: Record<string, unknown>): void;
  observe?(result: "pushed" | "unreachable" | "refused"): void;
  backoff?: BackoffOptions;
  random?: () => number;
}

/** Pushes branches that only ever move forward (task trees' integration branches) to the work remote, in the background. */
export interface BranchPusher {
  push(job: BranchPush): void;
  /** Tries what is pending now; true when nothing is left. */
  flush(): Promise<boolean>;
  stop(): Promise<void>;
}

interface Pending {
  job: BranchPush;
  failures: number;
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
}

/**
 * Integration branches only move forward (merges on top of merges), so they
 * are pushed without force: the remote refuses a rewind by itself. Whoever
 * pushes an older commit after a newer one landed finds it already contained
 * and stops there. The latest commit of a ref supersedes an earlier one not
 * yet pushed; a remote that is down is tried again with backoff.
 */
export function createBranchPusher(options: BranchPusherOptions): BranchPusher {
  const { remote, log } = options;
  const backoff = options.backoff ?? defaultPusherBackoff();
  const random = options.random ?? Math.random;
  const pending = new Map<string, Pending>();
  let stopped = false;

  function run(p: Pending): Promise<void> {
    if (p.running) return p.running;
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    const job = p.job;
    p.running = once(job)
      .then((done) => {
        if (done) p.failures = 0;
        else p.failures++;
        if (done && pending.get(job.ref) === p && p.job === job) pending.delete(job.ref);
      })
      .catch((e) => {
        p.failures++;
        log("error", "integration branch push failed unexpectedly", { ref: job.ref, err: coerceError(e).message });
      })
      .finally(() => {
        p.running = null;
        if (stopped || pending.get(job.ref) !== p) return;
        const delay = p.job === job ? computeBackoffDelay(p.failures - 1, backoff, random) : 0;
        p.timer = setTimeout(() => void run(p), delay);
      });
    return p.running;
  }

  /** One try; true when the branch is where it should be (or already past it). */
  async function once(job: BranchPush): Promise<boolean> {
    const cwd = job.dirs.find((d) => existsSync(d));
    if (!cwd) {
      log("error", "integration branch cannot be pushed: no directory on this replica holds it", { ref: job.ref });
      return true;
    }
    try {
      const [result] = await pushToWorkRemote(cwd, remote, [
        { ref: job.ref, commit: job.commit, fastForwardOnly: true },
      ]);
      if (result?.status === "ok" || result?.status === "up-to-date") {
        options.observe?.("pushed");
        return true;
      }
      if (result?.status === "non-fast-forward") return await behindRemote(cwd, job);
      log("warn", "the work remote refused the integration branch", { ref: job.ref, summary: result?.summary });
      return false;
    } catch (e) {
      if (!(e instanceof WorkRemoteUnavailableError)) throw e;
      options.observe?.("unreachable");
      log("warn", "work remote unreachable; the integration branch will be pushed when it answers", {
        ref: job.ref,
        err: e.message,
      });
      return false;
    }
  }

  // Refused as a rewind: fine when the remote already holds this commit in its history (a newer push landed first).
  async function behindRemote(cwd: string, job: BranchPush): Promise<boolean> {
    const head = (await listWorkRemoteRefs(remote, [job.ref])).get(job.ref);
    const contained =
      head &&
      (await runGit(["merge-base", "--is-ancestor", job.commit, head], { cwd, allowExitCodes: [1, 128] })).exitCode ===
        0;
    if (contained) return true;
    options.observe?.("refused");
    log("error", "the work remote's integration branch has diverged; not forced", {
      ref: job.ref,
      commit: job.commit,
      remoteHead: head ?? null,
    });
    return true;
  }

  return {
    push(job) {
      if (stopped) return;
      const p = pending.get(job.ref);
      if (p) {
        p.job = job;
        if (!p.running && p.failures === 0) void run(p);
        return;
      }
      const fresh: Pending = { job, failures: 0, timer: null, running: null };
      pending.set(job.ref, fresh);
      void run(fresh);
    },
    async flush() {
      await Promise.all([...pending.values()].map((p) => run(p)));
      return pending.size === 0;
    },
    async stop() {
      stopped = true;
      for (const p of pending.values()) if (p.timer) clearTimeout(p.timer);
      await Promise.all([...pending.values()].map((p) => p.running));
    },
  };
}
