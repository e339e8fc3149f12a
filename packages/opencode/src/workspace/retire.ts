import { randomBytes } from "node:crypto";
import type { Dirent } from "node:fs";
import { readdir, realpath, rename, rm, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { isSessionFolderName, type WorktreeLocalState } from "@industrial/core";
import { resolveCommit } from "./inspect";
import { withPathLock } from "./path-lock";
import { runGit } from "./run-git";
import { borrowedObjectStores, isPartialSessionFolder, releaseBorrowed } from "./session-clone";
import type { SessionFolder } from "./types";
import { listSlotFolders, readSlotOwner, slotKeyFolders } from "./warm-slots";

/*
 * Removing the folders of finished sessions from a replica's own
 * directories (`<data dir>/worktrees`, `<data dir>/workspaces`). Only folders
 * named like a session's short id directly inside those directories are ever
 * looked at; a directory a person named is never under the data dir, so none
 * is ever touched here. Whether a folder may go is core's
 * `decideWorktreeRemoval`; this file only reads and removes.
 */

/** Folders being removed are renamed to this prefix first; a crash mid-removal leaves them for the next round. */
const RETIRING_PREFIX = ".retiring-";

export type { SessionFolder } from "./types";

const PARTIAL_MAX_AGE_MS = 3_600_000;

async function isOlderThan(path: string, ms: number): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > ms;
}

/**
 * The session folders directly inside `dirs` (missing directories hold
 * none). Leftovers of removals a crash interrupted, and session folders a
 * crash left half-made an hour ago, are deleted on the way.
 */
export async function listSessionFolders(dirs: readonly string[]): Promise<SessionFolder[]> {
  const out: SessionFolder[] = [];
  for (const dir of dirs) {
    for (const e of await sweepLeftovers(dir)) {
      if (!e.isDirectory() || !isSessionFolderName(e.name)) continue;
      const path = join(dir, e.name);
      const info = await stat(path).catch(() => null);
      if (info) out.push({ name: e.name, path, changedAt: info.mtime });
    }
    // Warm slots, named after their owner; their folders hold leftovers of hand-overs as well.
    for (const keyFolder of await slotKeyFolders(dir)) await sweepLeftovers(keyFolder);
    out.push(...(await listSlotFolders(dir)));
  }
  return out;
}

/** The entries of `dir`, after deleting what removals a crash interrupted left, and folders a crash left half-made an hour ago. */
async function sweepLeftovers(dir: string): Promise<Dirent[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && e.name.startsWith(RETIRING_PREFIX)) await rm(path, { recursive: true, force: true });
    // An hour is far longer than any clone or fetch takes.
    if (e.isDirectory() && isPartialSessionFolder(e.name) && (await isOlderThan(path, PARTIAL_MAX_AGE_MS)))
      await rm(path, { recursive: true, force: true });
  }
  return entries;
}

/**
 * The folder's git state: the commit checked out, and whether anything is
 * not committed (untracked files count, ignored ones do not). Null when the
 * folder is not the top of a git checkout of its own — a broken folder must
 * not be read as the repository around the data dir.
 */
async function readFolderState(
  folder: string,
  options: { timeoutMs?: number } = {},
): Promise<WorktreeLocalState | null> {
  const top = await runGit(["rev-parse", "--show-toplevel"], {
    cwd: folder,
    timeoutMs: options.timeoutMs,
    allowExitCodes: [128],
  });
  if (top.exitCode !== 0) return null;
  const [own, actual] = await Promise.all([
    realpath(folder).catch(() => null),
    realpath(top.stdout.trim()).catch(() => ""),
  ]);
  if (own === null || own !== actual) return null;
  const head = await resolveCommit(folder, "HEAD", options);
  const status = await runGit(["status", "--porcelain", "-z", "--untracked-files=all"], {
    cwd: folder,
    timeoutMs: options.timeoutMs,
  });
  return { head, dirty: status.stdout.length > 0 };
}

/**
 * Removes a session folder if `confirm` says so. Under the folder's path lock
 * (the one prepare, recreate, restore and snapshot take), its git state is
 * read and handed to `confirm` with `moveAside`, which renames the folder out
 * of the way in one step: whoever looks next finds nothing and recreates it.
 * `confirm` calls it (inside whatever transaction it holds) and says whether
 * it did. The renamed folder is then deleted, and what tied it to the
 * repository it was cut from (the person's repository or a mirror) let go:
 * a clone's borrowed-objects ref, an older worktree's entry (pruned; its
 * session branch there stays).
 * @returns whether the folder was removed.
 */
export async function retireSessionFolder(
  folder: SessionFolder,
  confirm: (local: WorktreeLocalState | null, moveAside: () => Promise<void>) => Promise<boolean>,
  options: { timeoutMs?: number } = {},
): Promise<boolean> {
  const real = await realpath(folder.path).catch(() => null);
  if (real === null) return false;
  const aside = join(real, "..", `${RETIRING_PREFIX}${folder.name}-${randomBytes(4).toString("hex")}`);
  let commonDir: string | null = null;
  let borrowed: string[] = [];
  const moved = await withPathLocks([folder.path, real], async () => {
    // A warm slot listed under an owner it no longer has (taken over since): not that session's folder any more.
    const owner = await readSlotOwner(folder.path);
    if (owner !== null && owner !== folder.name) return false;
    const local = await readFolderState(real, options);
    // A worktree's git directory lives in its repository: what to prune once the folder is gone.
    if (local !== null) commonDir = await gitCommonDir(real, options.timeoutMs);
    // A session's own clone: the repositories whose objects it borrows, to let go of.
    if (commonDir !== null && isInside(commonDir, real)) borrowed = await borrowedObjectStores(commonDir);
    const done = await confirm(local, () => rename(real, aside));
    // Still under the folder's lock: a prepare or recreate waiting on it sets its own hold after this one went.
    if (done) await releaseBorrowed(borrowed, folder.name, options.timeoutMs);
    return done;
  });
  if (!moved) return false;
  await rm(aside, { recursive: true, force: true });
  if (commonDir !== null && !isInside(commonDir, real)) {
    const repo = commonDir;
    await withPathLock(repo, () => runGit(["worktree", "prune"], { cwd: repo, timeoutMs: options.timeoutMs })).catch(
      () => undefined,
    );
  }
  return true;
}

async function gitCommonDir(folder: string, timeoutMs?: number): Promise<string | null> {
  const r = await runGit(["rev-parse", "--path-format=absolute", "--git-common-dir"], {
    cwd: folder,
    timeoutMs,
    allowExitCodes: [128],
  });
  return r.exitCode === 0 ? await realpath(r.stdout.trim()).catch(() => null) : null;
}

function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}

// Every key a writer of this folder may lock it by (the listed path, and the resolved one recreate uses).
function withPathLocks<T>(paths: readonly string[], fn: () => Promise<T>): Promise<T> {
  const [first, ...rest] = [...new Set(paths)];
  return first === undefined ? fn() : withPathLock(first, () => withPathLocks(rest, fn));
}
