import { join } from "node:path";
import type { Clock } from "@industrial/core";
import { bypassTenantWall, type Database } from "@industrial/db";
import type { OpenCodeCallObserver } from "@industrial/opencode";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { Metrics } from "../metrics/registry";
import { createDiskUsage } from "./disk-usage";
import { pruneOpenCodeSessions, recordStoreOwner } from "./opencode-prune";
import { createRetention } from "./retention";
import type { RunnerPool } from "./runner-pool";

/**
 * The background work that keeps a replica from growing without bound, and
 * says how much it holds: the retention loop (expired session events and
 * audit entries, ended attempts' OpenCode sessions) and the data dir's
 * measured size per part. Built once, in main.ts.
 */
export async function createHousekeeping(input: {
  config: Config;
  db: Database;
  runners: RunnerPool;
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
  const retention = createRetention({
    db: input.db,
    clock: input.clock,
    log,
    intervalMs: config.ORCHESTRATOR_RETENTION_INTERVAL_MS,
    removed: (kind, n) => metrics.retentionDeleted.inc({ kind }, n),
    pruneOpenCode: () =>
      pruneOpenCodeSessions({
        db: bypassTenantWall(input.db, "retention: attempts of every tenant that ran on this data dir's managed runners"),
        processes: () => input.runners.managedProcesses(),
        owners,
        graceMs,
        clock: input.clock,
        log,
        ...(input.observeOpenCode ? { observe: input.observeOpenCode } : {}),
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
