import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { computeMirrorName, type RepositoryUrl } from "@industrial/core";
import { withPathLock } from "../workspace/path-lock";
import { TENANT_FOLDER } from "../workspace/session-folders";
import { runGit } from "../workspace/run-git";
import {
  fetchFromWorkRemote,
  readRemoteHead,
  WorkRemoteUnavailableError,
  type WorkRemote,
} from "../workspace/work-remote";

/**
 * What a mirror fetches: the repository's branches and tags, under the same
 * names (so a `baseRef` of `main`, `v1.2` or `HEAD` means what it means on
 * the repository), but never `orchestrator/*`: those are the sessions' own
 * branches, checked out in worktrees cut from the mirror — a fetch must not
 * move them (and git refuses to update a branch a worktree has checked out).
 * `--prune` leaves them alone too: a negative refspec keeps them out of the mapping.
 * A branch named plain `orchestrator` is left out as well: it could not sit beside them.
 */
export const MIRROR_REFSPECS = [
  "+refs/heads/*:refs/heads/*",
  "^refs/heads/orchestrator/*",
  "^refs/heads/orchestrator",
  "+refs/tags/*:refs/tags/*",
] as const;

/** Touched at every use; the garbage collection reads its time (`planMirrorGc`). */
export const MIRROR_USED_MARKER = "orchestrator-last-used";

export interface MirrorCacheOptions {
  /** `<data dir>/mirrors`: one folder per tenant, one bare repository per URL in it. */
  dir: string;
  /** How git talks to a repository: its environment (an SSH key file) and timeout, and its masked form. */
  remoteFor(url: string): WorkRemote;
  /** Each clone and fetch, for metrics and tests. */
  observe?(op: "clone" | "fetch", result: "ok" | "unreachable"): void;
}

/** One replica's bare mirrors of the URL repositories its sessions use, per tenant. */
export interface MirrorCache {
  readonly dir: string;
  /** `<dir>/<tenant>/<hash of the normalised URL>.git`, whether or not it exists yet. */
  pathOf(tenantId: string, url: RepositoryUrl): string;
  /**
   * Runs `use` on the tenant's mirror of `url`, holding the mirror's lock:
   * cloned when missing (once: concurrent callers wait for the first), and
   * fetched first when `fetch(mirror)` says so (a worktree is about to be cut).
   * @throws RepositoryUnreachableError when the clone or the fetch fails.
   */
  withMirror<T>(
    input: { tenantId: string; url: RepositoryUrl; fetch?: (mirror: string) => Promise<boolean> },
    use: (mirror: string) => Promise<T>,
  ): Promise<T>;
}

/**
 * A repository given by URL could not be cloned or fetched: down, refused,
 * no such repository, or credentials the operator's git setup does not
 * have. The session fails retryable (`REPOSITORY_UNREACHABLE`), so its retry
 * policy tries again later. The message names the repository, masked.
 */
export class RepositoryUnreachableError extends Error {
  constructor(
    readonly repository: string,
    detail: string,
  ) {
    super(`repository ${repository} could not be reached: ${detail}`);
    this.name = "RepositoryUnreachableError";
  }
}

export function createMirrorCache(options: MirrorCacheOptions): MirrorCache {
  const pathOf = (tenantId: string, url: RepositoryUrl) => {
    // The tenant id names a folder: nothing that could climb out of `dir`.
    if (!TENANT_FOLDER.test(tenantId)) throw new Error(`invalid tenant id for a mirror folder: ${tenantId}`);
    return join(options.dir, tenantId, computeMirrorName(url));
  };
  return {
    dir: options.dir,
    pathOf,
    withMirror(input, use) {
      const mirror = pathOf(input.tenantId, input.url);
      // Within one process; replicas have data dirs of their own, each held by one process (its data-dir lock).
      return withPathLock(mirror, async () => {
        const remote = options.remoteFor(input.url.url);
        if (!existsSync(join(mirror, "HEAD"))) await clone(mirror, remote, options);
        else if (input.fetch && (await input.fetch(mirror))) await fetchInto(mirror, remote, "fetch", options);
        await writeFile(join(mirror, MIRROR_USED_MARKER), `${new Date().toISOString()}\n`);
        return use(mirror);
      });
    },
  };
}

// Made in a folder of its own and renamed into place: a clone that fails or is cut short never looks like a mirror.
async function clone(mirror: string, remote: WorkRemote, options: MirrorCacheOptions): Promise<void> {
  const parent = join(mirror, "..");
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await runGit(["init", "--quiet", "--bare", tmp], { cwd: parent });
    await fetchInto(tmp, remote, "clone", options);
    // The repository's default branch, so that `HEAD` as a base ref means what it means there.
    const head = await readRemoteHead(remote).catch(() => null);
    if (head) await runGit(["symbolic-ref", "HEAD", head], { cwd: tmp });
    await rm(mirror, { recursive: true, force: true });
    await rename(tmp, mirror);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

async function fetchInto(
  mirror: string,
  remote: WorkRemote,
  op: "clone" | "fetch",
  options: MirrorCacheOptions,
): Promise<void> {
  try {
    await fetchFromWorkRemote(mirror, remote, MIRROR_REFSPECS, { prune: op === "fetch" });
    options.observe?.(op, "ok");
  } catch (e) {
    if (!(e instanceof WorkRemoteUnavailableError)) throw e;
    options.observe?.(op, "unreachable");
    // Both the name and git's message are masked (credentials never reach a session's error).
    throw new RepositoryUnreachableError(remote.display, e.message);
  }
}
