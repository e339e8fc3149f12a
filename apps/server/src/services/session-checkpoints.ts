import {
  ACTIVE_STATUSES,
  ConflictError,
  NotFoundError,
  verifyCheckpointChain,
  type Session,
  type StoredCheckpoint,
} from "@industrial/core";
import {
  appendCheckpoint,
  appendEvents,
  getCheckpoint,
  getRunner,
  getSession,
  latestAttempt,
  listCheckpoints,
  lockSession,
  transitionSession,
  updateSession,
} from "@industrial/db";
import { diffWorkspace, parseOcMessages, snapshotWorkspace, type WorkspaceDiff } from "@industrial/opencode";
import { assertCanControl } from "./control";
import { afterCommit, type ServiceDeps } from "./deps";
import { planOrRefuse } from "./session-plan";
import { pushRestoredBranch, recordReset, resetWorkspaceHere } from "./session-resets";
import {
  pushServiceCheckpoint,
  readWorkspaceHere,
  serviceWriter,
  verifyOnWorkRemote,
  workspaceHere,
} from "./session-work-remote";

export async function sessionCheckpoints(deps: ServiceDeps, id: string): Promise<StoredCheckpoint[]> {
  await getSession(deps.db, deps.tenantId, id);
  return listCheckpoints(deps.db, deps.tenantId, id);
}

/** The hash chain, recomputed; and each checkpoint's commit looked for at its ref on the work remote. */
export async function verifySessionCheckpoints(deps: ServiceDeps, id: string) {
  const session = await getSession(deps.db, deps.tenantId, id);
  const checkpoints = await listCheckpoints(deps.db, deps.tenantId, id);
  return { ...verifyCheckpointChain(checkpoints), remote: await verifyOnWorkRemote(deps, session, checkpoints) };
}

/** A manual checkpoint: written by the lease holder when the session runs here, else from this replica's copy of the workspace (recorded as the session's). */
export async function createManualCheckpoint(deps: ServiceDeps, id: string): Promise<StoredCheckpoint> {
  const s = await getSession(deps.db, deps.tenantId, id);
  assertCanControl(deps, s, `session ${id}`);
  const local = deps.scheduler?.local(id);
  if (local) {
    const before = (await listCheckpoints(deps.db, deps.tenantId, id)).length;
    await local.checkpointNow();
    const all = await listCheckpoints(deps.db, deps.tenantId, id);
    if (all.length === before)
      throw new ConflictError(
        "the session's workspace is not ready yet (or it is being handed over); try again in a moment",
      );
    return all.at(-1)!;
  }
  if (ACTIVE_STATUSES.includes(s.status))
    throw new ConflictError("the session runs on another replica; ask that replica for the checkpoint");
  if (!s.workspace.path) throw new ConflictError("the session has no workspace yet; it has not run");
  const here = await workspaceHere(deps, s);
  const snap = await snapshotWorkspace(here.workspace, "orchestrator: manual checkpoint");
  const { cp, events, history, fencingToken } = await deps.db.transaction(async (tx) => {
    const locked = await lockSession(tx, id, { tenantId: deps.tenantId });
    const last = (await listCheckpoints(tx, deps.tenantId, id)).at(-1);
    // Pushed as the last attempt's writer, with what was recorded before it as the lease's history.
    const { fencingToken, history } = await serviceWriter(tx, locked);
    // This replica's copy holds the checkpoint now: it is the session's workspace.
    if (!here.recorded) await updateSession(tx, locked, { workspace: here.workspace });
    const cp = await appendCheckpoint(tx, locked, {
      attempt: locked.attempt,
      trigger: "manual",
      openCodeMessageId: last?.openCodeMessageId ?? null,
      gitCommit: snap.commit,
      diffStat: snap.diffStat,
      tokens: locked.metrics.tokens,
      costUsd: locked.metrics.costUsd,
    });
    await updateSession(tx, locked, { metrics: { ...locked.metrics, checkpoints: cp.seq } });
    const events = await appendEvents(
      tx,
      locked,
      [
        {
          type: "session.checkpoint",
          payload: { seq: cp.seq, hash: cp.hash, trigger: cp.trigger, gitCommit: cp.gitCommit },
        },
      ],
      locked.attempt || null,
    );
    return { cp, events, history, fencingToken };
  });
  afterCommit(deps, events);
  pushServiceCheckpoint(
    deps,
    { ...s, workspace: here.workspace },
    { seq: cp.seq, commit: snap.commit, fencingToken },
    history,
  );
  return cp;
}

/**
 * Rewinds OpenCode (revert to the message after the checkpoint's step, when
 * the checkpoint belongs to the current OpenCode session and this replica
 * holds the directory it works in) and the worktree (this replica's copy,
 * reset to the checkpoint's commit and recorded with the reset; the session
 * branch on the work remote is moved back too). A paused session stays paused
 * and resumes from there; a failed, timed-out or stopped one goes back to pending.
 */
export async function restoreCheckpoint(deps: ServiceDeps, id: string, seq: number): Promise<Session> {
  const s = await getSession(deps.db, deps.tenantId, id);
  assertCanControl(deps, s, `session ${id}`);
  // Paused, failed, timed-out or stopped, and no resume waiting: core's planSessionAction.
  planOrRefuse(s, "restore");
  const cp = await getCheckpoint(deps.db, deps.tenantId, id, seq);
  if (!cp) throw new NotFoundError("checkpoint", `${id}/${seq}`);
  // The worktree first, then OpenCode's revert: a step's commit is taken just after the step, and
  // OpenCode's own per-step snapshots put back exactly the files its later steps changed.
  const here = cp.gitCommit && s.workspace.path ? await resetWorkspaceHere(deps, s, cp.gitCommit) : null;
  const ws = here?.workspace ?? s.workspace;
  const attempt = await latestAttempt(deps.db, deps.tenantId, id);
  // Only where the OpenCode session works: a copy recreated here is not its directory (a resume there starts a new one).
  const rewind = (here === null || here.recorded) && !!ws.path;
  if (rewind && attempt?.openCodeSessionId && attempt.number === cp.attempt && cp.openCodeMessageId) {
    // A managed runner's row is the default tenant's, not found here: null, which means "a managed runner" as well.
    const runner = attempt.runnerId ? await getRunner(deps.db, deps.tenantId, attempt.runnerId) : null;
    // The attempt's runner (a remote one, or any managed runner here: they share OpenCode's store).
    const lease = await deps.runners.acquire({
      agentRunnerId: runner?.kind === "remote" ? runner.id : null,
      attemptRunnerId: attempt.runnerId,
      maintenance: true,
    });
    try {
      const client = deps.transport.client(lease.url, ws.path!);
      // Retention deletes an ended attempt's OpenCode session after a grace period: then only the worktree is restored.
      const messages = (await client.getSession(attempt.openCodeSessionId))
        ? parseOcMessages(await client.messages(attempt.openCodeSessionId))
        : [];
      const i = messages.findIndex((m) => m.info.id === cp.openCodeMessageId);
      const next = i >= 0 ? messages[i + 1] : undefined;
      if (next) await client.revert(attempt.openCodeSessionId, next.info.id);
    } finally {
      lease.release();
    }
  }
  const events = await deps.db.transaction(async (tx) => {
    const locked = await lockSession(tx, id, { tenantId: deps.tenantId });
    if (here && cp.gitCommit)
      await recordReset(tx, locked, here.workspace, { commit: cp.gitCommit, seq: cp.seq, openCodeRewound: rewind });
    const restored = await appendEvents(
      tx,
      locked,
      [{ type: "session.restored", payload: { seq: cp.seq, gitCommit: cp.gitCommit } }],
      locked.attempt || null,
    );
    if (locked.status === "paused") return restored;
    return [
      ...restored,
      ...(await transitionSession(tx, locked, "pending", `restored to checkpoint ${cp.seq}; will retry from there`, {
        patch: { notBefore: null, error: null, finishedAt: null },
      })),
    ];
  });
  afterCommit(deps, events);
  if (here && cp.gitCommit) await pushRestoredBranch(deps, s, here.workspace, { seq: cp.seq, commit: cp.gitCommit });
  return getSession(deps.db, deps.tenantId, id);
}

/** The workspace against its base; a replica without the workspace recreates it from the work remote first. */
export async function sessionDiff(deps: ServiceDeps, id: string) {
  const s = await getSession(deps.db, deps.tenantId, id);
  if (!s.workspace.path) return { baseCommit: null, files: [], stat: { files: 0, additions: 0, deletions: 0 } };
  const d = await diffHere(deps, s);
  return {
    baseCommit: s.workspace.baseCommit,
    files: d.files.map((f) => ({
      path: f.path,
      oldPath: f.oldPath ?? null,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      patch: f.patch,
      binary: f.binary,
      truncated: f.truncated,
    })),
    stat: d.stat,
  };
}

// The diff of this replica's copy of the session (read again should a warm slot change hands meanwhile).
function diffHere(deps: ServiceDeps, s: Session): Promise<WorkspaceDiff> {
  return readWorkspaceHere(deps, s, diffWorkspace);
}
