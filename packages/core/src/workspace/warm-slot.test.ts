import { describe, expect, it } from "vitest";
import { ACTIVE_STATUSES, FINISHED_STATUSES, SESSION_STATUSES, TERMINAL_STATUSES } from "../session/session-status";
import { decideSlotRelease } from "./warm-slot";
import type { WorktreeCandidate, WorktreeLocalState, WorktreeSessionFacts } from "./worktree-retention";

const now = new Date("2025-06-15T12:00:00Z");
const A = "a".repeat(40);
const B = "b".repeat(40);
const session = (over: Partial<WorktreeSessionFacts> = {}): WorktreeSessionFacts => ({
  status: "completed",
  deleted: false,
  // Just now: a slot does not wait for retention's grace period.
  endedAt: now.toISOString(),
  checkpoints: [
    { seq: 1, gitCommit: A, pushed: true },
    { seq: 2, gitCommit: B, pushed: true },
  ],
  reset: null,
  ...over,
});
const candidate = (
  s: Partial<WorktreeSessionFacts> = {},
  over: Partial<WorktreeCandidate> = {},
): WorktreeCandidate => ({
  session: session(s),
  recorded: true,
  personOwned: false,
  changedAt: now.toISOString(),
  pushesPending: false,
  ...over,
});
const clean: WorktreeLocalState = { head: B, dirty: false };
const present = (local: WorktreeLocalState | null = clean) => ({ present: true as const, local });
const missing = { present: false as const };

describe("decideSlotRelease", () => {
  it("a folder goes, at once, only for a session that can never run again, pushed and clean at its last commit", () => {
    for (const status of SESSION_STATUSES) {
      const d = decideSlotRelease(candidate({ status }), present(), now);
      expect(d.remove, status).toBe(TERMINAL_STATUSES.includes(status));
      if (!d.remove && !TERMINAL_STATUSES.includes(status))
        expect(d.reason).toBe(`the session is ${status} and may run there again`);
    }
  });

  it("a deleted session's folder goes once it is finished (failed ones too) and its pushes are done", () => {
    for (const status of SESSION_STATUSES)
      expect(decideSlotRelease(candidate({ status, deleted: true }), present(), now).remove, status).toBe(
        FINISHED_STATUSES.includes(status),
      );
    expect(
      decideSlotRelease(candidate({ status: "failed", deleted: true }, { pushesPending: true }), present(), now).remove,
    ).toBe(false);
  });

  it("keeps a terminal session's folder that holds what its remote does not", () => {
    const cases: [Partial<WorktreeSessionFacts>, Partial<WorktreeCandidate>, WorktreeLocalState | null, string][] = [
      [
        {
          checkpoints: [
            { seq: 1, gitCommit: A, pushed: true },
            { seq: 2, gitCommit: B, pushed: false },
          ],
        },
        {},
        clean,
        "checkpoint 2 not yet pushed",
      ],
      [{}, { pushesPending: true }, clean, "pushes of its checkpoints are under way"],
      [{}, {}, { head: B, dirty: true }, "it holds changes no checkpoint has"],
      [
        {},
        {},
        { head: A, dirty: false },
        `its HEAD ${A.slice(0, 12)} is not the session's last pushed commit ${B.slice(0, 12)}`,
      ],
      [{}, {}, null, "its git state could not be read"],
      [{ checkpoints: [] }, {}, clean, "nothing of it is on its remote to recreate it from"],
      [{}, { personOwned: true }, clean, "a folder the person owns is never removed"],
    ];
    for (const [s, over, local, reason] of cases)
      expect(decideSlotRelease(candidate(s, over), present(local), now)).toEqual({ remove: false, reason });
  });

  it("a folder no single session owns stays; a missing one is free", () => {
    expect(decideSlotRelease(candidate({}, { session: null }), present(), now)).toEqual({
      remove: false,
      reason: "no single session has this short id",
    });
    expect(decideSlotRelease(candidate({}, { session: null }), missing, now)).toEqual({ remove: true });
  });

  it("a slot without its folder is free unless its owner is running (it may be making it)", () => {
    for (const status of SESSION_STATUSES) {
      const d = decideSlotRelease(candidate({ status }), missing, now);
      expect(d.remove, status).toBe(!ACTIVE_STATUSES.includes(status));
      expect(decideSlotRelease(candidate({ status, deleted: true }), missing, now).remove, status).toBe(true);
    }
    expect(decideSlotRelease(candidate({ status: "running" }), missing, now)).toEqual({
      remove: false,
      reason: "its session is running and may be making the folder now",
    });
  });
});
