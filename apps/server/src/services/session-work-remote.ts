import { existsSync } from "node:fs";
import {
  checkpointRefPrefix,
  computeRemoteVerification,
  parseCheckpointRef,
  sessionShortId,
  type Session,
  type StoredCheckpoint,
  type Workspace,
} from "@industrial/core";
import { listWorkRemoteRefs, recreateWorkspace, WorkRemoteUnavailableError } from "@industrial/opencode";
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
export async function verifyOnWorkRemote(deps: ServiceDeps, session: Session, checkpoints: readonly StoredCheckpoint[]): Promise<WorkRemoteVerification> {
  const { remote } = deps.workRemote;
  const short = sessionShortId(session.id);
  const records = checkpoints.map((c) => ({ seq: c.seq, gitCommit: c.gitCommit, pushedAt: c.pushed?.at ?? null }));
  try {
    const refs = await listWorkRemoteRefs(remote, [`${checkpointRefPrefix(short)}*`]);
    const bySeq = new Map([...refs].flatMap(([ref, commit]) => {
      const seq = parseCheckpointRef(ref, short);
      return seq === null ? [] : [[seq, commit] as const];
    }));
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
 * The session's workspace on this replica: where it was recorded when that
 * path exists here, else recreated from the work remote under this replica's
 * worktrees dir (the session's latest pushed state, or `commit`). The
 * recreated workspace is not stored: a caller that works in it (restore,
 * retry, adoption) records it itself.
 */
export async function workspaceHere(deps: ServiceDeps, session: Session, commit?: string | null): Promise<Workspace> {
  const ws = session.workspace;
  if (ws.path && existsSync(ws.path)) return ws;
  deps.log.info({ sessionId: session.id, recordedPath: ws.path, workRemote: deps.workRemote.remote.display }, "workspace not on this replica; recreating it from the work remote");
  return recreateWorkspace(ws, { sessionShortId: sessionShortId(session.id), workRemote: deps.workRemote.remote, worktreesDir: deps.worktreesDir, commit });
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
    dirs: [ws.path, ws.repository].filter((d): d is string => d !== null),
    seq: checkpoint.seq,
    commit: checkpoint.commit,
    fencingToken: checkpoint.fencingToken,
    history,
  });
}
