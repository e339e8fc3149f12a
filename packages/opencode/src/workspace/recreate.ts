import { mkdir, realpath, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import {
  checkpointRefPrefix,
  parseCheckpointRef,
  PreconditionError,
  sessionBranchRef,
  type Workspace,
} from "@industrial/core";
import { currentBranch, isGitRepository, resolveCommit } from "./inspect";
import { assertShortId, baseCommitRef, sessionBranch, sessionFolderOf } from "./naming";
import { withPathLock } from "./path-lock";
import { runGit } from "./run-git";
import type { WorkspaceOptions } from "./types";
import { fetchFromWorkRemote, listWorkRemoteRefs, type WorkRemote } from "./work-remote";
import { borrowedObjectStores, borrowObjects, buildSessionFolder, dissociate, holdBorrowed } from "./session-clone";

export interface RecreateWorkspaceInput {
  /** `sessionShortId(session.id)`: names the branch, the refs and the folder. */
  sessionShortId: string;
  workRemote: WorkRemote;
  /** Check out this commit (a checkpoint's); default: the newest checkpoint on the work remote (else the session branch's head). */
  commit?: string | null;
  /** The workspace is made at `<worktreesDir>/<short>` (this replica's, whatever path the session recorded). */
  worktreesDir: string;
  /** Borrow nothing from the local repository: the whole history comes from the work remote (session-folders.ts). */
  selfContained?: boolean | undefined;
}

/** Local ref the session branch of the work remote is fetched into (never the branch itself: it may be checked out). */
export function workRemoteBranchRef(shortId: string): string {
  return `refs/orchestrator/work-remote/${shortId}`;
}

/**
 * Rebuilds a session's workspace on a replica that does not have it, from
 * what the work remote holds: its newest checkpoint (or the one asked for)
 * checked out on `orchestrator/<short>` in a repository of its own at
 * `<worktreesDir>/<short>`, like a prepared session's own clone. When the
 * session's repository exists here, the copy borrows its objects (the base
 * and its history are not fetched again); otherwise (scratch, a directory
 * worked in place on another machine, a repository this replica cannot see,
 * a URL) the base commit comes with the branch's history.
 * The agent works in the same sub-folder as before when it named one.
 * Idempotent: a workspace already at the target is returned as it is (its
 * files are never reset). Holds only committed work: what was never
 * checkpointed (and pushed) died with the replica that had it.
 * @returns the workspace as it is now on this replica (`repository`: the
 *   local repository it borrows from, else null; store it, or use it once).
 * @throws PreconditionError when the work remote has nothing of the session.
 * @throws WorkRemoteUnavailableError when the work remote cannot be reached.
 */
export async function recreateWorkspace(
  ws: Workspace,
  input: RecreateWorkspaceInput,
  options: Partial<WorkspaceOptions> = {},
): Promise<Workspace> {
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
    const local =
      !input.selfContained && ws.repository !== null && (await isGitRepository(ws.repository, options))
        ? ws.repository
        : null;
    if (await isSessionCheckout(root, short, options.timeoutMs)) {
      if (input.selfContained) await dissociate(root, short, options.timeoutMs);
      // Cut from the local repository: a copy borrowing its objects, or a worktree of it made before clones existed.
      const dotGit = await stat(join(root, ".git")).catch(() => null);
      const borrows = dotGit?.isFile() || (await borrowedObjectStores(join(root, ".git"))).length > 0;
      // A copy left here by an earlier visit may be behind (or ahead of) the session: an explicit commit is checked out exactly.
      if (input.commit != null) await resetCheckout(root, short, input, options.timeoutMs);
      return recreated(borrows ? local : null);
    }
    // Made beside it and renamed into place: a failed fetch or a killed process leaves no half-made copy in the way.
    await buildSessionFolder(root, short, async (partial) => {
      const git = (args: string[]) => runGit(args, { cwd: partial, timeoutMs: options.timeoutMs });
      await git(["init", "--quiet"]);
      if (local) {
        // Hold what the copy reads from there before it reads it (let go of with the copy).
        if (ws.baseCommit) await holdBorrowed(local, short, ws.baseCommit, options.timeoutMs);
        await borrowObjects(partial, local, options.timeoutMs);
      }
      const target = await fetchSession(partial, short, input, options.timeoutMs);
      await git(["checkout", "--quiet", "-B", sessionBranch(short), target]);
      // Diffs and a later re-prepare find the base where prepare put it.
      if (ws.baseCommit && (await resolveCommit(partial, ws.baseCommit, options)) !== null)
        await git(["update-ref", baseCommitRef(short), ws.baseCommit]);
    });
    if (prefix) await mkdir(join(root, prefix), { recursive: true });
    return recreated(local);
  });
}

/**
 * Brings an existing copy to the asked commit: fetched again (the commit may
 * be newer than the copy), then reset and cleaned like a restore (ignored
 * files stay). A copy already there is left untouched.
 */
async function resetCheckout(
  root: string,
  short: string,
  input: RecreateWorkspaceInput,
  timeoutMs?: number,
): Promise<void> {
  const want = await resolveCommit(root, input.commit!, { timeoutMs });
  if (want !== null && want === (await resolveCommit(root, "HEAD", { timeoutMs }))) return;
  const target = await fetchSession(root, short, input, timeoutMs);
  await runGit(["reset", "--quiet", "--hard", target], { cwd: root, timeoutMs });
  await runGit(["clean", "--quiet", "-f", "-d", "--", ":/"], { cwd: root, timeoutMs });
}

/**
 * Fetches the session branch and every checkpoint ref of the session into
 * `cwd`, and says which commit to check out.
 */
async function fetchSession(
  cwd: string,
  short: string,
  input: RecreateWorkspaceInput,
  timeoutMs?: number,
): Promise<string> {
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
  const refspecs = [
    ...(refs.has(branchRef) ? [`+${branchRef}:${workRemoteBranchRef(short)}`] : []),
    ...(checkpoints.length ? [`+${checkpointRefPrefix(short)}*:${checkpointRefPrefix(short)}*`] : []),
  ];
  await fetchFromWorkRemote(cwd, input.workRemote, refspecs);
  // The newest checkpoint is the session's latest state; the branch equals it unless its push lags behind.
  const latest = checkpoints.sort((a, b) => b.seq - a.seq)[0]?.commit;
  const target = input.commit ?? latest ?? refs.get(branchRef)!;
  const commit = await resolveCommit(cwd, target, { timeoutMs });
  if (commit === null) {
    throw new PreconditionError(
      `commit ${target} is not on the work remote ${input.workRemote.display} for session ${short}`,
      {
        context: { commit: target, workRemote: input.workRemote.display },
        suggestion: "name a checkpoint of this session that was pushed",
      },
    );
  }
  return commit;
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
  const root = ws.repository === null || ws.path === null ? null : sessionFolderOf(ws.path, short);
  return root === null ? "" : relative(root, ws.path!);
}
