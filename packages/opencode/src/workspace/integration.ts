import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { PreconditionError } from "@industrial/core";
import { locateWorkTree, resolveCommit } from "./inspect";
import { withPathLock } from "./path-lock";
import { GitCommandError, runGit } from "./run-git";
import { fetchFromWorkRemote, type WorkRemote } from "./work-remote";
import { ensureWorktree, type PreparedWorktree } from "./worktree";

/**
 * A task tree's integration branch, `orchestrator/tree-<root short id>`, and
 * the orchestrator's own worktree of it, where the tree's session branches
 * are merged. Idempotent: a restart finds both again.
 */
export function prepareIntegration(
  repository: string,
  rootShortId: string,
  baseRef: string,
  worktreesDir: string,
  timeoutMs?: number,
): Promise<PreparedWorktree> {
  return ensureWorktree(repository, `tree-${rootShortId}`, baseRef, worktreesDir, timeoutMs);
}

export type MergeOutcome =
  { merged: true; commit: string; alreadyMerged: boolean } | { merged: false; conflicts: string[] };

/**
 * Merges `branch` into the integration worktree at `path` with a merge
 * commit. A branch already contained in HEAD (the merge happened before a
 * crash) is reported as merged without a second commit. On a conflict the
 * merge is aborted, the worktree is left as it was, and the conflicting
 * paths are returned.
 */
export function mergeIntoIntegration(
  path: string,
  branch: string,
  message: string,
  timeoutMs?: number,
): Promise<MergeOutcome> {
  return withPathLock(path, async () => {
    const git = (args: string[], allowExitCodes?: number[]) =>
      runGit(args, { cwd: path, timeoutMs, ...(allowExitCodes ? { allowExitCodes } : {}) });
    const head = async () => (await git(["rev-parse", "HEAD"])).stdout.trim();
    const contained = await git(["merge-base", "--is-ancestor", `refs/heads/${branch}`, "HEAD"], [1]);
    if (contained.exitCode === 0) return { merged: true, commit: await head(), alreadyMerged: true };
    const merge = await git(["merge", "--no-ff", "--no-edit", "-m", message, `refs/heads/${branch}`], [1]);
    if (merge.exitCode === 0) return { merged: true, commit: await head(), alreadyMerged: false };
    const unmerged = await git(["diff", "--name-only", "--diff-filter=U", "-z"]);
    const conflicts = unmerged.stdout.split("\0").filter(Boolean).sort();
    await git(["merge", "--abort"]);
    if (conflicts.length === 0)
      throw new GitCommandError(["merge", branch], path, 1, merge.stderr || merge.stdout, false, null, timeoutMs ?? 0);
    return { merged: false, conflicts };
  });
}

/**
 * Brings a session's branch into the repository of the integration worktree
 * at `into`, at the session's newest checkpoint (`commit`): from the
 * session's own clone when it is on this replica and holds exactly that,
 * else from its remote (the work remote, or a URL's origin), where the
 * session pushed it before it ended. A worktree of that repository made
 * before clones existed has its branch there already.
 * @throws PreconditionError when neither has the branch at `commit` (yet).
 */
export async function fetchSessionBranch(
  into: string,
  input: { path: string | null; branch: string; commit: string | null; remote: WorkRemote | null },
  timeoutMs?: number,
): Promise<void> {
  const ref = `refs/heads/${input.branch}`;
  const holds = async (cwd: string) => {
    const head = await resolveCommit(cwd, ref, { timeoutMs });
    return head !== null && (input.commit === null || head === input.commit);
  };
  if (input.commit !== null && (await resolveCommit(into, ref, { timeoutMs })) === input.commit) return;
  const root =
    input.path !== null && existsSync(input.path)
      ? ((await locateWorkTree(input.path, { timeoutMs }))?.root ?? null)
      : null;
  const dotGit = root === null ? null : await stat(join(root, ".git")).catch(() => null);
  if (dotGit?.isFile() && (await holds(into))) return;
  if (root !== null && dotGit?.isDirectory() && (await holds(root))) {
    await runGit(["fetch", "--quiet", "--no-tags", root, `+${ref}:${ref}`], { cwd: into, timeoutMs });
    return;
  }
  if (input.remote !== null) {
    await fetchFromWorkRemote(into, input.remote, [`+${ref}:${ref}`]).catch(() => undefined);
    if (await holds(into)) return;
  }
  throw new PreconditionError(
    `branch ${input.branch} at ${input.commit?.slice(0, 12) ?? "its last checkpoint"} is neither in the session's folder on this replica nor on its remote`,
    {
      context: { branch: input.branch, commit: input.commit, remote: input.remote?.display ?? null },
      suggestion: "its checkpoints are pushed in the background: the merge is tried again at the next round",
    },
  );
}
