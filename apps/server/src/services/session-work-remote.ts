import {
  checkpointRefPrefix,
  computePushTarget,
  computeRemoteVerification,
  parseCheckpointRef,
  PreconditionError,
  sessionShortId,
  type Session,
  type StoredCheckpoint,
  type Workspace,
} from "@industrial/core";
import { checkpointPushHistory, latestAttempt, readResumePoint, type Queryable } from "@industrial/db";
import {
  isOwnWorkspacePath,
  listWorkRemoteRefs,
  locateWorkspace,
  WorkRemoteUnavailableError,
} from "@industrial/opencode";
import type { ServiceDeps } from "./deps";

/** What `checkpoints/verify` says of the work remote. */
export interface WorkRemoteVerification {
  /** The remote, credentials masked. */
  url: string;
  /** False when it could not be listed: the counts are then what the database recorded. */
  reachable: boolean;
  pushed: number;
  notYetPushed: number[];
  missing: number[];
  error?: string;
}

/**
 * Checks every checkpoint's commit against its ref on the work remote
 * (`git ls-remote`). A remote that cannot be reached is reported as such,
 * with the pushes the database recorded.
 */
export async function verifyOnWorkRemote(
  deps: ServiceDeps,
  session: Session,
  checkpoints: readonly StoredCheckpoint[],
): Promise<WorkRemoteVerification> {
  // Where its checkpoints go: the work remote, or a URL repository's origin.
  const remote = deps.workRemote.checkpoints.remoteOf(session.workspace);
  const short = sessionShortId(session.id);
  const records = checkpoints.map((c) => ({ seq: c.seq, gitCommit: c.gitCommit, pushedAt: c.pushed?.at ?? null }));
  try {
    const refs = await listWorkRemoteRefs(remote, [`${checkpointRefPrefix(short)}*`]);
    const bySeq = new Map(
      [...refs].flatMap(([ref, commit]) => {
        const seq = parseCheckpointRef(ref, short);
        return seq === null ? [] : [[seq, commit] as const];
      }),
    );
    return { url: remote.display, reachable: true, ...computeRemoteVerification(records, bySeq) };
  } catch (e) {
    if (!(e instanceof WorkRemoteUnavailableError)) throw e;
    const withCommit = records.filter((r) => r.gitCommit !== null);
    return {
      url: remote.display,
      reachable: false,
      pushed: withCommit.filter((r) => r.pushedAt !== null).length,
      notYetPushed: withCommit.filter((r) => r.pushedAt === null).map((r) => r.seq),
      missing: [],
      error: e.message,
    };
  }
}

/**
 * This replica's copy of the session's workspace (docs/work-remote.md, "Which
 * replica's workspace"): the recorded one when it is this replica's own, else
 * one under this replica's worktrees dir recreated from the work remote at the
 * session's current commit — its newest pushed checkpoint, or what a restore
 * or retry reset it to — never another replica's path, even one that exists
 * here. `recorded: false` is a copy the caller records if it works in it
 * (restore, retry, manual checkpoint); a read (`GET /diff`) just uses it.
 * @throws PreconditionError when nothing of the session is here or on the work remote.
 */
export async function workspaceHere(
  deps: ServiceDeps,
  session: Session,
): Promise<{ workspace: Workspace; recorded: boolean }> {
  const { target } = await readResumePoint(deps.db, session);
  // Where its checkpoints went: the work remote, or a URL repository's origin.
  const workRemote = deps.workRemote.checkpoints.remoteOf(session.workspace);
  const located = await locateWorkspace(session.workspace, {
    sessionShortId: sessionShortId(session.id),
    ...deps.folders(session.tenantId),
    workRemote,
    target,
  });
  if (located.source === "prepare") {
    throw new PreconditionError(`nothing of session ${session.id} is on this replica or on ${workRemote.display}`, {
      context: { workRemote: workRemote.display },
      suggestion: "its checkpoints were never pushed: only the replica that ran it had its files",
    });
  }
  if (located.source === "recreated")
    deps.log.info(
      { sessionId: session.id, recordedPath: session.workspace.path, path: located.workspace.path },
      "workspace recreated from the work remote on this replica",
    );
  return { workspace: located.workspace, recorded: located.source === "recorded" };
}

/**
 * Reads this replica's copy of the session with `read`. A warm slot may pass
 * to another session while it is read (its owner ended): a read whose folder
 * is no longer the session's when it is done is made again on the copy the
 * session then has (recreated from its remote).
 */
export async function readWorkspaceHere<T>(
  deps: ServiceDeps,
  session: Session,
  read: (ws: Workspace) => Promise<T>,
): Promise<T> {
  const own = { ...deps.folders(session.tenantId), sessionShortId: sessionShortId(session.id) };
  for (let tries = 1; ; tries++) {
    const { workspace } = await workspaceHere(deps, session);
    const result = await read(workspace).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if ((await isOwnWorkspacePath(workspace, own)) || tries >= 3) {
      if (!result.ok) throw result.error;
      return result.value;
    }
  }
}

/** What a person's write on the session (outside an attempt) pushes as: the session's last attempt's writer, with the checkpoints recorded so far as the lease's history. */
export async function serviceWriter(
  q: Queryable,
  session: Session,
): Promise<{ fencingToken: number; history: { commits: string[]; lastPushedCommit: string | null } }> {
  return {
    fencingToken: (await latestAttempt(q, session.tenantId, session.id))?.fencingToken ?? 0,
    history: await checkpointPushHistory(q, session.tenantId, session.id),
  };
}

/**
 * Hands a checkpoint written outside an attempt (a manual one) to the
 * pusher, as the session's last attempt's writer (`fencingToken`), with the
 * checkpoints recorded before it as the lease's history.
 */
export function pushServiceCheckpoint(
  deps: ServiceDeps,
  session: Session,
  checkpoint: { seq: number; commit: string; fencingToken: number },
  history: { commits: readonly string[]; lastPushedCommit: string | null },
): void {
  const ws = session.workspace;
  deps.workRemote.checkpoints.push({
    tenantId: session.tenantId,
    sessionId: session.id,
    shortId: sessionShortId(session.id),
    dirs: [ws.path, ws.mirror ?? ws.repository].filter((d): d is string => !!d),
    remote: computePushTarget(ws).kind === "origin" ? ws.repository : null,
    seq: checkpoint.seq,
    commit: checkpoint.commit,
    fencingToken: checkpoint.fencingToken,
    history,
  });
}
