import type { Clock, SessionEvent } from "@industrial/core";
import type { Database } from "@industrial/db";
import type { OcTransport, RunnerResolver } from "@industrial/opencode";
import type { EventBus, Scheduler } from "@industrial/scheduler";

/** What services need; main.ts wires the real ones, tests wire their own. */
export interface ServiceDeps {
  db: Database;
  bus: EventBus;
  scheduler: Pick<Scheduler, "poke" | "local" | "replica"> | null;
  /** Until authentication arrives every request acts in the default tenant. */
  tenantId: string;
  clock: Clock;
  runners: RunnerResolver;
  transport: OcTransport;
}

/** Publishes committed events and wakes the local scheduler. */
export function afterCommit(deps: ServiceDeps, events: readonly SessionEvent[]): void {
  deps.bus.publish(events);
  deps.scheduler?.poke();
}
