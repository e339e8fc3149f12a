import { withPathLock } from "./path-lock";
import { GitCommandError, runGit } from "./run-git";
import { ensureWorktree, type PreparedWorktree } from "./worktree";

/**
 * A task tree's integration branch, `orchestrator/tree-<root short id>`, and
 * the orchestrator's own worktree of it, where the tree's session branches
 * are merged. Idempotent: a restart finds both again.
 */
export function prepareIntegration(repository: string, rootShortId: string, baseRef: string, worktreesDir: string, timeoutMs?: number): Promise<PreparedWorktree> {
  return ensureWorktree(repository, `tree-${rootShortId}`, baseRef, worktreesDir, timeoutMs);
}

export type MergeOutcome = { merged: true; commit: string; alreadyMerged: boolean } | { merged: false; conflicts: string[] };

/**
 * Merges `branch` into the integration worktree at `path` with a merge
 * commit. A branch already contained in HEAD (the merge happened before a
 * crash) is reported as merged without a second commit. On a conflict the
 * merge is aborted, the worktree is left as it was, and the conflicting
 * paths are returned.
 */
export function mergeIntoIntegration(path: string, branch: string, message: string, timeoutMs?: number): Promise<MergeOutcome> {
  return withPathLock(path, async () => {
    const git = (args: string[], allowExitCodes?: number[]) => runGit(args, { cwd: path, timeoutMs, ...(allowExitCodes ? { allowExitCodes } : {}) });
    const head = async () => (await git(["rev-parse", "HEAD"])).stdout.trim();
    const contained = await git(["merge-base", "--is-ancestor", `refs/heads/${branch}`, "HEAD"], [1]);
    if (contained.exitCode === 0) return { merged: true, commit: await head(), alreadyMerged: true };
    const merge = await git(["merge", "--no-ff", "--no-edit", "-m", message, `refs/heads/${branch}`], [1]);
    if (merge.exitCode === 0) return { merged: true, commit: await head(), alreadyMerged: false };
    const unmerged = await git(["diff", "--name-only", "--diff-filter=U", "-z"]);
    const conflicts = unmerged.stdout.split("\0").filter(Boolean).sort();
    await git(["merge", "--abort"]);
    if (conflicts.length === 0) throw new GitCommandError(["merge", branch], path, 1, merge.stderr || merge.stdout, false, null, timeoutMs ?? 0);
    return { merged: false, conflicts };
  });
}
