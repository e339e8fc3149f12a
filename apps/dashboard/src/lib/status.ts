import type { SessionStatus } from "@industrial/core";

/**
 * One tone per status, everywhere (spec/dashboard.md): sessions, tasks,
 * agents, runners and breakers all map onto the same palette.
 */
export const TONES = ["running", "queued", "completed", "partial", "failed", "paused", "degraded", "stopped", "timeout", "orphaned", "accent", "neutral"] as const;
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

export type SessionControl = "start" | "pause" | "resume" | "stop" | "retry" | "cancel";

/**
 * The controls the state machine allows from a status (mirrors the server's
 * session-actions: start only a held pending session, pause an active one,
 * resume a paused one, stop an active or paused one, retry failed/timeout/
 * stopped, cancel what has not run or is paused).
 */
export function allowedControls(status: SessionStatus): SessionControl[] {
  switch (status) {
    case "pending":
      return ["start", "cancel"];
    case "queued":
      return ["cancel"];
    case "running":
    case "degraded":
      return ["pause", "stop"];
    case "paused":
      return ["resume", "stop", "cancel"];
    case "failed":
    case "timeout":
    case "stopped":
      return ["retry"];
    case "completed":
    case "partially_completed":
    case "cancelled":
    case "orphaned":
      return [];
  }
}

/** Statuses in which the session may still change on its own (keep polling). */
export function isSessionMoving(status: SessionStatus): boolean {
  return status === "pending" || status === "queued" || status === "running" || status === "degraded" || status === "paused";
}
