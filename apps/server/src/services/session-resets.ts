import type { RecordedWorkspace, Session, Workspace, WorkspaceReset } from "@industrial/core";
import { listCheckpoints, updateSession, type Queryable } from "@industrial/db";
import type { SessionRef } from "@industrial/db";
import { restoreWorkspace } from "@industrial/opencode";
import type { ServiceDeps } from "./deps";
import { pushServiceCheckpoint, serviceWriter, workspaceHere } from "./session-work-remote";

/**
 * Restore and retry (`fromCheckpoint`, `fresh`) on whichever replica the
 * request reached: this replica's copy of the workspace (recreated from the
 * work remote when it holds none) is reset to the commit, and that copy, with
 * the reset, becomes the session's recorded workspace. A replica that later
 * recreates the session starts from the reset, never from the newer
 * checkpoints the reset moved away from (core computeWorkspaceTarget).
 */
export async function resetWorkspaceHere(
  deps: ServiceDeps,
  session: Session,
  commit: string,
): Promise<{ workspace: Workspace; recorded: boolean }> {
  const here = await workspaceHere(deps, session);
  await restoreWorkspace(here.workspace, commit);
  return here;
}

/** Records the reset copy as the session's workspace; inside the transaction that records the restore or retry. */
export async function recordReset(
  tx: Queryable,
  locked: SessionRef,
  workspace: Workspace,
  reset: Omit<WorkspaceReset, "afterSeq">,
): Promise<Workspace> {
  const afterSeq = (await listCheckpoints(tx, locked.tenantId, locked.id)).at(-1)?.seq ?? 0;
  const recorded: RecordedWorkspace = { ...workspace, reset: { ...reset, afterSeq } };
  await updateSession(tx, locked, { workspace: recorded });
  return recorded;
}

/**
 * Moves the session branch on the work remote back to a restored checkpoint
 * (its ref is already there), so the remote's branch is the session's state
 * too. In the background, as the session's last attempt's writer.
 */
export async function pushRestoredBranch(
  deps: ServiceDeps,
  session: Session,
  workspace: Workspace,
  checkpoint: { seq: number; commit: string },
): Promise<void> {
  const { fencingToken, history } = await serviceWriter(deps.db, session);
  pushServiceCheckpoint(deps, { ...session, workspace }, { ...checkpoint, fencingToken }, history);
}
