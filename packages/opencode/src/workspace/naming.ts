import { basename, dirname } from "node:path";
import { InvalidInputError, PreconditionError, type Workspace } from "@industrial/core";

/** Every session branch lives under this prefix; nothing else is ever deleted by the module. */
export const SESSION_BRANCH_PREFIX = "orchestrator/";

// A short id becomes a branch name, a ref name and a folder name: keep it to
// characters that are safe in all three (no "/", "..", leading "-").
const SHORT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function assertShortId(shortId: string): void {
  if (!SHORT_ID.test(shortId)) {
    throw new InvalidInputError(`invalid session short id "${shortId}"`, [
      { path: "sessionShortId", reason: "letters, digits, '-' and '_' only, at most 64" },
    ]);
  }
}

/** `orchestrator/<short>`: the branch a worktree session commits its checkpoints on. */
export function sessionBranch(shortId: string): string {
  return `${SESSION_BRANCH_PREFIX}${shortId}`;
}

/**
 * `refs/orchestrator/base/<short>` records the base commit of a session, so a
 * re-prepare after a crash finds the same base (HEAD has moved on by then) and
 * the base stays reachable for `gc`. Shared by all worktrees of a repository.
 */
export function baseCommitRef(shortId: string): string {
  return `refs/orchestrator/base/${shortId}`;
}

/**
 * `refs/orchestrator/borrowed/<short>`, in the repository a session's own
 * clone borrows objects from: holds the commit the clone started at, so no
 * gc or fetch drops objects the clone reads from there. Removed with the clone.
 */
export function borrowedRef(shortId: string): string {
  return `${BORROWED_REF_PREFIX}${shortId}`;
}

export const BORROWED_REF_PREFIX = "refs/orchestrator/borrowed/";

/** The short id a session branch was named after, or null for any other branch. */
export function shortIdOfBranch(branch: string): string | null {
  if (!branch.startsWith(SESSION_BRANCH_PREFIX)) return null;
  const shortId = branch.slice(SESSION_BRANCH_PREFIX.length);
  return SHORT_ID.test(shortId) ? shortId : null;
}

/** The folder named after the session that holds `path` (`path` itself, or one of its parents), or null. */
export function sessionFolderOf(path: string, shortId: string): string | null {
  for (let dir = path; dir !== dirname(dir); dir = dirname(dir)) if (basename(dir) === shortId) return dir;
  return null;
}

/** The workspace's path; operations on a workspace that was never prepared are refused. */
export function requirePath(ws: Workspace): string {
  if (ws.path === null) {
    throw new PreconditionError("workspace has not been prepared (no path)", {
      suggestion: "call prepareWorkspace first",
    });
  }
  return ws.path;
}
