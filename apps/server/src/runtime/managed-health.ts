import { coerceError, computeRecycleReason, type RunnerHealth } from "@industrial/core";
import { updateRunnerStatus, type Database } from "@industrial/db";
import type { Logger } from "pino";
import { slotSnapshot, type Slot } from "./managed-slot";

/** How long readiness waits for a managed runner's health answer (see probeSlot). */
const READINESS_PROBE_MS = 3_000;

export type WriteSlotStatus = (
  s: Slot,
  health: RunnerHealth,
  extra?: { url?: string; version?: string; memoryBytes?: number | null },
) => Promise<void>;

/** Writes a slot's health (and address, version, memory) to its runner row; a failed write is logged, never thrown. */
export function slotStatusWriter(o: { db: Database; tenantId: string; log: Logger }): WriteSlotStatus {
  return (s, health, extra = {}) =>
    updateRunnerStatus(o.db, o.tenantId, s.id, { health, ...extra }).catch((e) =>
      o.log.warn({ runner: s.name, err: coerceError(e).message }, "runner status write failed"),
    );
}

/**
 * One running process's health, memory and memory limit, written to its row;
 * returns why it should be recycled, or null. An idle process already over
 * the limit is not recycled (it would be again at once): it is warned about once.
 */
export async function checkSlot(
  slot: Slot,
  o: { maxRssBytes: number | null; writeStatus: WriteSlotStatus; log: Logger },
): Promise<string | null> {
  const p = slot.process;
  if (!p || slot.stopping || p.state !== "running") return null;
  const h = await p.health(2_000);
  slot.healthy = h.healthy;
  slot.latencyMs = h.latencyMs;
  slot.memoryBytes = p.memoryBytes();
  await o.writeStatus(slot, h.healthy ? "healthy" : "unhealthy", {
    url: p.url,
    ...(h.version ? { version: h.version } : {}),
    memoryBytes: slot.memoryBytes,
  });
  const reason = computeRecycleReason(slotSnapshot(slot), o.maxRssBytes);
  if (reason) return reason;
  if (
    o.maxRssBytes !== null &&
    slot.memoryBytes !== null &&
    slot.memoryBytes > o.maxRssBytes &&
    slot.served === 0 &&
    !slot.warnedIdleOverLimit
  ) {
    slot.warnedIdleOverLimit = true;
    o.log.warn(
      { runner: slot.name, memoryBytes: slot.memoryBytes, limitBytes: o.maxRssBytes },
      "an idle managed runner is over the memory limit: the limit is below OpenCode's own footprint",
    );
  }
  return null;
}

/** Asks a running process for its health now (readiness); nothing is written. */
export async function probeSlot(slot: Slot): Promise<void> {
  if (slot.process?.state !== "running" || slot.stopping) return;
  // A runner busy with several turns on a loaded machine answers in over a second (a fresh-clone chaos run saw
  // 1,004 ms): that is busy, not down. 3 s stays inside the chart's 5 s readiness probe.
  const h = await slot.process.health(READINESS_PROBE_MS);
  slot.healthy = h.healthy;
  slot.latencyMs = h.latencyMs;
}
