import type { Clock, Principal, SessionEvent } from "@industrial/core";
import type { CrossTenantDatabase, Database } from "@industrial/db";
import type { MirrorCache, OcTransport, SessionFolders } from "@industrial/opencode";
import type { EventBus, Scheduler } from "@industrial/scheduler";
import type { Logger } from "pino";
import type { ServerSecret } from "../auth/server-secret";
import type { RunnerPool } from "../runtime/runner-pool";
import type { WorkRemoteRuntime } from "../runtime/work-remote";
import type { Notices } from "./notices";

/**
 * What services need for one caller; main.ts wires the shared parts once
 * (`SharedDeps`) and every request gets them scoped to its caller.
 */
export interface ServiceDeps extends SharedDeps {
  /** The caller's tenant's view of the database: every query runs under row-level security for `tenantId`. */
  db: Database;
  /** The tenant this request acts in (the caller's, or one an admin of the default tenant chose). */
  tenantId: string;
  /** Who is calling: role, key and user (sessions and tasks record it as their creator). */
  caller: Principal;
}

/** The parts of the services' dependencies that do not depend on the caller. */
export interface SharedDeps {
  /**
   * The owner connection, which row-level security does not bind: only for
   * what crosses tenants on purpose (an admin of the default tenant listing
   * tenants, making a key or user in another tenant). Named so it is never
   * used by accident.
   */
  crossTenantDb: CrossTenantDatabase;
  /** The database as `tenantId` sees it (row-level security): how `db` is made, and how work in another tenant is done. */
  tenantDb(tenantId: string): Database;
  /** Subkeys of the server secret (API key hashes, runner passwords). */
  secret: ServerSecret;
  bus: EventBus;
  scheduler: Pick<Scheduler, "poke" | "local" | "replica"> | null;
  clock: Clock;
  runners: Pick<RunnerPool, "acquire" | "recycle" | "sync">;
  /** Routing's view of a runner (null: this replica's managed runners). */
  runnerHealthy: (runnerId: string | null) => boolean;
  /** First cooldown given to the breaker of a new agent. */
  breakerCooldownSeconds: number;
  transport: OcTransport;
  /** Where task trees keep their repositories and integration worktrees. */
  dataDir: string;
  /** Folders a request may name as a session's directory or repository (ORCHESTRATOR_WORKSPACE_ROOTS); the data dir never. */
  workspaceRoots: readonly string[];
  /** Where checkpoints and integration branches are pushed (docs/work-remote.md). */
  workRemote: Pick<WorkRemoteRuntime, "remote" | "remoteFor" | "checkpoints" | "branches">;
  /** Where a tenant's session folders are (this replica's data dir, or the shared workspaces): a workspace is recreated from the work remote there. */
  folders(tenantId: string): SessionFolders;
  /** This replica's mirrors of URL repositories (a task tree's integration branch is cut from one). */
  mirrors: MirrorCache;
  /** The task executor of this replica (null when the scheduler is off): poked when a tree changes. */
  tasks: { poke(): void } | null;
  /** Agent and task changes for WebSocket rooms (published after commit). */
  notices: Notices;
  /** Lines logged while serving a request carry its id (the request context). */
  log: Logger;
}

/** Publishes committed events and wakes the local scheduler. */
export function afterCommit(deps: ServiceDeps, events: readonly SessionEvent[]): void {
  deps.bus.publish(events);
  deps.scheduler?.poke();
}

/** One caller's services: its tenant's database view, its tenant, itself. */
export function scopeDeps(shared: SharedDeps, caller: Principal): ServiceDeps {
  return { ...shared, db: shared.tenantDb(caller.tenantId), tenantId: caller.tenantId, caller };
}
