import { existsSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { sep } from "node:path";
import { decideWorkspaceSource, type Workspace } from "@industrial/core";
import { recreateWorkspace } from "./recreate";
import type { WorkspaceOptions } from "./types";
import { isSlotPath, readSlotOwner } from "./warm-slots";
import type { WorkRemote } from "./work-remote";

export interface LocateWorkspaceInput {
  /** `sessionShortId(session.id)`. */
  sessionShortId: string;
  /** This replica's own folders (`<data dir>/worktrees`, `<data dir>/workspaces`): a recorded path under one of them is this replica's copy. */
  worktreesDir: string;
  scratchDir: string;
  /** A copy recreated here borrows nothing (session-folders.ts). */
  selfContained?: boolean;
  workRemote: WorkRemote;
  /** The session's current commit on the work remote (core computeWorkspaceTarget); null: nothing of it is there. */
  target: { commit: string } | null;
  /** Re-attaching to a living OpenCode session: it works in the recorded path, whoever recorded it. */
  keepRecorded?: boolean;
}

/**
 * Where this replica works on a session: `recorded` (its own copy, as
 * recorded), `recreated` (a copy under its worktrees dir rebuilt from the work
 * remote at the target), or `prepare` (nothing survives: the caller prepares
 * a new workspace). `workspace` is the record to store: the session's own
 * fields (repository, directory, base, reset…) with this copy's path and branch.
 */
export type LocatedWorkspace = { source: "recorded" | "recreated"; workspace: Workspace } | { source: "prepare" };

/**
 * Finds or makes this replica's copy of a session's workspace (core
 * decideWorkspaceSource). Another replica's recorded path is never used,
 * even when it exists here.
 * @throws WorkRemoteUnavailableError, PreconditionError as `recreateWorkspace`.
 */
export async function locateWorkspace(
  ws: Workspace,
  input: LocateWorkspaceInput,
  options: Partial<WorkspaceOptions> = {},
): Promise<LocatedWorkspace> {
  const recordedExists = ws.path !== null && existsSync(ws.path);
  const recordedIsOwn = recordedExists && (await isOwnWorkspacePath(ws, input));
  const source = decideWorkspaceSource({
    recordedExists,
    recordedIsOwn,
    keepRecorded: input.keepRecorded ?? false,
    hasTarget: input.target !== null,
  });
  if (source === "recorded") return { source, workspace: ws };
  if (source === "prepare") return { source };
  const copy = await recreateWorkspace(
    ws,
    {
      sessionShortId: input.sessionShortId,
      workRemote: input.workRemote,
      worktreesDir: input.worktreesDir,
      selfContained: input.selfContained,
      commit: input.target!.commit,
    },
    options,
  );
  // A URL repository's mirror is per replica: a copy cloned here was not cut from the one recorded.
  const mirror = ws.mirror && copy.repository === null ? { mirror: null } : {};
  return { source: "recreated", workspace: { ...ws, path: copy.path, branch: copy.branch, ...mirror } };
}

/**
 * The recorded path is this replica's: under its worktrees or scratch dir, or
 * the person's own directory worked in place (the same folder for every
 * replica that can see it). A warm slot is the session's only while the
 * slot's owner file names it: once handed over, the folder at that path is
 * another session's, and this one is recreated elsewhere.
 */
export async function isOwnWorkspacePath(
  ws: Workspace,
  dirs: { worktreesDir: string; scratchDir: string; sessionShortId: string },
): Promise<boolean> {
  if (ws.path === null) return false;
  if (ws.repository === null && ws.directory !== null && ws.path === ws.directory) return true;
  const path = await realpath(ws.path).catch(() => null);
  if (path === null) return false;
  if ((await isSlotPath(path, dirs.worktreesDir)) && (await readSlotOwner(path)) !== dirs.sessionShortId) return false;
  for (const dir of [dirs.worktreesDir, dirs.scratchDir]) {
    const own = await realpath(dir).catch(() => null);
    if (own !== null && path.startsWith(own + sep)) return true;
  }
  return false;
}
