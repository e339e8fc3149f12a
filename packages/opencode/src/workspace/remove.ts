import { stat, rm } from "node:fs/promises";
import { join } from "node:path";
import { ConflictError, type Workspace } from "@industrial/core";
import { resolveCommit } from "./inspect";
import { baseCommitRef, sessionFolderOf, shortIdOfBranch } from "./naming";
import { withPathLock } from "./path-lock";
import { runGit } from "./run-git";
import type { WorkspaceOptions } from "./types";
import { borrowedObjectStores, releaseBorrowed } from "./session-clone";
import { listWorktrees } from "./worktree";

export interface RemoveWorkspaceOptions extends Partial<WorkspaceOptions> {
  /** Also delete the session branch and its recorded base: its checkpoints become unreachable. */
  deleteBranch?: boolean;
}

/**
 * Removes a session's own clone or worktree (with whatever it contains). A workspace
 * worked in place (a person's directory, a scratch folder) is never deleted:
 * it has no repository of origin and this returns `{ removed: false }`.
 * Only `orchestrator/…` branches are ever deleted.
 */
export async function removeWorkspace(
  ws: Workspace,
  options: RemoveWorkspaceOptions = {},
): Promise<{ removed: boolean }> {
  const { repository: repo, branch } = ws;
  const shortId = branch === null ? null : shortIdOfBranch(branch);
  if (repo === null || branch === null || shortId === null) return { removed: false };
  const { timeoutMs } = options;
  const git = (args: string[]) => runGit(args, { cwd: repo, timeoutMs });

  return withPathLock(ws.path ?? repo, async () => {
    const clone = ws.path === null ? null : await ownCloneRoot(ws.path, shortId);
    if (clone !== null) {
      // The session's own clone: its folder holds everything (its branch too); what it borrowed is let go.
      const borrowed = await borrowedObjectStores(join(clone, ".git"));
      await rm(clone, { recursive: true, force: true });
      await releaseBorrowed(borrowed, shortId, timeoutMs);
      return { removed: true };
    }
    // A worktree made before clones existed. Find it by branch, not by ws.path: the path may be a sub-folder of it.
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

// The top of the session's own clone holding `path` (the path may be a sub-folder of it), or null.
async function ownCloneRoot(path: string, shortId: string): Promise<string | null> {
  const dir = sessionFolderOf(path, shortId);
  return dir !== null && (await stat(join(dir, ".git")).catch(() => null))?.isDirectory() ? dir : null;
}
