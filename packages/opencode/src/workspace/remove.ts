import { ConflictError, type Workspace } from "@industrial/core";
import { resolveCommit } from "./inspect";
import { baseCommitRef, shortIdOfBranch } from "./naming";
import { withPathLock } from "./path-lock";
import { runGit } from "./run-git";
import type { WorkspaceOptions } from "./types";
import { listWorktrees } from "./worktree";

export interface RemoveWorkspaceOptions extends Partial<WorkspaceOptions> {
  /** Also delete the session branch and its recorded base: its checkpoints become unreachable. */
  deleteBranch?: boolean;
}

/**
 * Removes a session's worktree (with whatever it contains). A workspace
 * worked in place (a person's directory, a scratch folder) is never deleted:
 * it has no repository of origin and this returns `{ removed: false }`.
 * Only `orchestrator/…` branches are ever deleted.
 */
export async function removeWorkspace(ws: Workspace, options: RemoveWorkspaceOptions = {}): Promise<{ removed: boolean }> {
  const { repository: repo, branch } = ws;
  const shortId = branch === null ? null : shortIdOfBranch(branch);
  if (repo === null || branch === null || shortId === null) return { removed: false };
  const { timeoutMs } = options;
  const git = (args: string[]) => runGit(args, { cwd: repo, timeoutMs });

  return withPathLock(ws.path ?? repo, async () => {
    // Find the worktree by branch, not by ws.path: the path may be a sub-folder of it.
    const entry = (await listWorktrees(repo, timeoutMs)).find((w) => w.branch === `refs/heads/${branch}`);
    if (entry?.main) {
      throw new ConflictError(`branch ${branch} is checked out in the main work tree of ${repo}`, {
        suggestion: `check out another branch in ${repo} first`,
      });
    }
    if (entry?.prunable) await git(["worktree", "prune"]);
    else if (entry) await git(["worktree", "remove", "--force", entry.path]);

    if (options.deleteBranch) {
      if ((await resolveCommit(repo, `refs/heads/${branch}`, { timeoutMs })) !== null) {
        await git(["branch", "--quiet", "-D", branch]);
      }
      await git(["update-ref", "-d", baseCommitRef(shortId)]);
    }
    return { removed: entry !== undefined };
  });
}
