import { ConflictError, NotFoundError, type Session, type SessionAction, type SessionEvent } from "@industrial/core";
import {
  appendEvents,
  getCheckpoint,
  getSession,
  latestAttempt,
  lockSession,
  transitionSession,
  updateAttempt,
  updateSession,
  type Queryable,
} from "@industrial/db";
import { assertCanControl } from "./control";
import { afterCommit, type ServiceDeps } from "./deps";
import { pushRestoredBranch, recordReset, resetWorkspaceHere } from "./session-resets";
import { planOrRefuse, unexpectedPlan } from "./session-plan";

export type SessionActionName = "start" | "pause" | "resume" | "stop" | "cancel";

async function requestOfHolder(tx: Queryable, s: Session, action: SessionAction): Promise<SessionEvent[]> {
  await updateSession(tx, s, { requestedAction: action });
  return appendEvents(
    tx,
    s,
    [{ type: "session.log", payload: { level: "info", source: "user", text: `${action} requested` } }],
    s.attempt || null,
  );
}

/** Releases a paused attempt for good (stop or cancel of a paused session). */
async function abandonPausedAttempt(tx: Queryable, s: Session): Promise<void> {
  const a = await latestAttempt(tx, s.tenantId, s.id);
  if (a && a.status === "paused")
    await updateAttempt(tx, s.tenantId, a.id, { status: "abandoned", finished: true, releaseLease: true });
}

/**
 * A person's pause / resume / stop / cancel / start. What needs the running
 * OpenCode turn is written as a request the lease holder carries out (within
 * a second); what does not is a transition made here.
 */
export async function actOnSession(deps: ServiceDeps, id: string, action: SessionActionName): Promise<Session> {
  const events = await deps.db.transaction(async (tx) => {
    const s = await lockSession(tx, id, { tenantId: deps.tenantId });
    assertCanControl(deps, s, `session ${id}`);
    // Whether the status allows it, and what it takes, is core's decision (planSessionAction).
    const plan = planOrRefuse(s, action);
    switch (plan.kind) {
      case "request":
        return requestOfHolder(tx, s, plan.request);
      case "transition":
        // Stop or cancel of what no lease holder runs: made here, at once.
        if (plan.abandonPausedAttempt) await abandonPausedAttempt(tx, s);
        return transitionSession(tx, s, plan.to, plan.reason, {
          patch: { requestedAction: null, finishedAt: deps.clock.now() },
        });
      case "release":
        await updateSession(tx, s, { held: false, statusReason: "waiting for admission" });
        return appendEvents(
          tx,
          s,
          [{ type: "session.log", payload: { level: "info", source: "user", text: "start requested" } }],
          null,
        );
      default:
        throw unexpectedPlan(action, plan);
    }
  });
  afterCommit(deps, events);
  return getSession(deps.db, deps.tenantId, id);
}

/**
 * Retry of a failed, timed-out or stopped session: back to pending for a new
 * attempt. By default the new attempt continues on the kept worktree (the
 * latest checkpoint; recreated from the work remote by a replica without it);
 * `fromCheckpoint` rewinds this replica's copy to that checkpoint first;
 * `fresh` rewinds it to the base commit. A rewound copy is recorded with its
 * reset, so whichever replica runs the retry starts from it.
 */
export async function retrySession(
  deps: ServiceDeps,
  id: string,
  body: { fromCheckpoint?: number | undefined; fresh?: boolean | undefined },
): Promise<Session> {
  const s = await getSession(deps.db, deps.tenantId, id);
  assertCanControl(deps, s, `session ${id}`);
  const plan = planOrRefuse(s, "retry");
  if (plan.kind !== "transition") throw unexpectedPlan("retry", plan);
  let from = "the latest checkpoint";
  let reset: { commit: string; seq: number | null } | null = null;
  if (body.fromCheckpoint !== undefined) {
    const cp = await getCheckpoint(deps.db, deps.tenantId, id, body.fromCheckpoint);
    if (!cp) throw new NotFoundError("checkpoint", `${id}/${body.fromCheckpoint}`);
    if (cp.gitCommit) reset = { commit: cp.gitCommit, seq: cp.seq };
    from = `checkpoint ${cp.seq}`;
  } else if (body.fresh) {
    if (s.workspace.baseCommit) reset = { commit: s.workspace.baseCommit, seq: null };
    from = "scratch";
  }
  const here = reset && s.workspace.path ? await resetWorkspaceHere(deps, s, reset.commit) : null;
  const events = await deps.db.transaction(async (tx) => {
    const locked = await lockSession(tx, id, { tenantId: deps.tenantId });
    if (locked.status !== s.status) throw new ConflictError(`session moved to ${locked.status} meanwhile; try again`);
    // A new attempt starts a new OpenCode session: nothing of the old conversation to rewind.
    if (here && reset) await recordReset(tx, locked, here.workspace, { ...reset, openCodeRewound: true });
    return transitionSession(tx, locked, plan.to, `${plan.reason} from ${from}`, {
      patch: { notBefore: null, error: null, requestedAction: null, finishedAt: null },
    });
  });
  afterCommit(deps, events);
  if (here && reset?.seq != null)
    await pushRestoredBranch(deps, s, here.workspace, { seq: reset.seq, commit: reset.commit });
  return getSession(deps.db, deps.tenantId, id);
}
