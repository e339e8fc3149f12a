import { closedBreaker, type Breaker, type ManagedRunnerSlot } from "@industrial/core";
import type { ManagedRunner, RunnerLease } from "@industrial/opencode";

/** What the managed pool (managed-runners.ts) keeps of one of its `opencode serve` processes. */
export interface Slot {
  id: string;
  name: string;
  stateDir: string;
  process: ManagedRunner | null;
  /** Settles when the process serves (or failed to start). */
  started: Promise<void>;
  leases: number;
  served: number;
  draining: boolean;
  breaker: Breaker;
  memoryBytes: number | null;
  healthy: boolean;
  latencyMs: number | null;
  stopping: Promise<void> | null;
  warnedIdleOverLimit: boolean;
  /** Since when no attempt holds it (the pool's clock); null while one does or it starts. */
  idleSince: Date | null;
}

export interface ManagedProcessInfo {
  runnerId: string;
  name: string;
  pid: number | null;
  url: string | null;
  version: string | null;
  state: ManagedRunnerSlot["state"];
  healthy: boolean;
  latencyMs: number | null;
  memoryBytes: number | null;
  leases: number;
  draining: boolean;
}

export function newSlot(id: string, name: string, stateDir: string): Slot {
  return {
    id,
    name,
    stateDir,
    process: null,
    started: Promise.resolve(),
    leases: 0,
    served: 0,
    draining: false,
    breaker: closedBreaker(),
    memoryBytes: null,
    healthy: false,
    latencyMs: null,
    stopping: null,
    warnedIdleOverLimit: false,
    idleSince: null,
  };
}

/** What core's pool decisions read of a slot. */
export function slotSnapshot(s: Slot): ManagedRunnerSlot {
  return {
    id: s.id,
    state: !s.process ? "starting" : s.process.state === "running" ? "running" : "down",
    draining: s.draining,
    leases: s.leases,
    served: s.served,
    breaker: s.breaker,
    memoryBytes: s.memoryBytes,
    idleSince: s.idleSince?.toISOString() ?? null,
  };
}

/** A slot as readiness and the runners API list it. */
export function describeSlot(s: Slot): ManagedProcessInfo {
  return {
    runnerId: s.id,
    name: s.name,
    pid: s.process?.pid ?? null,
    url: s.process?.url ?? null,
    version: s.process?.version ?? null,
    state: slotSnapshot(s).state,
    healthy: s.healthy,
    latencyMs: s.latencyMs,
    memoryBytes: s.memoryBytes,
    leases: s.leases,
    draining: s.draining,
  };
}

/**
 * One lease on a running slot: counted until it is handed back. `released`
 * runs once, however often the lease's `release` is called.
 */
export function leaseSlot(
  slot: Slot,
  extras: Pick<RunnerLease, "gate" | "sandbox">,
  released: () => void,
): RunnerLease {
  slot.leases += 1;
  slot.served += 1;
  slot.idleSince = null;
  let done = false;
  return {
    runnerId: slot.id,
    url: slot.process!.url,
    stopsWithReplica: true,
    current: () =>
      slot.process?.state === "running" ? { url: slot.process.url, restarts: slot.process.restarts } : null,
    ...extras,
    release() {
      if (done) return;
      done = true;
      released();
    },
  };
}
