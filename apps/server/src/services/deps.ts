import type { Clock, SessionEvent } from "@industrial/core";
import type { Database } from "@industrial/db";
import type { OcTransport } from "@industrial/opencode";
import type { EventBus, Scheduler } from "@industrial/scheduler";
import type { Logger } from "pino";
import type { RunnerPool } from "../runtime/runner-pool";
import type { Notices } from "./notices";

/** What services need; main.ts wires the real ones, tests wire their own. */
export interface ServiceDeps {
  db: Database;
  bus: EventBus;
  scheduler: Pick<Scheduler, "poke" | "local" | "replica"> | null;
  /** Until authentication arrives every request acts in the default tenant. */
  tenantId: string;
  clock: Clock;
  runners: Pick<RunnerPool, "acquire" | "recycle" | "sync">;
  /** Routing's view of a runner (null: this replica's managed runners). */
  runnerHealthy: (runnerId: string | null) => boolean;
  /** First cooldown given to the breaker of a new agent. */
  breakerCooldownSeconds: number;
  transport: OcTransport;
  /** Where task trees keep their repositories and integration worktrees. */
  dataDir: string;
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
