import { readdir, rm } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import type { Workspace } from "@industrial/core";
import { shortIdOfBranch } from "./naming";
import { withPathLock } from "./path-lock";
import { runGit } from "./run-git";

/**
 * Lock files a git process leaves when it dies mid-command — the replica
 * killed with -9 during a checkpoint or a baseline commit. The next start on
 * the same data dir (its only user: one orchestrator per data dir, and
 * in-process git on a folder runs under its path lock) would meet "cannot
 * lock ref 'HEAD': File exists" forever. Only the session's own locks are
 * removed: its git dir's (a scratch repository's or a session clone's whole
 * `.git`, or an older worktree's own gitdir) and its branch's ref lock; never a lock of a shared
 * repository, which the person's git or another session may hold.
 * Returns the paths removed (the caller logs them).
 */
export async function clearStaleGitLocks(
  folder: string,
  input: { branch: string | null; ownRepository: boolean; timeoutMs?: number },
): Promise<string[]> {
  const out = await runGit(["rev-parse", "--git-dir", "--git-common-dir"], {
    cwd: folder,
    timeoutMs: input.timeoutMs,
    allowExitCodes: [128],
  }).catch(() => null);
  if (!out || out.exitCode !== 0) return [];
  const [gitDir, commonDir] = out.stdout
    .trim()
    .split("\n")
    .map((p) => (isAbsolute(p) ? p : resolve(folder, p)));
  if (!gitDir || !commonDir) return [];
  // A repository at the top of the session's own folder (`<worktrees>/<short>/.git`) is its clone: never
  // shared. Not a worktree's gitdir, and not a repository around a folder that lost its `.git`.
  const short = input.branch === null ? null : shortIdOfBranch(input.branch);
  const own =
    input.ownRepository ||
    (gitDir === commonDir && short !== null && basename(gitDir) === ".git" && basename(dirname(gitDir)) === short);
  const locks = await findLocks(gitDir, own);
  if (!own && input.branch) locks.push(join(commonDir, "refs", "heads", `${input.branch}.lock`));
  const removed: string[] = [];
  for (const lock of locks) {
    const gone = await rm(lock).then(
      () => true,
      () => false,
    );
    if (gone) removed.push(lock);
  }
  return removed;
}

/** `*.lock` files in `dir` (and below it when `deep`: a repository of the session's own). */
async function findLocks(dir: string, deep: boolean): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: deep }).catch(() => []);
  return entries.filter((e) => e.isFile() && e.name.endsWith(".lock")).map((e) => join(e.parentPath, e.name));
}

/**
 * The same for a recorded workspace this replica reuses as it is (a retry or
 * a restart on the same data dir): a scratch repository's, a clone's or a
 * worktree's own locks, under the folder's path lock. A person's directory worked in place
 * is left alone: it may live on a volume other replicas use too.
 */
export async function releaseStaleLocks(ws: Workspace, timeoutMs?: number): Promise<string[]> {
  if (!ws.path || (ws.directory !== null && ws.repository === null)) return [];
  const scratch = ws.repository === null && ws.directory === null;
  return withPathLock(ws.path, () =>
    clearStaleGitLocks(ws.path!, {
      branch: scratch ? null : ws.branch,
      ownRepository: scratch,
      ...(timeoutMs ? { timeoutMs } : {}),
    }),
  );
}
