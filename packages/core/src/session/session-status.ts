import { InvalidTransitionError } from "../errors";

/** The 12 session states of docs/domain.md. */
export const SESSION_STATUSES = [
  "pending",
  "queued",
  "running",
  "paused",
  "degraded",
  "completed",
  "partially_completed",
  "failed",
  "timeout",
  "stopped",
  "cancelled",
  "orphaned",
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** States with no way out. */
export const TERMINAL_STATUSES: readonly SessionStatus[] = [
  "completed",
  "partially_completed",
  "cancelled",
  "orphaned",
];

/**
 * States a session can end a run in; retry (→ pending) may still leave them.
 * `failed`, `timeout` and `stopped` are "finished for now".
 */
export const FINISHED_STATUSES: readonly SessionStatus[] = [...TERMINAL_STATUSES, "failed", "timeout", "stopped"];

/** States in which an attempt holds a lease and OpenCode works. */
export const ACTIVE_STATUSES: readonly SessionStatus[] = ["running", "degraded"];

const table: Record<SessionStatus, readonly SessionStatus[]> = {
  pending: ["queued", "running", "cancelled", "failed"],
  queued: ["running", "cancelled", "failed", "pending"],
  running: ["completed", "partially_completed", "failed", "timeout", "paused", "stopped", "degraded"],
  paused: ["running", "stopped", "cancelled"],
  degraded: ["running", "failed", "completed", "stopped", "timeout"],
  failed: ["pending"],
  timeout: ["pending"],
  stopped: ["pending"],
  completed: [],
  partially_completed: [],
  cancelled: [],
  orphaned: [],
};

export function isTerminalStatus(s: SessionStatus): boolean {
  return TERMINAL_STATUSES.includes(s);
}

/** The transition table, law of the system: every write of a status goes through here. */
export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  if (to === "orphaned") return !isTerminalStatus(from);
  return table[from].includes(to);
}

export function assertTransition(from: SessionStatus, to: SessionStatus): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}

/** Every state reachable in one step from `from`. */
export function nextStatuses(from: SessionStatus): SessionStatus[] {
  return SESSION_STATUSES.filter((to) => canTransition(from, to));
}
