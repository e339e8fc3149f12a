import type { SessionAction } from "@industrial/core";
// The browser-safe subpaths (the package's index also holds node:crypto code).
import { allowedSessionControls, planSessionAction } from "@industrial/core/session-actions";
import { FINISHED_STATUSES, type SessionStatus } from "@industrial/core/session-status";

/**
 * One tone per status, everywhere (spec/dashboard.md): sessions, tasks,
 * agents, runners and breakers all map onto the same palette.
 */
export const TONES = [
  "running",
  "queued",
  "completed",
  "partial",
  "failed",
  "paused",
  "degraded",
  "stopped",
  "timeout",
  "orphaned",
  "accent",
  "neutral",
] as const;
export type Tone = (typeof TONES)[number];

const STATUS_TONES: Record<string, Tone> = {
  // sessions
  pending: "queued",
  queued: "queued",
  running: "running",
  paused: "paused",
  degraded: "degraded",
  completed: "completed",
  partially_completed: "partial",
  failed: "failed",
  timeout: "timeout",
  stopped: "stopped",
  cancelled: "stopped",
  orphaned: "orphaned",
  // tasks
  ready: "queued",
  blocked: "failed",
  skipped: "stopped",
  // agents
  active: "running",
  draining: "paused",
  offline: "stopped",
  maintenance: "degraded",
  // runners
  healthy: "running",
  unhealthy: "failed",
  starting: "queued",
  standby: "stopped",
  // breakers
  closed: "running",
  open: "failed",
  half_open: "degraded",
  // connection
  live: "running",
  reconnecting: "degraded",
};

export function toneOf(status: string): Tone {
  return STATUS_TONES[status] ?? "neutral";
}

/** Statuses that pulse: work is happening now. */
export function isLive(status: string): boolean {
  return status === "running" || status === "live" || status === "healthy" || status === "active";
}

/** The human label of a status: upper-case words. */
export function statusLabel(status: string): string {
  return status.replace(/_/g, " ").toUpperCase();
}

/** The session page's buttons (restore, follow-up and delete have their own places). */
export type SessionControl = "start" | "pause" | "resume" | "stop" | "retry" | "cancel";
const BUTTONS: readonly SessionControl[] = ["start", "pause", "resume", "stop", "retry", "cancel"];

/**
 * The controls the state machine allows from a status, decided by core's
 * `planSessionAction` (the rule the server applies): start a pending
 * session, pause an active one, resume a paused one, stop an active or
 * paused one, retry failed/timeout/stopped, cancel what has not run or is paused.
 */
export function allowedControls(status: SessionStatus): SessionControl[] {
  const allowed = allowedSessionControls(status);
  return BUTTONS.filter((c) => allowed.includes(c));
}

/** Whether a checkpoint can be restored now (paused, failed, timed-out or stopped, no resume waiting). */
export function canRestore(session: { status: SessionStatus; requestedAction: SessionAction | null }): boolean {
  return (
    planSessionAction({ status: session.status, requestedAction: session.requestedAction, action: "restore" }).kind !==
    "refused"
  );
}

/** Whether a follow-up message is accepted now (a running or paused session). */
export function canMessage(status: SessionStatus): boolean {
  return planSessionAction({ status, requestedAction: null, action: "message" }).kind !== "refused";
}

/** Statuses in which the session may still change on its own (keep polling): the run is not over. */
export function isSessionMoving(status: SessionStatus): boolean {
  return !FINISHED_STATUSES.includes(status);
}
