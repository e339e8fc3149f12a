import { InvalidInputError, PreconditionError, type Workspace } from "@industrial/core";
import { assertOnBranch, resolveCommit } from "./inspect";
import { requirePath } from "./naming";
import { withPathLock } from "./path-lock";
import { runGit } from "./run-git";
import type { WorkspaceOptions } from "./types";

/**
 * Rewinds the workspace to a checkpoint commit: the session branch moves back
 * to it, tracked files take its content, and untracked files are deleted.
 * Ignored files (build output, dependencies) are kept: they were never part of
 * a checkpoint, so deleting them could not be undone.
 * Only commits already on the session branch are accepted, so a restore can
 * never pull in foreign history. Serialised with snapshots of the same path.
 * @returns the full hash restored to.
 * @throws InvalidInputError when the commit is unknown or not on the branch.
 */
export async function restoreWorkspace(
  ws: Workspace,
  commit: string,
  options: Partial<WorkspaceOptions> = {},
): Promise<{ commit: string }> {
  const path = requirePath(ws);
  const branch = ws.branch;
  if (branch === null) throw new PreconditionError(`workspace ${path} has no branch to restore on`);
  const timeoutMs = options.timeoutMs;
  const git = (args: string[], allowExitCodes?: number[]) => runGit(args, { cwd: path, timeoutMs, allowExitCodes });

  return withPathLock(path, async () => {
    await assertOnBranch(path, branch, { timeoutMs });
    const target = await resolveCommit(path, commit, { timeoutMs });
    const onBranch =
      target !== null &&
      (await git(["merge-base", "--is-ancestor", target, `refs/heads/${branch}`], [1])).exitCode === 0;
    if (target === null || !onBranch) {
      throw new InvalidInputError(
        `commit ${commit} is not on branch ${branch} of ${path}`,
        [{ path: "commit", reason: "not on the session branch" }],
        {
          context: { commit, branch, path },
          suggestion: "restore one of this session's checkpoints",
        },
      );
    }
    await git(["reset", "--quiet", "--hard", target]);
    // No -x: ignored files stay. ":/" cleans the whole tree even when the
    // workspace path is a sub-folder of it.
    await git(["clean", "--quiet", "-f", "-d", "--", ":/"]);
    return { commit: target };
  });
}
