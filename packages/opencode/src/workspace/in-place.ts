import { currentBranch, locateWorkTree, resolveCommit } from "./inspect";
import { addAll } from "./add-all";
import { baseCommitRef } from "./naming";
import { runGit } from "./run-git";

/** Set in repositories the orchestrator created in a person's plain directory. */
export const IN_PLACE_KEY = "orchestrator.inPlace";

export interface PreparedInPlace {
  /** The branch checked out in the directory; checkpoints are committed on it. */
  branch: string | null;
  baseCommit: string;
}

/**
 * True when `dir` is a plain directory the orchestrator made a repository of
 * (every session targeting it works in it, sharing its files), or was already
 * prepared in place for this session (its own
 * repository records the session's base), or is the root of a repository
 * with no commit yet (a crash between `git init` and the baseline commit).
 */
export async function isInPlaceWorkspace(dir: string, shortId: string, timeoutMs?: number): Promise<boolean> {
  const location = await locateWorkTree(dir, { timeoutMs });
  if (location === null || location.prefix !== "") return false;
  // A plain directory we turned into a repository stays a plain-directory workspace for every session.
  const marked = await runGit(["config", "--local", "--get", IN_PLACE_KEY], {
    cwd: dir,
    timeoutMs,
    allowExitCodes: [1],
  });
  if (marked.stdout.trim() === "true") return true;
  if ((await resolveCommit(dir, baseCommitRef(shortId), { timeoutMs })) !== null) return true;
  return (await resolveCommit(dir, "HEAD", { timeoutMs })) === null;
}

/**
 * Makes `dir` a repository of its own whose baseline commit holds everything
 * in it, and records that commit as the session's base. Idempotent: a
 * directory prepared before keeps its branch, commits and files.
 *
 * Only the directory's existing `.gitignore` files are honoured: adding one
 * would change the person's files before the agent even started.
 */
export async function ensureInPlace(dir: string, shortId: string, timeoutMs?: number): Promise<PreparedInPlace> {
  const git = (args: string[]) => runGit(args, { cwd: dir, timeoutMs });
  const location = await locateWorkTree(dir, { timeoutMs });
  // A folder inside someone else's repository gets a repository of its own
  // (a nested one) rather than commits in the enclosing one.
  if (location === null || location.prefix !== "") {
    await git(["init", "--quiet"]);
    await git(["config", "--local", IN_PLACE_KEY, "true"]);
  }

  const recorded = await resolveCommit(dir, baseCommitRef(shortId), { timeoutMs });
  if (recorded !== null) return { branch: await currentBranch(dir, { timeoutMs }), baseCommit: recorded };

  let baseCommit = await resolveCommit(dir, "HEAD", { timeoutMs });
  if (baseCommit === null) {
    await addAll(git);
    // --allow-empty: an empty folder still needs a commit to diff and restore against.
    await git(["commit", "--quiet", "--no-verify", "--allow-empty", "-m", `orchestrator: baseline of ${dir}`]);
    baseCommit = await resolveCommit(dir, "HEAD", { timeoutMs });
    if (baseCommit === null) throw new Error(`baseline commit in ${dir} left no HEAD`);
  }
  await git(["update-ref", baseCommitRef(shortId), baseCommit]);
  return { branch: await currentBranch(dir, { timeoutMs }), baseCommit };
}
