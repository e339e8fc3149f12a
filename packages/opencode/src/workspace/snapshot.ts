import { InvalidInputError, type Workspace } from "@industrial/core";
import { parseNumstat, sumStat } from "./diff-parse";
import { assertOnBranch, headCommit } from "./inspect";
import { requirePath } from "./naming";
import { withPathLock } from "./path-lock";
import { addAll } from "./add-all";
import { GitCommandError, runGit } from "./run-git";
import type { SnapshotResult, WorkspaceOptions } from "./types";

/**
 * Another process (a second replica, or the person's own git) may hold the
 * index lock of a shared in-place directory for a moment: wait and try again
 * instead of losing the checkpoint.
 */
async function retryOnIndexLock<T>(fn: () => Promise<T>, attempts = 8): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts || !(e instanceof GitCommandError) || !e.stderr.includes("index.lock")) throw e;
      await new Promise((r) => setTimeout(r, 25 * 2 ** i * (0.5 + Math.random())));
    }
  }
}

/**
 * Commits the whole work tree (tracked, modified, deleted and untracked files;
 * ignored ones stay out) on the session branch, for a checkpoint.
 * Every call makes a commit (`--allow-empty`), so every checkpoint has one;
 * `changed` says whether anything differed from the previous commit.
 * Calls for one path run one after another (they share the index); calls for
 * different workspaces run in parallel.
 * @throws PreconditionError when the work tree is not on the session branch.
 */
export async function snapshotWorkspace(
  ws: Workspace,
  message: string,
  options: Partial<WorkspaceOptions> = {},
): Promise<SnapshotResult> {
  const path = requirePath(ws);
  if (message.trim() === "") {
    throw new InvalidInputError("checkpoint commit message is empty", [{ path: "message", reason: "empty" }]);
  }
  const timeoutMs = options.timeoutMs;
  const git = (args: string[]) => runGit(args, { cwd: path, timeoutMs });
  return withPathLock(path, async () => {
    if (ws.branch !== null) await assertOnBranch(path, ws.branch, { timeoutMs });
    const previous = await headCommit(path, { timeoutMs });
    await retryOnIndexLock(async () => {
      await addAll(git);
      // --no-verify on top of the disabled hooks path: belt and braces for pre-commit/commit-msg.
      await git(["commit", "--quiet", "--no-verify", "--allow-empty", "-m", message]);
    });
    const commit = await headCommit(path, { timeoutMs });
    const { stdout } = await git(["diff", "--numstat", "-z", "-M", "--no-ext-diff", previous, commit]);
    const files = parseNumstat(stdout);
    const diffStat = sumStat(files);
    return { commit, diffStat, changed: diffStat.files > 0, files };
  });
}
