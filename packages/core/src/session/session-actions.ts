import type { SessionAction } from "./session";
import { ACTIVE_STATUSES, FINISHED_STATUSES, canTransition, type SessionStatus } from "./session-status";

// Browser-safe: this file and what it imports at runtime (session-status, errors) use no node module,
// so the dashboard imports it through the `@industrial/core/session-actions` subpath.

/**
 * What a person can do to a session through the API (and the dashboard's and
 * the CLI's buttons and verbs). Those the lease holder must carry out in the
 * running OpenCode turn are recorded as the session's `requestedAction`
 * (a `SessionAction`); the others are written by the API at once.
 */
export const SESSION_CONTROLS = [
  "start",
  "pause",
  "resume",
  "stop",
  "retry",
  "cancel",
  "restore",
  "message",
  "delete",
] as const;
export type SessionControl = (typeof SESSION_CONTROLS)[number];

/** Allowed: what the API writes. */
export type SessionActionPlan =
  /** Record `requestedAction`; the lease holder carries it out within a second. */
  | { kind: "request"; request: Extract<SessionAction, "pause" | "resume" | "stop"> }
  /** Move the session now; a paused session's attempt is abandoned (its lease released) first. */
  | { kind: "transition"; to: SessionStatus; reason: string; abandonPausedAttempt: boolean }
  /** Start a held pending session: clear `held`, admission takes it from there. */
  | { kind: "release" }
  /** Rewind to a checkpoint; then move to `then` (a paused session stays paused and resumes from there). */
  | { kind: "restore"; then: SessionStatus | null }
  /** Queue a follow-up instruction for the lease holder (or for resume, when paused). */
  | { kind: "message" }
  /** Soft-delete a finished session (its children that can still run are orphaned). */
  | { kind: "delete" };

/** Refused: nothing is written; the server maps `code` to its error (INVALID_TRANSITION → 409 …). */
export type SessionActionRefusal =
  | { kind: "refused"; code: "INVALID_TRANSITION"; from: SessionStatus; to: SessionStatus; message: string }
  | { kind: "refused"; code: "CONFLICT"; message: string; suggestion?: string };

export interface SessionActionInput {
  status: SessionStatus;
  /** The request still waiting for the lease holder, if any. */
  requestedAction: SessionAction | null;
  action: SessionControl;
}

const invalid = (from: SessionStatus, to: SessionStatus): SessionActionRefusal => ({
  kind: "refused",
  code: "INVALID_TRANSITION",
  from,
  to,
  message: `cannot move session from ${from} to ${to}`,
});
const conflict = (message: string, suggestion?: string): SessionActionRefusal => ({
  kind: "refused",
  code: "CONFLICT",
  message,
  ...(suggestion ? { suggestion } : {}),
});

const isActive = (s: SessionStatus) => ACTIVE_STATUSES.includes(s);
/** failed, timeout, stopped: finished for now, and the status table lets them go back to pending. */
const isRetryable = (s: SessionStatus) => FINISHED_STATUSES.includes(s) && canTransition(s, "pending");

/**
 * Decides whether `action` is allowed on a session in `status` (with
 * `requestedAction` still waiting) and what it means: a request for the lease
 * holder, a transition made at once, or a refusal with its reason. Pure; the
 * server writes the plan, the dashboard shows only allowed controls. Every
 * status group comes from `session-status.ts`.
 */
export function planSessionAction(input: SessionActionInput): SessionActionPlan | SessionActionRefusal {
  const { status, requestedAction, action } = input;
  switch (action) {
    case "start":
      return status === "pending" ? { kind: "release" } : invalid(status, "queued");
    case "pause":
      if (!isActive(status)) return invalid(status, "paused");
      if (requestedAction === "stop") return conflict("a stop is already being carried out for this session");
      return { kind: "request", request: "pause" };
    case "resume":
      return status === "paused" ? { kind: "request", request: "resume" } : invalid(status, "running");
    case "stop":
      if (isActive(status)) return { kind: "request", request: "stop" };
      // Nothing runs: the API stops it itself.
      if (status === "paused")
        return { kind: "transition", to: "stopped", reason: "stopped by request", abandonPausedAttempt: true };
      return invalid(status, "stopped");
    case "cancel":
      if (!canTransition(status, "cancelled")) return invalid(status, "cancelled");
      return {
        kind: "transition",
        to: "cancelled",
        reason: "cancelled by request",
        abandonPausedAttempt: status === "paused",
      };
    case "retry":
      if (!isRetryable(status)) return invalid(status, "pending");
      return { kind: "transition", to: "pending", reason: "retry requested", abandonPausedAttempt: false };
    case "restore":
      if (status !== "paused" && !isRetryable(status))
        return conflict(`restore needs a paused, failed, timed-out or stopped session; this one is ${status}`);
      if (requestedAction === "resume")
        return conflict("a resume was requested; restore before resuming, or pause again");
      return { kind: "restore", then: status === "paused" ? null : "pending" };
    case "message":
      return isActive(status) || status === "paused"
        ? { kind: "message" }
        : conflict(`messages go to running or paused sessions; this one is ${status}`);
    case "delete":
      return FINISHED_STATUSES.includes(status)
        ? { kind: "delete" }
        : conflict(`only finished sessions can be deleted; this one is ${status}`, "stop or cancel it first");
  }
}

/** The controls allowed in `status` (in `SESSION_CONTROLS` order), for buttons and bulk actions. */
export function allowedSessionControls(
  status: SessionStatus,
  requestedAction: SessionAction | null = null,
): SessionControl[] {
  return SESSION_CONTROLS.filter((action) => planSessionAction({ status, requestedAction, action }).kind !== "refused");
}
