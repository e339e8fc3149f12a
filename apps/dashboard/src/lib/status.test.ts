import { SESSION_STATUSES, type SessionStatus } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { allowedControls, canMessage, canRestore, isSessionMoving } from "./status";

// The buttons the session page and the bulk bar offered before they came from core's planSessionAction.
const BUTTONS: Record<SessionStatus, string[]> = {
  pending: ["start", "cancel"],
  queued: ["cancel"],
  running: ["pause", "stop"],
  degraded: ["pause", "stop"],
  paused: ["resume", "stop", "cancel"],
  failed: ["retry"],
  timeout: ["retry"],
  stopped: ["retry"],
  completed: [],
  partially_completed: [],
  cancelled: [],
  orphaned: [],
};

describe("session controls from core", () => {
  it.each(SESSION_STATUSES.map((status) => ({ status })))("$status", ({ status }) => {
    expect(allowedControls(status)).toEqual(BUTTONS[status]);
    expect(canRestore({ status, requestedAction: null })).toBe(
      ["paused", "failed", "timeout", "stopped"].includes(status),
    );
    expect(canMessage(status)).toBe(["running", "degraded", "paused"].includes(status));
    expect(isSessionMoving(status)).toBe(["pending", "queued", "running", "degraded", "paused"].includes(status));
  });

  it("restore waits while a resume is requested", () => {
    expect(canRestore({ status: "paused", requestedAction: "resume" })).toBe(false);
    expect(canRestore({ status: "paused", requestedAction: "stop" })).toBe(true);
  });
});
