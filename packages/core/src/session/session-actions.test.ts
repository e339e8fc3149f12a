import { describe, expect, it } from "vitest";
import { SESSION_ACTIONS, type SessionAction } from "./session";
import {
  SESSION_CONTROLS,
  allowedSessionControls,
  planSessionAction,
  type SessionActionPlan,
  type SessionControl,
} from "./session-actions";
import { SESSION_STATUSES, canTransition, type SessionStatus } from "./session-status";

// The rules spelled out by hand, one row per status (what the API did before the decision moved to core):
// an entry is the plan; a missing one is refused.
const pause = { kind: "request", request: "pause" } as const;
const stop = { kind: "request", request: "stop" } as const;
const resume = { kind: "request", request: "resume" } as const;
const stopNow = {
  kind: "transition",
  to: "stopped",
  reason: "stopped by request",
  abandonPausedAttempt: true,
} as const;
const cancel = (abandonPausedAttempt: boolean) =>
  ({ kind: "transition", to: "cancelled", reason: "cancelled by request", abandonPausedAttempt }) as const;
const retry = { kind: "transition", to: "pending", reason: "retry requested", abandonPausedAttempt: false } as const;
const restoreToPending = { kind: "restore", then: "pending" } as const;
const message = { kind: "message" } as const;
const del = { kind: "delete" } as const;

const ALLOWED: Record<SessionStatus, Partial<Record<SessionControl, SessionActionPlan>>> = {
  pending: { start: { kind: "release" }, cancel: cancel(false) },
  queued: { cancel: cancel(false) },
  running: { pause, stop, message },
  degraded: { pause, stop, message },
  paused: { resume, stop: stopNow, cancel: cancel(true), restore: { kind: "restore", then: null }, message },
  failed: { retry, restore: restoreToPending, delete: del },
  timeout: { retry, restore: restoreToPending, delete: del },
  stopped: { retry, restore: restoreToPending, delete: del },
  completed: { delete: del },
  partially_completed: { delete: del },
  cancelled: { delete: del },
  orphaned: { delete: del },
};

// The status an INVALID_TRANSITION refusal names as the target (the error message the API has always given).
const TARGET: Partial<Record<SessionControl, SessionStatus>> = {
  start: "queued",
  pause: "paused",
  resume: "running",
  stop: "stopped",
  cancel: "cancelled",
  retry: "pending",
};

const cases = SESSION_STATUSES.flatMap((status) => SESSION_CONTROLS.map((action) => ({ status, action })));

describe("planSessionAction: every status × every action (no request waiting)", () => {
  it.each(cases)("$action in $status", ({ status, action }) => {
    const plan = planSessionAction({ status, requestedAction: null, action });
    const expected = ALLOWED[status][action];
    if (expected) return expect(plan).toEqual(expected);
    const to = TARGET[action];
    if (to)
      expect(plan).toEqual({
        kind: "refused",
        code: "INVALID_TRANSITION",
        from: status,
        to,
        message: `cannot move session from ${status} to ${to}`,
      });
    else expect(plan).toMatchObject({ kind: "refused", code: "CONFLICT", message: expect.stringContaining(status) });
  });

  it("covers every status and every control", () => {
    expect(cases).toHaveLength(SESSION_STATUSES.length * SESSION_CONTROLS.length);
  });
});

describe("planSessionAction: with a request waiting for the lease holder", () => {
  const withRequest = cases.flatMap((c) => SESSION_ACTIONS.map((requestedAction) => ({ ...c, requestedAction })));

  it.each(withRequest)("$action in $status with $requestedAction requested", ({ status, action, requestedAction }) => {
    const plan = planSessionAction({ status, requestedAction, action });
    const base = planSessionAction({ status, requestedAction: null, action });
    if (action === "pause" && requestedAction === "stop" && base.kind !== "refused")
      expect(plan).toEqual({
        kind: "refused",
        code: "CONFLICT",
        message: "a stop is already being carried out for this session",
      });
    else if (action === "restore" && requestedAction === "resume" && base.kind !== "refused")
      expect(plan).toEqual({
        kind: "refused",
        code: "CONFLICT",
        message: "a resume was requested; restore before resuming, or pause again",
      });
    // Any other waiting request changes nothing: a stop overrides a pause, a cancel a resume.
    else expect(plan).toEqual(base);
  });
});

describe("planSessionAction agrees with the status table", () => {
  it("every transition it plans is one canTransition allows", () => {
    for (const { status, action } of cases) {
      const plan = planSessionAction({ status, requestedAction: null, action });
      if (plan.kind === "transition") expect(canTransition(status, plan.to)).toBe(true);
      if (plan.kind === "restore" && plan.then) expect(canTransition(status, plan.then)).toBe(true);
    }
  });

  it("retry leaves only a run that is finished for now (queued → pending is the scheduler's, not a person's)", () => {
    const retryable = SESSION_STATUSES.filter(
      (status) => planSessionAction({ status, requestedAction: null, action: "retry" }).kind !== "refused",
    );
    expect(retryable).toEqual(["failed", "timeout", "stopped"]);
  });

  it("delete refusals suggest stopping or cancelling first", () => {
    expect(planSessionAction({ status: "running", requestedAction: null, action: "delete" })).toEqual({
      kind: "refused",
      code: "CONFLICT",
      message: "only finished sessions can be deleted; this one is running",
      suggestion: "stop or cancel it first",
    });
  });
});

describe("allowedSessionControls", () => {
  it("lists the allowed controls in SESSION_CONTROLS order", () => {
    expect(allowedSessionControls("pending")).toEqual(["start", "cancel"]);
    expect(allowedSessionControls("paused")).toEqual(["resume", "stop", "cancel", "restore", "message"]);
    expect(allowedSessionControls("running", "stop" satisfies SessionAction)).toEqual(["stop", "message"]);
    expect(allowedSessionControls("completed")).toEqual(["delete"]);
  });
});
