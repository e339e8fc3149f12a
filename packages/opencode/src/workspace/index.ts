/**
 * Workspaces: the git work trees sessions run in, their checkpoint commits,
 * diffs and restores. Invariants:
 * - all git I/O goes through `runGit` (run-git.ts): fixed identity, no hooks,
 *   no pager, a timeout, no shell;
 * - a worktree session works on `orchestrator/<short>`; its base commit is
 *   recorded in `refs/orchestrator/base/<short>`;
 * - writes to one work tree (snapshot, restore, prepare) are serialised per path;
 * - a directory the person owns is never deleted, and ignored files are never cleaned;
 * - the work remote (work-remote.ts) is only ever talked to with its own
 *   environment, and its URL reaches messages masked.
 */
export { prepareWorkspace, type PrepareWorkspaceInput } from "./prepare";
export { snapshotWorkspace } from "./snapshot";
export { diffWorkspace } from "./diff";
export { restoreWorkspace } from "./restore";
export { removeWorkspace, type RemoveWorkspaceOptions } from "./remove";
export { currentBranch, headCommit, isGitRepository } from "./inspect";
export { runGit, GitCommandError, GIT_IDENTITY, type GitResult, type RunGitOptions } from "./run-git";
export { sessionBranch, baseCommitRef } from "./naming";
export { mergeIntoIntegration, prepareIntegration, type MergeOutcome } from "./integration";
export {
  createWorkRemote,
  deleteFromWorkRemote,
  fetchFromWorkRemote,
  listWorkRemoteRefs,
  pushToWorkRemote,
  WorkRemoteUnavailableError,
  type RefUpdate,
  type WorkRemote,
} from "./work-remote";
export { parsePushPorcelain, type RefPushResult, type RefPushStatus } from "./push-porcelain";
export { recreateWorkspace, workRemoteBranchRef, type RecreateWorkspaceInput } from "./recreate";
export { listSessionFolders, retireSessionFolder, type SessionFolder } from "./retire";
export { isOwnWorkspacePath, locateWorkspace, type LocateWorkspaceInput, type LocatedWorkspace } from "./locate";
export {
  defaultWorkspaceOptions,
  type DiffStat,
  type FileChangeStatus,
  type FileDiff,
  type SnapshotResult,
  type WorkspaceDiff,
  type WorkspaceOptions,
} from "./types";
export { clearStaleGitLocks, releaseStaleLocks } from "./stale-locks";
