import type { AttemptStatus } from "./session/attempt";
import { FINISHED_STATUSES, type SessionStatus } from "./session/session-status";

/*
 * Retention: what is old enough to remove, and how the background rounds
 * that remove it are paced. Every replica runs the rounds; the database side
 * (`@industrial/db` retention.ts) deletes in small batches so no statement
 * holds locks for long.
 */

/** Days a tenant keeps session events and audit entries unless a lead sets otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;
/** The longest retention a tenant may set (a hundred years); null keeps forever. */
export const MAX_RETENTION_DAYS = 36_500;

const DAY_MS = 86_400_000;

/**
 * The instant before which a tenant's session events and audit entries are
 * removed; null when the tenant keeps them forever (`retentionDays` null).
 */
export function computeRetentionCutoff(now: Date, retentionDays: number | null): Date | null {
  if (retentionDays === null) return null;
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/** Is something made at `at` past the tenant's retention? */
export function isPastRetention(at: Date, now: Date, retentionDays: number | null): boolean {
  const cutoff = computeRetentionCutoff(now, retentionDays);
  return cutoff !== null && at.getTime() < cutoff.getTime();
}

// ---------------------------------------------------------------------------------------------
// Batching

/** Rows one delete statement removes at most: a short transaction, short row locks. */
export const RETENTION_BATCH_SIZE = 1_000;
/** Rows one round removes at most (across tenants); what is left waits for the next round. */
export const RETENTION_ROUND_BUDGET = 50_000;
/** A round that stopped with work left is followed after this pause instead of the full interval. */
export const RETENTION_BACKLOG_PAUSE_MS = 1_000;

/** A batch that removed as many rows as it was allowed may have left more behind. */
export function isBatchFull(deleted: number, limit: number): boolean {
  return limit > 0 && deleted >= limit;
}

/**
 * One pass of a round: each target that still has work gets one batch, in
 * order, until the round's budget of rows is spent — so one tenant's backlog
 * never starves the others. A target past the budget waits for the next pass
 * or round.
 */
export function computeRetentionPass<K>(
  pending: readonly K[],
  rowsLeft: number,
  batchSize = RETENTION_BATCH_SIZE,
): { target: K; limit: number }[] {
  const pass: { target: K; limit: number }[] = [];
  let left = Math.max(0, Math.floor(rowsLeft));
  for (const target of pending) {
    if (left <= 0) break;
    const limit = Math.min(batchSize, left);
    pass.push({ target, limit });
    left -= limit;
  }
  return pass;
}

/** When the next round starts: soon while work is left over, else after the interval. */
export function computeRetentionDelay(input: {
  backlog: boolean;
  intervalMs: number;
  backlogPauseMs?: number;
}): number {
  const pause = input.backlogPauseMs ?? RETENTION_BACKLOG_PAUSE_MS;
  return input.backlog ? Math.min(pause, input.intervalMs) : input.intervalMs;
}

/**
 * Where the next search for a tenant's expired events starts. Events are
 * searched oldest first from this floor (inclusive) up to the cutoff, so a
 * round walks only what is new since the last one, not every event other
 * tenants keep for longer. A batch that was not full found everything below
 * the cutoff: the floor moves to the cutoff. A full one moves it to the
 * newest event it selected (inclusive: events sharing that instant may be
 * left). The floor never moves back.
 */
export function computeNextEventFloor(input: {
  floor: Date | null;
  cutoff: Date;
  selected: number;
  limit: number;
  newestSelectedAt: Date | null;
}): Date | null {
  const next = isBatchFull(input.selected, input.limit) ? input.newestSelectedAt : input.cutoff;
  if (next === null) return input.floor;
  if (input.floor !== null && input.floor.getTime() >= next.getTime()) return input.floor;
  return next;
}

// ---------------------------------------------------------------------------------------------
// OpenCode's own store

/** How long after an attempt ends its OpenCode session is kept by default (to look at it in OpenCode, to restore). */
export const DEFAULT_OPENCODE_SESSION_GRACE_HOURS = 24;

/** What the OpenCode pruning decision looks at, per attempt. */
export interface OpenCodePruneCandidate {
  attemptStatus: AttemptStatus;
  attemptFinishedAt: string | null;
  /** Whether this is the session's latest attempt (the only one a resume, an adoption or a restore touches). */
  latestAttempt: boolean;
  sessionStatus: SessionStatus;
  sessionDeleted: boolean;
}

/**
 * Why an attempt's OpenCode session must be kept, or null when it may be
 * deleted from the runner. Resume and adoption continue the latest attempt's
 * OpenCode session, and restore rewinds it: so the latest attempt's session
 * is kept until the session has finished (completed, failed, timed out,
 * stopped, cancelled — not paused, and not pending a retry). An earlier
 * attempt's session is never used again. Either way the attempt must have
 * ended more than the grace period ago.
 */
export function computeOpenCodeKeepReason(c: OpenCodePruneCandidate, now: Date, graceMs: number): string | null {
  if (c.attemptStatus === "running" || c.attemptStatus === "paused" || c.attemptFinishedAt === null)
    return "the attempt has not ended";
  if (Date.parse(c.attemptFinishedAt) > now.getTime() - graceMs)
    return "the attempt ended less than the grace period ago";
  if (c.sessionDeleted || !c.latestAttempt) return null;
  if (!FINISHED_STATUSES.includes(c.sessionStatus)) return `the session is ${c.sessionStatus} and may continue in it`;
  return null;
}

/**
 * The replica ids whose managed runners kept their OpenCode sessions in this
 * data dir's store: the ones recorded before, plus this one, each once, the
 * newest `cap` of them. A replica id is new at every start, and attempts name
 * the runner row of the replica that ran them.
 */
export function computeStoreOwners(recorded: readonly string[], current: string, cap = 1_000): string[] {
  const owners = [...recorded.filter((r) => r !== current), current];
  return owners.slice(Math.max(0, owners.length - cap));
}

// ---------------------------------------------------------------------------------------------
// Disk

/** The parts of a replica's data dir whose size `/metrics` reports (`orchestrator_disk_bytes{part}`). */
export const DISK_PARTS = [
  "worktrees",
  "workspaces",
  "opencode",
  "database",
  "work_remote",
  "mirrors",
  "other",
] as const;
export type DiskPart = (typeof DISK_PARTS)[number];

const PART_OF_ENTRY: Readonly<Record<string, DiskPart>> = {
  worktrees: "worktrees",
  // A task tree's integration worktrees are worktrees too.
  integration: "worktrees",
  workspaces: "workspaces",
  // Repositories made for task trees that named none.
  trees: "workspaces",
  opencode: "opencode",
  pglite: "database",
  // The embedded default's work remote (a bare repository in the data dir).
  "work-remote.git": "work_remote",
  mirrors: "mirrors",
};

/** The part a top-level entry of the data dir counts towards. */
export function computeDiskPart(entryName: string): DiskPart {
  return Object.hasOwn(PART_OF_ENTRY, entryName) ? PART_OF_ENTRY[entryName]! : "other";
}
