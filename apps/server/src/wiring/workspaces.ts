import { bypassTenantWall, type Database } from "@industrial/db";
import { systemClock } from "@industrial/core";
import { sessionFoldersOf, type SessionFolders } from "@industrial/opencode";
import type { Logger } from "pino";
import { folderLayoutOf, type Config } from "../config";
import type { Metrics } from "../metrics/registry";
import { createMirrors, type MirrorsRuntime } from "../runtime/mirrors";
import { createWarmSlots } from "../runtime/warm-slot-release";
import { startWorkRemote, type WorkRemoteRuntime } from "../runtime/work-remote";
import type { Defer } from "./defer";

export interface Workspaces {
  workRemote: WorkRemoteRuntime;
  mirrors: MirrorsRuntime;
  /** Where a tenant's session folders are (with the warm slots this replica keeps). */
  folders: (tenantId: string) => SessionFolders;
}

/** Where sessions' work lives: the work remote, the mirrors of URL repositories, the warm slots and the folder layout. */
export async function wireWorkspaces(input: {
  config: Config;
  db: Database;
  metrics: Metrics;
  logger: Logger;
  defer: Defer;
}): Promise<Workspaces> {
  const { config, db, logger } = input;
  // Stopped after the scheduler (stop steps run in reverse): the attempts' last checkpoints are queued by then.
  const workRemote = await startWorkRemote({ config, db, logger, metrics: input.metrics });
  input.defer(() => workRemote.stop());
  const mirrors = createMirrors({ config, remoteFor: workRemote.remoteFor, clock: systemClock, logger });
  const warmSlots = createWarmSlots(config.ORCHESTRATOR_WARM_SLOTS, {
    db: bypassTenantWall(db, "warm slots: the session that owns a slot, whatever its tenant"),
    clock: systemClock,
    log: logger.child({ component: "warm-slots" }),
    pendingPushes: (sessionId) => workRemote.checkpoints.pending(sessionId),
  });
  const folderLayout = { ...folderLayoutOf(config), warmSlots };
  const folders = (tenantId: string) => sessionFoldersOf(folderLayout, tenantId);
  return { workRemote, mirrors, folders };
}
