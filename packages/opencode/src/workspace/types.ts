import { DEFAULT_GIT_TIMEOUT_MS } from "./run-git";

/** Tunables of the workspace module; every exported function takes a `Partial` of them. */
export interface WorkspaceOptions {
  /** Timeout of each single git command. */
  timeoutMs: number;
  /** A file's patch in `diffWorkspace` is cut at this many bytes, with a marker. */
  maxPatchBytes: number;
}

export function defaultWorkspaceOptions(): WorkspaceOptions {
  return { timeoutMs: DEFAULT_GIT_TIMEOUT_MS, maxPatchBytes: 200 * 1024 } satisfies WorkspaceOptions;
}

export interface DiffStat {
  files: number;
  additions: number;
  deletions: number;
}

export interface SnapshotResult {
  /** The checkpoint commit on the session branch (always a new commit). */
  commit: string;
  /** Relative to the commit before it. */
  diffStat: DiffStat;
  /** False when the commit is empty (nothing changed since the previous one). */
  changed: boolean;
  /** Each file the commit changed, with its line counts (null for a binary file). */
  files: { path: string; additions: number | null; deletions: number | null }[];
}

export type FileChangeStatus = "added" | "modified" | "deleted" | "renamed";

export interface FileDiff {
  /** Path from the work-tree root (the new path for a rename). */
  path: string;
  /** The old path, for renames only. */
  oldPath?: string;
  status: FileChangeStatus;
  /** 0 for binary files. */
  additions: number;
  deletions: number;
  /** Unified diff; "Binary files differ" for binary files; cut at `maxPatchBytes`. */
  patch: string;
  /** True when `patch` was cut. */
  truncated: boolean;
  /** Git found binary content: no line counts, and `patch` only says so. */
  binary: boolean;
}

export interface WorkspaceDiff {
  files: FileDiff[];
  stat: DiffStat;
}

/** A session's folder on this replica, as retention and warm slots list it. */
export interface SessionFolder {
  /** The short id of the session it is named after (a warm slot: its owner's). */
  name: string;
  /** As listed (`<dir>/<name>`, or the slot's path). */
  path: string;
  /** The folder's own last change. */
  changedAt: Date;
}
