import type { Workspace } from "@industrial/core";
import type { Queryable } from "@industrial/db";

/** A merge of a session's branch into a tree's integration worktree: merged (maybe already), or refused with the conflicting paths. */
export type TreeMergeOutcome =
  { merged: true; commit: string; alreadyMerged: boolean } | { merged: false; conflicts: string[] };

/**
 * The git a task tree's step needs: the task executor merges its sessions'
 * branches into the tree's integration worktree and hands the new head to
 * the work remote. The server implements it over `@industrial/opencode`
 * (`runtime/task-executor-ports.ts`); the scheduler knows nothing of git.
 */
export interface TreeGit {
  /**
   * Brings a session's branch, at its newest checkpoint (`commit`), into the
   * repository of the integration worktree at `into`: from the session's own
   * folder when it is on this replica, else from where its checkpoints went.
   * @throws PreconditionError (core) when the branch is not there yet: the merge waits for the next round.
   */
  fetchSessionBranch(
    into: string,
    session: { workspace: Workspace; branch: string; commit: string | null },
  ): Promise<void>;
  /** Merges `branch` into the integration worktree at `path` with a merge commit; a conflict leaves the worktree as it was. */
  merge(path: string, branch: string, message: string): Promise<TreeMergeOutcome>;
  /** The commit checked out in the worktree at `path`. */
  headCommit(path: string): Promise<string>;
  /**
   * Pushes an integration branch's head to the work remote in the background
   * (`dirs` hold the commit, tried in order). Absent: integration branches
   * are not pushed, and their heads are not even read.
   */
  push?(job: { ref: string; commit: string; dirs: readonly string[] }): void;
}

/** A tree's repository as its next session may use it: the path to store, or why it is refused now. */
export type TreeRepositoryCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The server's workspace and repository admission, asked again for every
 * session a tree starts: the workspace roots or the tenant's repository
 * prefixes may have narrowed since the tree was executed.
 */
export interface TreeAdmission {
  /** The tree's own repository, a path the roots still admit, or a URL the tenant's prefixes still admit; read in the step's transaction `tx`. */
  repository(repository: string, root: { id: string; tenantId: string }, tx: Queryable): Promise<TreeRepositoryCheck>;
}
