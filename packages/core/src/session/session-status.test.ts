import { describe, expect, it } from "vitest";
import { InvalidTransitionError } from "../errors";
import { assertTransition, canTransition, SESSION_STATUSES, type SessionStatus } from "./session-status";

// The table of docs/domain.md, written out independently of the implementation.
const allowed: Record<SessionStatus, SessionStatus[]> = {
  pending: ["queued", "running", "cancelled", "failed", "orphaned"],
  queued: ["running", "cancelled", "failed", "pending", "orphaned"],
  running: ["completed", "partially_completed", "failed", "timeout", "paused", "stopped", "degraded", "orphaned"],
  paused: ["running", "stopped", "cancelled", "orphaned"],
  degraded: ["running", "failed", "completed", "stopped", "timeout", "orphaned"],
  failed: ["pending", "orphaned"],
  timeout: ["pending", "orphaned"],
  stopped: ["pending", "orphaned"],
  completed: [],
  partially_completed: [],
  cancelled: [],
  orphaned: [],
};

describe("session status table", () => {
  const pairs = SESSION_STATUSES.flatMap((from) => SESSION_STATUSES.map((to) => [from, to] as const));

  it("covers all 144 from→to pairs", () => {
    expect(pairs).toHaveLength(144);
  });

  it.each(pairs)("%s → %s", (from, to) => {
    const expected = allowed[from].includes(to);
    expect(canTransition(from, to)).toBe(expected);
    if (expected) expect(() => assertTransition(from, to)).not.toThrow();
    else {
      expect(() => assertTransition(from, to)).toThrow(InvalidTransitionError);
      try {
        assertTransition(from, to);
      } catch (e) {
        expect((e as InvalidTransitionError).code).toBe("INVALID_TRANSITION");
        expect((e as Error).message).toContain(from);
        expect((e as Error).message).toContain(to);
      }
    }
  });
});
