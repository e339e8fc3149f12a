import { mkdir, realpath } from "node:fs/promises";
import { clearStaleGitLocks } from "./stale-locks";
import { join, resolve } from "node:path";
import { ConflictError, InvalidInputError } from "@industrial/core";
import { assertEmptyFolder, resolveCommit } from "./inspect";
import { baseCommitRef, sessionBranch } from "./naming";
import { runGit } from "./run-git";

/** One entry of `git worktree list --porcelain`. */
export interface WorktreeEntry {
  path: string;
  /** `refs/heads/…`, or null when detached or bare. */
  branch: string | null;
  /** Its directory is gone; `git worktree prune` will drop it. */
  prunable: boolean;
  /** The repository's own checkout: never removed, never reused as a session worktree. */
  main: boolean;
}

/** Every worktree registered in `repo` (the main one first). */
export async function listWorktrees(repo: string, timeoutMs?: number): Promise<WorktreeEntry[]> {
  const { stdout } = await runGit(["worktree", "list", "--porcelain", "-z"], { cwd: repo, timeoutMs });
  // With -z every attribute ends in NUL and an empty attribute ends each record.
  return stdout
    .split("\0\0")
    .filter((record) => record.startsWith("worktree "))
    .map((record, index) => {
      const fields = record.split("\0");
      const value = (name: string) => fields.find((f) => f === name || f.startsWith(`${name} `));
      return {
        path: (value("worktree") ?? "").slice("worktree ".length),
        branch: value("branch")?.slice("branch ".length) ?? null,
        prunable: value("prunable") !== undefined,
        main: index === 0,
      };
    });
}

export interface PreparedWorktree {
  path: string;
  branch: string;
  baseCommit: string;
}

/**
 * Makes sure `<worktreesDir>/<short>` is a worktree of `repo` on
 * `orchestrator/<short>`. Idempotent: an existing worktree (a retry, or a
 * re-attach after a crash) is reused as is, never reset; an existing branch
 * without a worktree (its folder was deleted) is checked out again.
 * Callers serialise calls for one target path.
 */
export async function ensureWorktree(
  repo: string,
  shortId: string,
  baseRef: string,
  worktreesDir: string,
  timeoutMs?: number,
): Promise<PreparedWorktree> {
  const branch = sessionBranch(shortId);
  await mkdir(worktreesDir, { recursive: true });
  const target = join(await realpath(worktreesDir), shortId);
  const git = (args: string[]) => runGit(args, { cwd: repo, timeoutMs });

  const existing = (await listWorktrees(repo, timeoutMs)).find((w) => w.branch === `refs/heads/${branch}`);
  if (existing?.prunable) {
    await git(["worktree", "prune"]);
  } else if (existing) {
    if (existing.main || (await canonical(existing.path)) !== target) {
      throw new ConflictError(`branch ${branch} is already checked out at ${existing.path}`, {
        context: { repository: repo, branch, path: existing.path },
        suggestion: `check out another branch there, or remove that worktree (git worktree remove ${existing.path})`,
      });
    }
    // The session's own: its gitdir's locks and its branch's, left by a killed process.
    await clearStaleGitLocks(target, { branch, ownRepository: false, timeoutMs });
    return { path: target, branch, baseCommit: await recordedBase(repo, shortId, baseRef, branch, timeoutMs) };
  }

  await assertEmptyFolder(target, `the worktree of ${branch}`);
  if ((await resolveCommit(repo, `refs/heads/${branch}`, { timeoutMs })) !== null) {
    // The branch outlived its worktree: check it out again, commits and all.
    const baseCommit = await recordedBase(repo, shortId, baseRef, branch, timeoutMs);
    await git(["worktree", "add", target, branch]);
    return { path: target, branch, baseCommit };
  }
  const baseCommit = await resolveBaseRef(repo, baseRef, timeoutMs);
  // Record the base before creating the branch: after a crash in between, the
  // next attempt sees no branch and simply records it again.
  await git(["update-ref", baseCommitRef(shortId), baseCommit]);
  await git(["worktree", "add", "-b", branch, target, baseCommit]);
  return { path: target, branch, baseCommit };
}

/**
 * The commit `baseRef` names in `repo`.
 * @throws InvalidInputError naming the ref when it names no commit.
 */
export async function resolveBaseRef(repo: string, baseRef: string, timeoutMs?: number): Promise<string> {
  const commit = await resolveCommit(repo, baseRef, { timeoutMs });
  if (commit === null) {
    throw new InvalidInputError(
      `base ref "${baseRef}" is not a commit in ${repo}`,
      [{ path: "baseRef", reason: "unknown ref" }],
      {
        context: { repository: repo, baseRef },
        suggestion: `name an existing branch, tag or commit of ${repo} (see \`git -C ${repo} branch -a\`), or fetch it first`,
      },
    );
  }
  return commit;
}

// The base recorded at first prepare; for branches made before it was
// recorded, the fork point of the branch from the base ref.
async function recordedBase(
  repo: string,
  shortId: string,
  baseRef: string,
  branch: string,
  timeoutMs?: number,
): Promise<string> {
  const recorded = await resolveCommit(repo, baseCommitRef(shortId), { timeoutMs });
  if (recorded !== null) return recorded;
  const base = await resolveBaseRef(repo, baseRef, timeoutMs);
  const { stdout } = await runGit(["merge-base", base, `refs/heads/${branch}`], { cwd: repo, timeoutMs });
  const forkPoint = stdout.trim();
  await runGit(["update-ref", baseCommitRef(shortId), forkPoint], { cwd: repo, timeoutMs });
  return forkPoint;
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}
