import { describe, expect, it } from "vitest";
import { ATTEMPT_STATUSES } from "./session/attempt";
import {
  computeDiskPart,
  computeNextEventFloor,
  computeOpenCodeKeepReason,
  computeRetentionCutoff,
  computeRetentionDelay,
  computeRetentionPass,
  computeStoreOwners,
  DISK_PARTS,
  isBatchFull,
  isPastRetention,
  type OpenCodePruneCandidate,
} from "./retention";
import { FINISHED_STATUSES, SESSION_STATUSES } from "./session/session-status";

const now = new Date("2026-03-29T12:00:00.000Z");
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe("retention cutoff", () => {
  it("is now minus whole days, in milliseconds (a DST night changes nothing: UTC instants)", () => {
    expect(computeRetentionCutoff(now, 1)!.toISOString()).toBe("2026-03-28T12:00:00.000Z");
    expect(computeRetentionCutoff(now, 90)!.toISOString()).toBe("2025-12-29T12:00:00.000Z");
  });

  it("is null when the tenant keeps everything", () => {
    expect(computeRetentionCutoff(now, null)).toBeNull();
    expect(isPastRetention(new Date(0), now, null)).toBe(false);
  });

  it("puts the cutoff instant itself inside the retention (strictly older is past it)", () => {
    const cutoff = computeRetentionCutoff(now, 1)!;
    expect(isPastRetention(cutoff, now, 1)).toBe(false);
    expect(isPastRetention(new Date(cutoff.getTime() - 1), now, 1)).toBe(true);
    expect(isPastRetention(hoursAgo(23), now, 1)).toBe(false);
    expect(isPastRetention(hoursAgo(25), now, 1)).toBe(true);
  });
});

describe("batching", () => {
  it("a batch that removed its limit may have left more; a shorter one did not", () => {
    expect(isBatchFull(1000, 1000)).toBe(true);
    // The events of a session are deleted as a prefix: a batch may remove a few more than it selected.
    expect(isBatchFull(1003, 1000)).toBe(true);
    expect(isBatchFull(999, 1000)).toBe(false);
    expect(isBatchFull(0, 1000)).toBe(false);
    expect(isBatchFull(0, 0)).toBe(false);
  });

  it("gives each pending target one batch per pass, in order, within the budget", () => {
    expect(computeRetentionPass(["a", "b", "c"], 10_000, 1000)).toEqual([
      { target: "a", limit: 1000 },
      { target: "b", limit: 1000 },
      { target: "c", limit: 1000 },
    ]);
    expect(computeRetentionPass(["a", "b", "c"], 1500, 1000)).toEqual([
      { target: "a", limit: 1000 },
      { target: "b", limit: 500 },
    ]);
    expect(computeRetentionPass(["a"], 0, 1000)).toEqual([]);
    expect(computeRetentionPass(["a"], -5, 1000)).toEqual([]);
    expect(computeRetentionPass([], 10_000, 1000)).toEqual([]);
    expect(computeRetentionPass(["a"], 2.9, 1000)).toEqual([{ target: "a", limit: 2 }]);
  });

  it("spends a budget over passes until every target is done or the budget is gone", () => {
    // Target a has 2 500 rows to remove, b 300, c 0: a round of 3 000 rows in batches of 1 000.
    const left = new Map([
      ["a", 2500],
      ["b", 300],
      ["c", 0],
    ]);
    let pending = ["a", "b", "c"];
    let budget = 3000;
    let passes = 0;
    while (pending.length && budget > 0) {
      const next: string[] = [];
      for (const { target, limit } of computeRetentionPass(pending, budget, 1000)) {
        const deleted = Math.min(limit, left.get(target)!);
        left.set(target, left.get(target)! - deleted);
        budget -= deleted;
        if (isBatchFull(deleted, limit)) next.push(target);
      }
      pending = next;
      passes++;
    }
    expect(Object.fromEntries(left)).toEqual({ a: 0, b: 0, c: 0 });
    expect(passes).toBe(3);
    expect(budget).toBe(200);
  });

  it("comes back soon while work is left, else after the interval", () => {
    expect(computeRetentionDelay({ backlog: false, intervalMs: 600_000 })).toBe(600_000);
    expect(computeRetentionDelay({ backlog: true, intervalMs: 600_000 })).toBe(1000);
    expect(computeRetentionDelay({ backlog: true, intervalMs: 500 })).toBe(500);
    expect(computeRetentionDelay({ backlog: true, intervalMs: 600_000, backlogPauseMs: 50 })).toBe(50);
  });
});

describe("event search floor", () => {
  const cutoff = hoursAgo(24);
  it("moves to the cutoff when a batch found everything below it", () => {
    expect(
      computeNextEventFloor({ floor: null, cutoff, selected: 10, limit: 1000, newestSelectedAt: hoursAgo(30) }),
    ).toEqual(cutoff);
    expect(computeNextEventFloor({ floor: null, cutoff, selected: 0, limit: 1000, newestSelectedAt: null })).toEqual(
      cutoff,
    );
  });

  it("moves to the newest selected event after a full batch (inclusive: its twins may be left)", () => {
    expect(
      computeNextEventFloor({ floor: null, cutoff, selected: 1000, limit: 1000, newestSelectedAt: hoursAgo(40) }),
    ).toEqual(hoursAgo(40));
  });

  it("never moves back: a longer retention set later leaves the floor where it was", () => {
    const floor = hoursAgo(24);
    expect(
      computeNextEventFloor({ floor, cutoff: hoursAgo(48), selected: 0, limit: 1000, newestSelectedAt: null }),
    ).toEqual(floor);
    expect(
      computeNextEventFloor({
        floor,
        cutoff: hoursAgo(1),
        selected: 1000,
        limit: 1000,
        newestSelectedAt: hoursAgo(30),
      }),
    ).toEqual(floor);
    expect(computeNextEventFloor({ floor, cutoff, selected: 1000, limit: 1000, newestSelectedAt: null })).toEqual(
      floor,
    );
  });
});

describe("which OpenCode sessions are deleted from the runner", () => {
  const grace = 3_600_000;
  const ended: OpenCodePruneCandidate = {
    attemptStatus: "succeeded",
    attemptFinishedAt: hoursAgo(2).toISOString(),
    latestAttempt: true,
    sessionStatus: "completed",
    sessionDeleted: false,
  };

  it("deletes the latest attempt's session once its session finished and the grace passed", () => {
    for (const sessionStatus of FINISHED_STATUSES)
      expect(computeOpenCodeKeepReason({ ...ended, sessionStatus }, now, grace), sessionStatus).toBeNull();
  });

  it("keeps the latest attempt's session while its session may continue (paused, a retry pending, running)", () => {
    for (const sessionStatus of SESSION_STATUSES.filter((s) => !FINISHED_STATUSES.includes(s)))
      expect(computeOpenCodeKeepReason({ ...ended, sessionStatus }, now, grace), sessionStatus).toBe(
        `the session is ${sessionStatus} and may continue in it`,
      );
  });

  it("deletes an earlier attempt's session whatever its session does now (nothing continues it)", () => {
    for (const sessionStatus of SESSION_STATUSES)
      expect(
        computeOpenCodeKeepReason(
          { ...ended, latestAttempt: false, sessionStatus, attemptStatus: "failed" },
          now,
          grace,
        ),
      ).toBeNull();
  });

  it("deletes a deleted session's, whatever its status", () => {
    expect(
      computeOpenCodeKeepReason({ ...ended, sessionDeleted: true, sessionStatus: "failed" }, now, grace),
    ).toBeNull();
  });

  it("keeps every attempt that has not ended, and every one inside the grace", () => {
    for (const attemptStatus of ATTEMPT_STATUSES) {
      const open = attemptStatus === "running" || attemptStatus === "paused";
      expect(computeOpenCodeKeepReason({ ...ended, attemptStatus }, now, grace), attemptStatus).toBe(
        open ? "the attempt has not ended" : null,
      );
    }
    expect(computeOpenCodeKeepReason({ ...ended, attemptFinishedAt: null, attemptStatus: "failed" }, now, grace)).toBe(
      "the attempt has not ended",
    );
    expect(computeOpenCodeKeepReason({ ...ended, attemptFinishedAt: hoursAgo(0.5).toISOString() }, now, grace)).toBe(
      "the attempt ended less than the grace period ago",
    );
    expect(
      computeOpenCodeKeepReason({ ...ended, attemptFinishedAt: hoursAgo(1).toISOString() }, now, grace),
    ).toBeNull();
    expect(computeOpenCodeKeepReason({ ...ended, attemptFinishedAt: now.toISOString() }, now, 0)).toBeNull();
  });
});

describe("the replicas whose sessions are in this data dir's OpenCode store", () => {
  it("appends this replica once, keeping the newest", () => {
    expect(computeStoreOwners([], "r1")).toEqual(["r1"]);
    expect(computeStoreOwners(["r1", "r2"], "r3")).toEqual(["r1", "r2", "r3"]);
    expect(computeStoreOwners(["r1", "r2"], "r1")).toEqual(["r2", "r1"]);
    expect(computeStoreOwners(["r1", "r2", "r3"], "r4", 2)).toEqual(["r3", "r4"]);
  });
});

describe("disk parts", () => {
  it("classifies the data dir's top-level entries", () => {
    expect(computeDiskPart("worktrees")).toBe("worktrees");
    expect(computeDiskPart("integration")).toBe("worktrees");
    expect(computeDiskPart("workspaces")).toBe("workspaces");
    expect(computeDiskPart("trees")).toBe("workspaces");
    expect(computeDiskPart("opencode")).toBe("opencode");
    expect(computeDiskPart("pglite")).toBe("database");
    expect(computeDiskPart("work-remote.git")).toBe("work_remote");
    expect(computeDiskPart("mirrors")).toBe("mirrors");
    for (const name of ["secret", "orchestrator.lock", "constructor", "__proto__", ""])
      expect(computeDiskPart(name), name).toBe("other");
    expect(new Set(DISK_PARTS).size).toBe(DISK_PARTS.length);
  });
});
