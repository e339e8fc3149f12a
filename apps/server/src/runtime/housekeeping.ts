import { join } from "node:path";
import { computePushTarget, type Clock } from "@industrial/core";
import { bypassTenantWall, type Database } from "@industrial/db";
import { listSessionFolderDirs, type OpenCodeCallObserver } from "@industrial/opencode";
import type { Logger } from "pino";
import { folderLayoutOf, type Config } from "../config";
import type { Metrics } from "../metrics/registry";
import { createDiskUsage } from "./disk-usage";
import { pruneOpenCodeSessions, recordStoreOwner } from "./opencode-prune";
import { cleanDeletedSessionRemotes } from "./remote-cleanup";
import { createRetention } from "./retention";
import type { RunnerPool } from "./runner-pool";
import type { WorkRemoteRuntime } from "./work-remote";
import { retireWorktrees } from "./worktree-retention";

/**
 * The background work that keeps a replica from growing without bound, and
 * says how much it holds: the retention loop (expired session events and
 * audit entries, ended attempts' OpenCode sessions, finished sessions'
 * folders once their remote holds them, deleted sessions' refs on their
 * remotes) and the data dir's measured size per part. Built once, in main.ts.
 */
export async function createHousekeeping(input: {
  config: Config;
  db: Database;
  runners: RunnerPool;
  /** Where checkpoints went (a removed folder is recreated from there) and what is still being pushed. */
  workRemote: WorkRemoteRuntime;
  metrics: Metrics;
  replica: string;
  clock: Clock;
  logger: Logger;
  observeOpenCode?: OpenCodeCallObserver;
}) {
  const { config, metrics } = input;
  const log = input.logger.child({ component: "retention" });
  // Recorded at every start, retention on or off: a later start prunes what this one's runners leave.
  const owners = await recordStoreOwner(join(config.ORCHESTRATOR_DATA_DIR, "opencode"), input.replica);
  const graceMs = config.ORCHESTRATOR_OPENCODE_SESSION_GRACE_HOURS * 3_600_000;
  const { workRemote } = input;
  const sessionsOfFolders = bypassTenantWall(
    input.db,
    "retention: the sessions this replica's folders are named after, and deleted sessions' refs on their remotes, of every tenant",
  );
  const retention = createRetention({
    db: input.db,
    clock: input.clock,
    log,
    intervalMs: config.ORCHESTRATOR_RETENTION_INTERVAL_MS,
    removed: (kind, n) => metrics.retentionDeleted.inc({ kind }, n),
    pruneOpenCode: () =>
      pruneOpenCodeSessions({
        db: bypassTenantWall(
          input.db,
          "retention: attempts of every tenant that ran on this data dir's managed runners",
        ),
        processes: () => input.runners.managedProcesses(),
        headersFor: (baseUrl) => input.runners.headersFor(baseUrl),
        owners,
        graceMs,
        clock: input.clock,
        log,
        ...(input.observeOpenCode ? { observe: input.observeOpenCode } : {}),
      }),
    retireWorktrees: (stopping) =>
      retireWorktrees({
        db: sessionsOfFolders,
        clock: input.clock,
        log,
        folderDirs: () => listSessionFolderDirs(folderLayoutOf(config)),
        graceMs: config.ORCHESTRATOR_WORKTREE_GRACE_HOURS * 3_600_000,
        pendingPushes: (sessionId) => workRemote.checkpoints.pending(sessionId),
        stopping,
      }),
    cleanRemotes: (stopping) =>
      cleanDeletedSessionRemotes({
        db: sessionsOfFolders,
        clock: input.clock,
        log,
        // Not the pusher's remoteOf: that makes a pusher for each origin, and nothing is pushed here.
        remoteOf: (ws) => {
          const target = computePushTarget(ws);
          return target.kind === "origin" ? workRemote.remoteFor(target.url) : workRemote.remote;
        },
        stopping,
      }),
  });
  const diskUsage = createDiskUsage({
    dataDir: config.ORCHESTRATOR_DATA_DIR,
    db: input.db,
    storage: config.storage,
    intervalMs: config.ORCHESTRATOR_DISK_USAGE_INTERVAL_MS,
    measured: (sizes) => {
      for (const [part, bytes] of Object.entries(sizes)) metrics.diskBytes.set({ part }, bytes);
    },
    log: input.logger.child({ component: "disk-usage" }),
  });
  return {
    retention,
    diskUsage,
    start(): void {
      retention.start();
      diskUsage.start();
    },
    async stop(): Promise<void> {
      await Promise.all([retention.stop(), diskUsage.stop()]);
    },
  };
}

export type Housekeeping = Awaited<ReturnType<typeof createHousekeeping>>;
