import { randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import {
  breakerStateAt,
  coerceError,
  computeIdleRunnerToStop,
  computeManagedPoolAdmits,
  computeManagedRunnerChoice,
  type Runner,
} from "@industrial/core";
import {
  detachedFromRequest,
  insertRunner,
  retireRunner,
  setRunnerDraining,
  takeRunnerBreaker,
  type Database,
} from "@industrial/db";
import { forgetRunner, type AgentGateServer, type ManagedRunner, type RunnerLease } from "@industrial/opencode";
import type { Logger } from "pino";
import { checkSlot, probeSlot, slotStatusWriter } from "./managed-health";
import { describeSlot, leaseSlot, newSlot, slotSnapshot, type ManagedProcessInfo, type Slot } from "./managed-slot";

export interface ManagedPoolOptions {
  db: Database;
  tenantId: string;
  replica: string;
  /** Processes (not draining) this replica may run. */
  capacity: number;
  /** RSS past which a managed runner that has served work is recycled; null: no limit. */
  maxRssBytes: number | null;
  /** A process idle this long is stopped, never the last that takes work; 0: never (computeIdleRunnerToStop). */
  idleStopMs: number;
  /** Parent of the processes' own directories (pidfile, child cwd). */
  stateRoot: string;
  /** Spawns one `opencode serve` owning `stateDir`; resolves once it serves. */
  spawn: (stateDir: string) => Promise<ManagedRunner>;
  /** The agent gate the processes' plugin asks (absent: sessions are not gated). */
  gate?: Pick<AgentGateServer, "register">;
  /** How the processes' agents' commands are sandboxed (absent: they are not). */
  sandbox?: RunnerLease["sandbox"];
  log: Logger;
  now: () => Date;
}

/** How long a failed start keeps the pool from starting another process. */
const START_BACKOFF_MS = 30_000;

/**
 * This replica's managed runners: up to `capacity` `opencode serve`
 * processes, started on demand, each its own runner row. Recycling drains a
 * process (no new attempts), starts its replacement, and stops it when the
 * last lease is handed back; the rows of stopped processes are retired.
 * All of them share one OpenCode store, so a session created by one process
 * can be resumed by another.
 */
export function createManagedPool(o: ManagedPoolOptions) {
  const slots = new Map<string, Slot>();
  const log = o.log;
  let generation = 0;
  let startBlockedUntil = 0;
  let startError: string | null = null;
  let stopped = false;

  const writeStatus = slotStatusWriter({ db: o.db, tenantId: o.tenantId, log });

  // A runner started on a request's behalf (a restore, a recycle) outlives it: its logs are not that request's.
  const startSlot = detachedFromRequest(function startSlot(): Slot {
    generation += 1;
    const name = `managed-${o.replica}-${generation}`;
    const slot = newSlot(randomUUID(), name, join(o.stateRoot, String(generation)));
    // Registered before the first await: concurrent acquires see it starting and wait for it.
    slots.set(slot.id, slot);
    slot.started = (async () => {
      const row = await insertRunner(o.db, {
        id: slot.id,
        tenantId: o.tenantId,
        name,
        kind: "managed",
        url: null,
        ownerReplica: o.replica,
        health: "starting",
      });
      slot.breaker = row.breaker;
      const runner = await o.spawn(slot.stateDir);
      slot.process = runner;
      watch(slot, runner);
      slot.memoryBytes = runner.memoryBytes();
      slot.healthy = true;
      if (slot.leases === 0) slot.idleSince = o.now();
      startError = null;
      await writeStatus(slot, "healthy", { url: runner.url, version: runner.version, memoryBytes: slot.memoryBytes });
      log.info({ runner: name, url: runner.url, version: runner.version, pid: runner.pid }, "managed runner started");
      if (stopped || (slot.draining && slot.leases === 0))
        void stopSlot(slot, stopped ? "the pool is stopping" : "recycled while starting");
    })().catch(async (e) => {
      startError = coerceError(e).message;
      startBlockedUntil = Date.now() + START_BACKOFF_MS;
      slots.delete(slot.id);
      log.error({ runner: name, err: startError }, "managed runner failed to start");
      await retireRunner(o.db, o.tenantId, slot.id).catch(() => undefined);
      throw e;
    });
    slot.started.catch(() => undefined);
    return slot;
  });

  function watch(slot: Slot, runner: ManagedRunner): void {
    runner.on("exit", (e) => {
      if (e.expected) return;
      // Its OpenCode instances died with it: the restarted process builds them again.
      forgetRunner(runner.url);
      slot.healthy = false;
      log.warn({ runner: slot.name, code: e.code, signal: e.signal }, "managed runner exited; restarting");
      void writeStatus(slot, "unhealthy");
    });
    runner.on("restart", (e) => {
      slot.healthy = true;
      log.warn({ runner: slot.name, url: e.url, attempt: e.attempt }, "managed runner restarted");
      void writeStatus(slot, "healthy", { url: e.url, version: e.version });
    });
    runner.on("failed", (e) => {
      // It gave up restarting: out of the pool; a new process may be started after the backoff.
      startError = e.error.message;
      startBlockedUntil = Date.now() + START_BACKOFF_MS;
      log.error({ runner: slot.name, err: e.error.message }, "managed runner failed for good");
      void stopSlot(slot, "failed");
    });
  }

  function stopSlot(slot: Slot, why: string): Promise<void> {
    slot.stopping ??= (async () => {
      log.info({ runner: slot.name, why }, "stopping managed runner");
      const url = slot.process?.url;
      await slot.process
        ?.stop()
        .catch((e) => log.warn({ runner: slot.name, err: coerceError(e).message }, "managed runner stop failed"));
      if (url) forgetRunner(url);
      slots.delete(slot.id);
      await retireRunner(o.db, o.tenantId, slot.id).catch((e) =>
        log.warn({ runner: slot.name, err: coerceError(e).message }, "runner row not retired"),
      );
      await rm(slot.stateDir, { recursive: true, force: true }).catch(() => undefined);
      log.info({ runner: slot.name }, "managed runner stopped");
    })();
    return slot.stopping;
  }

  function release(slot: Slot): void {
    slot.leases = Math.max(0, slot.leases - 1);
    if (slot.leases === 0) slot.idleSince = o.now();
    if (slot.draining && slot.leases === 0 && slot.process) void stopSlot(slot, "drained");
  }

  const leaseExtras = { ...(o.gate ? { gate: o.gate.register } : {}), ...(o.sandbox ? { sandbox: o.sandbox } : {}) };
  const lease = (slot: Slot): RunnerLease => leaseSlot(slot, leaseExtras, () => release(slot));

  /** Drains a runner and starts its replacement; it stops once its last attempt ended. */
  function recycle(slot: Slot, reason: string): void {
    if (slot.draining || slot.stopping) return;
    slot.draining = true;
    log.warn(
      { runner: slot.name, reason, running: slot.leases, memoryBytes: slot.memoryBytes },
      "recycling managed runner: draining it and starting a replacement",
    );
    void setRunnerDraining(o.db, o.tenantId, slot.id, true).catch((e) =>
      log.warn({ runner: slot.name, err: coerceError(e).message }, "draining flag not written"),
    );
    const active = [...slots.values()].filter((s) => !s.draining).length;
    if (!stopped && active < o.capacity && Date.now() >= startBlockedUntil) startSlot();
    if (slot.leases === 0 && slot.process) void stopSlot(slot, "recycled while idle");
  }

  /** The load went down: stops a process the pool no longer needs (one per check). */
  function stopIdle(): void {
    if (stopped) return;
    const id = computeIdleRunnerToStop(
      [...slots.values()].filter((s) => !s.stopping).map(slotSnapshot),
      o.now(),
      o.idleStopMs,
    );
    const slot = id ? slots.get(id) : undefined;
    if (!slot?.process) return;
    slot.draining = true;
    void stopSlot(slot, `no session for ${Math.round(o.idleStopMs / 1000)} s: the load needs fewer processes`);
  }

  return {
    async acquire(input: { attemptRunnerId: string | null; maintenance: boolean }): Promise<RunnerLease> {
      for (let round = 0; round < 20; round++) {
        if (stopped) throw new Error("the runner pool is stopping");
        const now = o.now();
        const choice = computeManagedRunnerChoice({
          slots: [...slots.values()].filter((s) => !s.stopping).map(slotSnapshot),
          capacity: o.capacity,
          attemptRunnerId: input.attemptRunnerId,
          startBlocked: Date.now() < startBlockedUntil,
          ignoreBreakers: input.maintenance,
          now,
        });
        if (choice.kind === "none") throw new Error(startError ? `${choice.reason}: ${startError}` : choice.reason);
        if (choice.kind === "start") await startSlot().started;
        else if (choice.kind === "wait")
          await Promise.race([...slots.values()].filter((s) => !s.process).map((s) => s.started)).catch(
            () => undefined,
          );
        else {
          const slot = slots.get(choice.runnerId)!;
          if (!input.maintenance && breakerStateAt(slot.breaker, now) !== "closed") {
            // Half-open: the one trial is taken on the row, so that one attempt across replicas gets it.
            const trial = await takeRunnerBreaker(o.db, o.tenantId, slot.id, now);
            if (trial.breaker) slot.breaker = trial.breaker;
            if (!trial.admitted) continue;
          }
          if (slot.stopping || !slots.has(slot.id) || slot.process?.state !== "running") continue;
          return lease(slot);
        }
      }
      throw new Error("no managed runner could be acquired");
    },

    /** Routing: can an attempt bound to a managed runner be dispatched now? */
    admits(): boolean {
      return computeManagedPoolAdmits({
        slots: [...slots.values()].filter((s) => !s.stopping).map(slotSnapshot),
        capacity: o.capacity,
        startBlocked: Date.now() < startBlockedUntil,
        now: o.now(),
      });
    },

    owns: (runnerId: string) => slots.has(runnerId),

    /**
     * The Authorization header of the process listening at `baseUrl` (each has
     * a password of its own); undefined when none of this replica's does. A
     * running one first: a stopping one may still hold an address a new one got.
     */
    headersFor(baseUrl: string): Record<string, string> | undefined {
      const at = [...slots.values()].filter((s) => s.process?.url === baseUrl);
      return (at.find((s) => s.process?.state === "running") ?? at[0])?.process?.headers();
    },

    /** Recycles one of this replica's runners; false when it is not one of them. */
    recycle(runnerId: string, reason: string): boolean {
      const slot = slots.get(runnerId);
      if (!slot) return false;
      recycle(slot, reason);
      return true;
    },

    /** Takes in what the rows say: breakers (moved by finished attempts) and recycling asked through another replica. */
    applyRows(rows: readonly Runner[]): void {
      for (const row of rows) {
        const slot = slots.get(row.id);
        if (!slot) continue;
        slot.breaker = row.breaker;
        if (row.draining && !slot.draining && slot.process) recycle(slot, "recycling was requested through the API");
      }
    },

    /** Health, memory and the memory limit of every running process; writes each row. */
    async check(): Promise<void> {
      await Promise.all(
        [...slots.values()].map(async (slot) => {
          const reason = await checkSlot(slot, { maxRssBytes: o.maxRssBytes, writeStatus, log });
          if (reason) recycle(slot, reason);
        }),
      );
      stopIdle();
    },

    /** Asks every running process for its health now (readiness), then lists them. */
    async probe(): Promise<ManagedProcessInfo[]> {
      await Promise.all([...slots.values()].map(probeSlot));
      return this.processes();
    },

    processes(): ManagedProcessInfo[] {
      return [...slots.values()].map(describeSlot);
    },

    get startError() {
      return startError;
    },

    async stop(): Promise<void> {
      stopped = true;
      await Promise.allSettled([...slots.values()].map((s) => s.started));
      await Promise.all([...slots.values()].map((s) => stopSlot(s, "the orchestrator is stopping")));
    },
  };
}

export type ManagedPool = ReturnType<typeof createManagedPool>;
