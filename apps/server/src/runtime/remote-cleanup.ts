import {
  coerceError,
  planRemoteCleanup,
  sessionBranchRef,
  sessionShortId,
  workspaceResetOf,
  type Clock,
  type Workspace,
} from "@industrial/core";
import {
  claimRemoteCleanups,
  markRemoteCleanup,
  type CrossTenantDatabase,
  type RemoteCleanupRow,
} from "@industrial/db";
import { removeSessionRefs, WorkRemoteUnavailableError, type WorkRemote } from "@industrial/opencode";
import type { Logger } from "pino";

export interface RemoteCleanupDeps {
  db: CrossTenantDatabase;
  clock: Clock;
  log: Logger;
  /** Where a session's checkpoints went: the work remote, or its URL repository (the pusher's remoteOf). */
  remoteOf(workspace: Workspace): WorkRemote;
  /** The round is being stopped: leave the rest for the next one. */
  stopping(): boolean;
}

export interface RemoteCleanupReport {
  /** Session branches deleted. */
  branches: number;
  /** Checkpoint refs deleted. */
  checkpointRefs: number;
  /** Sessions whose remote could not be reached (or whose refs moved): tried again in a later round. */
  deferred: number;
}

/** Deleted sessions one round claims at most. */
const CLAIM_LIMIT = 50;

/**
 * Removes deleted sessions' refs from their remotes (core
 * remote-cleanup.ts): claims a few, least recently tried first, plans each,
 * deletes what the plan and the leases allow, and records it. A remote that
 * cannot be reached is not called again in the same round; its sessions are
 * claimed again in later rounds. Never called from a request.
 */
export async function cleanDeletedSessionRemotes(deps: RemoteCleanupDeps): Promise<RemoteCleanupReport> {
  const report: RemoteCleanupReport = { branches: 0, checkpointRefs: 0, deferred: 0 };
  const now = deps.clock.now();
  const down = new Set<string>();
  for (const row of await claimRemoteCleanups(deps.db, { now, limit: CLAIM_LIMIT })) {
    if (deps.stopping()) break;
    const plan = planRemoteCleanup(row.state, now);
    if (!plan.branch && !plan.checkpointRefs) continue;
    const remote = deps.remoteOf(row.workspace);
    if (down.has(remote.url)) {
      report.deferred++;
      continue;
    }
    const short = sessionShortId(row.sessionId);
    try {
      const done = await removeSessionRefs(remote, {
        shortId: short,
        checkpointRefs: plan.checkpointRefs,
        known: knownCommits(row),
      });
      if (done.foreign.length > 0)
        deps.log.warn(
          { sessionId: row.sessionId, remote: remote.display, refs: done.foreign },
          "left refs of a deleted session that hold commits it never recorded (moved outside the orchestrator)",
        );
      if (done.moved.length > 0) {
        report.deferred++;
        continue;
      }
      const branch = sessionBranchRef(short);
      report.branches += done.removed.includes(branch) ? 1 : 0;
      report.checkpointRefs += done.removed.filter((r) => r !== branch).length;
      await markRemoteCleanup(deps.db, {
        tenantId: row.tenantId,
        sessionId: row.sessionId,
        branch: plan.branch,
        checkpointRefs: plan.checkpointRefs,
        at: now,
      });
    } catch (e) {
      report.deferred++;
      if (e instanceof WorkRemoteUnavailableError) down.add(remote.url);
      deps.log.warn(
        { sessionId: row.sessionId, remote: remote.display, err: coerceError(e).message },
        "a deleted session's refs could not be removed; trying again in a later round",
      );
    }
  }
  return report;
}

// What the session's refs may legitimately hold: its checkpoints' commits, its base, a reset's commit.
function knownCommits(row: RemoteCleanupRow): Set<string> {
  const reset = workspaceResetOf(row.workspace);
  return new Set([
    ...row.checkpointCommits,
    ...(row.workspace.baseCommit ? [row.workspace.baseCommit] : []),
    ...(reset ? [reset.commit] : []),
  ]);
}
