/**
 * Workspaces: the git work trees sessions run in, their checkpoint commits,
 * diffs and restores. Invariants:
 * - all git I/O goes through `runGit` (run-git.ts): fixed identity, no hooks,
 *   no pager, a timeout, no shell;
 * - a session cut from a repository works in its own clone on
 *   `orchestrator/<short>`, borrowing the repository's objects (session-clone.ts);
 *   its base commit is recorded in the clone's `refs/orchestrator/base/<short>`;
 * - writes to one work tree (snapshot, restore, prepare) are serialised per path;
 * - a directory the person owns is never deleted, and ignored files are never cleaned;
 * - the work remote (work-remote.ts) is only ever talked to with its own
 *   environment, and its URL reaches messages masked.
 */
export { prepareWorkspace, type PrepareWorkspaceInput } from "./prepare";
export { snapshotWorkspace } from "./snapshot";
export { diffWorkspace, summarizeWorkspace, type WorkspaceChanges } from "./diff";
export { restoreWorkspace } from "./restore";
export { removeWorkspace, type RemoveWorkspaceOptions } from "./remove";
export { currentBranch, headCommit, isGitRepository } from "./inspect";
export { runGit, GitCommandError, GIT_IDENTITY, type GitResult, type RunGitOptions } from "./run-git";
export { sessionBranch, baseCommitRef, borrowedRef } from "./naming";
export { borrowedObjectStores } from "./session-clone";
export { fetchSessionBranch, mergeIntoIntegration, prepareIntegration, type MergeOutcome } from "./integration";
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
export {
  listSessionFolderDirs,
  sessionFoldersOf,
  type SessionFolderLayout,
  type SessionFolders,
} from "./session-folders";
export { claimSlot, isSlotPath, readSlotOwner, slotsFolder, type WarmSlots } from "./warm-slots";
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
