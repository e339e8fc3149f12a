import { mkdir, readdir, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { checkpointRefPrefix, ConflictError, parseCheckpointRef, PreconditionError, sessionBranchRef, type Workspace } from "@industrial/core";
import { currentBranch, isGitRepository, resolveCommit } from "./inspect";
import { assertShortId, baseCommitRef, sessionBranch } from "./naming";
import { withPathLock } from "./path-lock";
import { runGit } from "./run-git";
import type { WorkspaceOptions } from "./types";
import { fetchFromWorkRemote, listWorkRemoteRefs, type WorkRemote } from "./work-remote";
import { listWorktrees } from "./worktree";

export interface RecreateWorkspaceInput {
  /** `sessionShortId(session.id)`: names the branch, the refs and the folder. */
  sessionShortId: string;
  workRemote: WorkRemote;
  /** Check out this commit (a checkpoint's); default: the newest checkpoint on the work remote (else the session branch's head). */
  commit?: string | null;
  /** The workspace is made at `<worktreesDir>/<short>` (this replica's, whatever path the session recorded). */
  worktreesDir: string;
}

/** Local ref the session branch of the work remote is fetched into (never the branch itself: it may be checked out). */
export function workRemoteBranchRef(shortId: string): string {
  return `refs/orchestrator/work-remote/${shortId}`;
}

/**
 * Rebuilds a session's workspace on a replica that does not have it, from
 * what the work remote holds: its newest checkpoint (or the one asked for)
 * checked out on `orchestrator/<short>` at `<worktreesDir>/<short>`.
 * - The session's repository exists here: a worktree of it, after fetching the
 *   session's refs into it (the base commit is already there).
 * - Otherwise (scratch, a directory worked in place on another machine, a
 *   repository this replica cannot see): a plain repository of its own,
 *   fetched from the work remote (the base commit comes with the branch's history).
 * The agent works in the same sub-folder as before when it named one.
 * Idempotent: a workspace already at the target is returned as it is (its
 * files are never reset). Holds only committed work: what was never
 * checkpointed (and pushed) died with the replica that had it.
 * @returns the workspace as it is now on this replica (store it, or use it once).
 * @throws PreconditionError when the work remote has nothing of the session.
 * @throws WorkRemoteUnavailableError when the work remote cannot be reached.
 */
export async function recreateWorkspace(ws: Workspace, input: RecreateWorkspaceInput, options: Partial<WorkspaceOptions> = {}): Promise<Workspace> {
  const short = input.sessionShortId;
  assertShortId(short);
  await mkdir(input.worktreesDir, { recursive: true });
  const root = join(await realpath(input.worktreesDir), short);
  const prefix = subFolderOf(ws, short);
  const recreated = (repository: string | null): Workspace => ({
    repository,
    baseRef: ws.baseRef,
    baseCommit: ws.baseCommit,
    branch: sessionBranch(short),
    path: prefix ? join(root, prefix) : root,
    directory: repository ? ws.directory : null,
  });
  return withPathLock(root, async () => {
    let local = ws.repository !== null && (await isGitRepository(ws.repository, options)) ? ws.repository : null;
    if (await isSessionCheckout(root, short, options.timeoutMs)) {
      const own = await hasOwnGitDir(root);
      // A copy left here by an earlier visit may be behind (or ahead of) the session: an explicit commit is checked out exactly.
      if (input.commit != null) await resetCheckout(root, short, input, options.timeoutMs);
      return recreated(own ? null : local);
    }
    // The session branch checked out in another worktree of a shared repository (another replica's, on a
    // shared volume or one machine): that copy is not ours; this replica gets a repository of its own.
    if (local && (await checkedOutElsewhere(local, short, root, options.timeoutMs))) local = null;
    const fetchInto = local ?? (await initClone(root, options.timeoutMs));
    const target = await fetchSession(fetchInto, short, input, options.timeoutMs);
    if (local) await addWorktree(local, short, root, target, input.commit != null, options.timeoutMs);
    else await runGit(["checkout", "--quiet", "-B", sessionBranch(short), target], { cwd: root, timeoutMs: options.timeoutMs });
    // Diffs and a later re-prepare find the base where prepare put it.
    if (ws.baseCommit && (await resolveCommit(fetchInto, ws.baseCommit, options)) !== null)
      await runGit(["update-ref", baseCommitRef(short), ws.baseCommit], { cwd: fetchInto, timeoutMs: options.timeoutMs });
    if (prefix) await mkdir(join(root, prefix), { recursive: true });
    return recreated(local);
  });
}

/**
 * Brings an existing copy to the asked commit: fetched again (the commit may
 * be newer than the copy), then reset and cleaned like a restore (ignored
 * files stay). A copy already there is left untouched.
 */
async function resetCheckout(root: string, short: string, input: RecreateWorkspaceInput, timeoutMs?: number): Promise<void> {
  const want = await resolveCommit(root, input.commit!, { timeoutMs });
  if (want !== null && want === (await resolveCommit(root, "HEAD", { timeoutMs }))) return;
  const target = await fetchSession(root, short, input, timeoutMs);
  await runGit(["reset", "--quiet", "--hard", target], { cwd: root, timeoutMs });
  await runGit(["clean", "--quiet", "-f", "-d", "--", ":/"], { cwd: root, timeoutMs });
}

// A repository of its own (a clone made here), not a worktree of the session's repository (whose .git is a file).
async function hasOwnGitDir(root: string): Promise<boolean> {
  return (await stat(join(root, ".git")).catch(() => null))?.isDirectory() ?? false;
}

// The session branch is checked out in a live worktree of `repo` other than `root`.
async function checkedOutElsewhere(repo: string, short: string, root: string, timeoutMs?: number): Promise<boolean> {
  const entry = (await listWorktrees(repo, timeoutMs)).find((w) => w.branch === `refs/heads/${sessionBranch(short)}`);
  return entry !== undefined && !entry.prunable && entry.path !== root;
}

/**
 * Fetches the session branch and every checkpoint ref of the session into
 * `cwd`, and says which commit to check out.
 */
async function fetchSession(cwd: string, short: string, input: RecreateWorkspaceInput, timeoutMs?: number): Promise<string> {
  const branchRef = sessionBranchRef(short);
  const refs = await listWorkRemoteRefs(input.workRemote, [branchRef, `${checkpointRefPrefix(short)}*`]);
  const checkpoints = [...refs].flatMap(([ref, commit]) => {
    const seq = parseCheckpointRef(ref, short);
    return seq === null ? [] : [{ seq, commit }];
  });
  if (!refs.has(branchRef) && checkpoints.length === 0) {
    throw new PreconditionError(`the work remote ${input.workRemote.display} holds nothing of session ${short}`, {
      context: { workRemote: input.workRemote.display, branch: branchRef },
      suggestion: "its checkpoints were never pushed: only the replica that ran it had its files",
    });
  }
  const refspecs = [...(refs.has(branchRef) ? [`+${branchRef}:${workRemoteBranchRef(short)}`] : []), ...(checkpoints.length ? [`+${checkpointRefPrefix(short)}*:${checkpointRefPrefix(short)}*`] : [])];
  await fetchFromWorkRemote(cwd, input.workRemote, refspecs);
  // The newest checkpoint is the session's latest state; the branch equals it unless its push lags behind.
  const latest = checkpoints.sort((a, b) => b.seq - a.seq)[0]?.commit;
  const target = input.commit ?? latest ?? refs.get(branchRef)!;
  const commit = await resolveCommit(cwd, target, { timeoutMs });
  if (commit === null) {
    throw new PreconditionError(`commit ${target} is not on the work remote ${input.workRemote.display} for session ${short}`, {
      context: { commit: target, workRemote: input.workRemote.display },
      suggestion: "name a checkpoint of this session that was pushed",
    });
  }
  return commit;
}

/**
 * A worktree of the session's own repository at `root`, on the session
 * branch. The branch is moved to `target` unless it already holds newer work
 * of its own (a local branch ahead of the remote: pushes still pending) and no
 * commit was asked for.
 */
async function addWorktree(repo: string, short: string, root: string, target: string, exact: boolean, timeoutMs?: number): Promise<void> {
  const git = (args: string[], allowExitCodes?: number[]) => runGit(args, { cwd: repo, timeoutMs, allowExitCodes });
  const branch = sessionBranch(short);
  const entry = (await listWorktrees(repo, timeoutMs)).find((w) => w.branch === `refs/heads/${branch}`);
  if (entry?.prunable) await git(["worktree", "prune"]);
  else if (entry) {
    throw new ConflictError(`branch ${branch} is checked out at ${entry.path}`, {
      context: { repository: repo, branch, path: entry.path },
      suggestion: `use that workspace, or remove it (git worktree remove ${entry.path})`,
    });
  }
  await assertFree(root, branch);
  const local = await resolveCommit(repo, `refs/heads/${branch}`, { timeoutMs });
  const keepLocal = !exact && local !== null && (await git(["merge-base", "--is-ancestor", target, local], [1])).exitCode === 0;
  if (!keepLocal) await git(["branch", "--quiet", "--force", branch, target]);
  await git(["worktree", "add", "--quiet", root, branch]);
}

// A new repository at `root` to fetch the session into.
async function initClone(root: string, timeoutMs?: number): Promise<string> {
  await mkdir(root, { recursive: true });
  await assertFree(root, "the session's workspace");
  await runGit(["init", "--quiet"], { cwd: root, timeoutMs });
  return root;
}

// Already recreated (or never lost) here: a repository whose HEAD is the session branch.
async function isSessionCheckout(root: string, short: string, timeoutMs?: number): Promise<boolean> {
  if (!(await isGitRepository(root, { timeoutMs }))) return false;
  const top = await runGit(["rev-parse", "--show-toplevel"], { cwd: root, timeoutMs });
  const sameRoot = (await realpath(top.stdout.trim()).catch(() => "")) === root;
  return sameRoot && (await currentBranch(root, { timeoutMs })) === sessionBranch(short);
}

// The sub-folder of its worktree the session worked in (a `directory` inside a repository), or "".
function subFolderOf(ws: Workspace, short: string): string {
  if (ws.repository === null || ws.path === null) return "";
  for (let dir = ws.path; dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === short) return relative(dir, ws.path);
  }
  return "";
}

async function assertFree(target: string, what: string): Promise<void> {
  const entries = await readdir(target).catch(() => []);
  if (entries.length > 0) {
    throw new ConflictError(`${target} exists and is not ${what}`, {
      context: { path: target },
      suggestion: `move or delete ${target}, or use another worktrees directory`,
    });
  }
}
