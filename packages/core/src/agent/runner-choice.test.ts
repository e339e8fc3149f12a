import { describe, expect, it } from "vitest";
import { closedBreaker, type Breaker } from "./breaker";
import {
  computeIdleRunnerToStop,
  computeManagedPoolAdmits,
  computeManagedRunnerChoice,
  computeRecycleReason,
  type ManagedRunnerSlot,
} from "./runner-choice";

const now = new Date("2026-05-01T12:00:00Z");
const MiB = 1024 * 1024;
const open: Breaker = {
  ...closedBreaker(),
  state: "open",
  openedAt: new Date(now.getTime() - 10_000).toISOString(),
  cooldownSeconds: 60,
};
const halfOpen: Breaker = { ...open, openedAt: new Date(now.getTime() - 120_000).toISOString() };

function slot(id: string, patch: Partial<ManagedRunnerSlot> = {}): ManagedRunnerSlot {
  return {
    id,
    state: "running",
    draining: false,
    leases: 0,
    served: 0,
    breaker: closedBreaker(),
    memoryBytes: 400 * MiB,
    idleSince: null,
    ...patch,
  };
}
const choose = (
  slots: ManagedRunnerSlot[],
  extra: { capacity?: number; attemptRunnerId?: string | null; startBlocked?: boolean; ignoreBreakers?: boolean } = {},
) =>
  computeManagedRunnerChoice({
    slots,
    capacity: extra.capacity ?? 2,
    attemptRunnerId: extra.attemptRunnerId ?? null,
    startBlocked: extra.startBlocked ?? false,
    ignoreBreakers: extra.ignoreBreakers ?? false,
    now,
  });

describe("choosing a managed runner", () => {
  it("starts the first process on first use", () => {
    expect(choose([], { capacity: 1 })).toEqual({ kind: "start" });
  });

  it("prefers an idle runner, then a new process while below the pool size, then the least loaded", () => {
    expect(choose([slot("a", { leases: 1 }), slot("b")])).toMatchObject({ kind: "use", runnerId: "b", reason: "idle" });
    expect(choose([slot("a", { leases: 1 })], { capacity: 2 })).toEqual({ kind: "start" });
    expect(choose([slot("a", { leases: 3 }), slot("b", { leases: 1 })], { capacity: 2 })).toMatchObject({
      kind: "use",
      runnerId: "b",
    });
  });

  it("waits for a process being started instead of starting a second one", () => {
    expect(choose([slot("a", { leases: 1 }), slot("b", { state: "starting" })], { capacity: 3 })).toEqual({
      kind: "wait",
    });
    expect(choose([slot("b", { state: "starting" })], { capacity: 1 })).toEqual({ kind: "wait" });
  });

  it("never gives new work to a draining runner; its replacement is started or awaited", () => {
    expect(choose([slot("old", { draining: true, leases: 1 })], { capacity: 1 })).toEqual({ kind: "start" });
    expect(
      choose([slot("old", { draining: true, leases: 1 }), slot("new", { state: "starting" })], { capacity: 1 }),
    ).toEqual({ kind: "wait" });
    expect(choose([slot("old", { draining: true })], { capacity: 1, startBlocked: true })).toMatchObject({
      kind: "none",
      reason: expect.stringContaining("failed to start"),
    });
  });

  it("sends a resumed or adopted attempt back to its own runner while it runs, even draining", () => {
    const slots = [slot("old", { draining: true, leases: 2 }), slot("new")];
    expect(choose(slots, { attemptRunnerId: "old", capacity: 1 })).toMatchObject({ kind: "use", runnerId: "old" });
    // Its own runner is gone (recycled, or another replica's): any runner, the session lives in the shared store.
    expect(choose(slots, { attemptRunnerId: "elsewhere", capacity: 1 })).toMatchObject({
      kind: "use",
      runnerId: "new",
    });
    expect(choose([slot("old", { state: "down" }), slot("new")], { attemptRunnerId: "old" })).toMatchObject({
      kind: "use",
      runnerId: "new",
    });
  });

  it("skips runners whose breaker does not admit, unless breakers are ignored (restore)", () => {
    expect(choose([slot("a", { breaker: open })], { capacity: 1 })).toMatchObject({
      kind: "none",
      reason: expect.stringContaining("breaker"),
    });
    expect(choose([slot("a", { breaker: open }), slot("b", { leases: 4 })])).toMatchObject({
      kind: "use",
      runnerId: "b",
    });
    expect(choose([slot("a", { breaker: open })], { capacity: 1, ignoreBreakers: true })).toMatchObject({
      kind: "use",
      runnerId: "a",
    });
    expect(choose([slot("a", { breaker: open })], { capacity: 1, attemptRunnerId: "a" })).toMatchObject({
      kind: "none",
    });
    // Half-open admits one trial; with its trial in flight it admits nothing.
    expect(choose([slot("a", { breaker: halfOpen })], { capacity: 1 })).toMatchObject({ kind: "use", runnerId: "a" });
    expect(choose([slot("a", { breaker: { ...halfOpen, trialInFlight: true } })], { capacity: 1 })).toMatchObject({
      kind: "none",
    });
  });

  it("reports a pool that is restarting its only process", () => {
    expect(choose([slot("a", { state: "down" })], { capacity: 1 })).toMatchObject({
      kind: "none",
      reason: expect.stringContaining("restarting"),
    });
  });
});

describe("can the managed pool take work (routing's runner health)", () => {
  const admits = (slots: ManagedRunnerSlot[], capacity = 1, startBlocked = false) =>
    computeManagedPoolAdmits({ slots, capacity, startBlocked, now });

  it("admits before the first process exists, while one starts, and while one runs with a closed breaker", () => {
    expect(admits([])).toBe(true);
    expect(admits([slot("a", { state: "starting" })])).toBe(true);
    expect(admits([slot("a", { leases: 5 })])).toBe(true);
  });

  it("does not admit when a start just failed, or every breaker is open and the pool is full", () => {
    expect(admits([], 1, true)).toBe(false);
    expect(admits([slot("a", { breaker: open })])).toBe(false);
    expect(admits([slot("a", { breaker: open })], 2)).toBe(true);
    expect(admits([slot("a", { breaker: { ...halfOpen, trialInFlight: true } })])).toBe(false);
  });

  it("admits while a recycled runner drains (its replacement can start)", () => {
    expect(admits([slot("old", { draining: true, leases: 1 })])).toBe(true);
  });
});

describe("recycling for memory", () => {
  it("recycles a running process over the limit that has served work", () => {
    expect(computeRecycleReason(slot("a", { memoryBytes: 700 * MiB, served: 3 }), 600 * MiB)).toBe(
      "memory 700 MiB is over the limit of 600 MiB",
    );
  });

  it("keeps a process under the limit, without a limit, already draining, not running, or that never served (the limit is below OpenCode's idle size)", () => {
    expect(computeRecycleReason(slot("a", { memoryBytes: 500 * MiB, served: 3 }), 600 * MiB)).toBeNull();
    expect(computeRecycleReason(slot("a", { memoryBytes: 700 * MiB, served: 3 }), null)).toBeNull();
    expect(
      computeRecycleReason(slot("a", { memoryBytes: 700 * MiB, served: 3, draining: true }), 600 * MiB),
    ).toBeNull();
    expect(computeRecycleReason(slot("a", { memoryBytes: 700 * MiB, served: 3, state: "down" }), 600 * MiB)).toBeNull();
    expect(computeRecycleReason(slot("a", { memoryBytes: null, served: 3 }), 600 * MiB)).toBeNull();
    expect(computeRecycleReason(slot("a", { memoryBytes: 700 * MiB, served: 0 }), 600 * MiB)).toBeNull();
  });
});

describe("stopping a managed runner the load no longer needs", () => {
  const MIN = 60_000;
  const idleFor = (ms: number) => new Date(now.getTime() - ms).toISOString();
  const stop = (slots: ManagedRunnerSlot[], idleMs = 10 * MIN) => computeIdleRunnerToStop(slots, now, idleMs);

  it("stops a process idle past the limit while another serves", () => {
    expect(stop([slot("a", { idleSince: idleFor(11 * MIN) }), slot("b", { leases: 2 })])).toBe("a");
    expect(stop([slot("a", { idleSince: idleFor(10 * MIN) }), slot("b", { idleSince: idleFor(MIN) })])).toBe("a");
  });

  it("keeps a process idle for less than the limit, or one an attempt holds", () => {
    expect(stop([slot("a", { idleSince: idleFor(9 * MIN) }), slot("b", { leases: 1 })])).toBeNull();
    expect(stop([slot("a", { leases: 1 }), slot("b", { leases: 1 })])).toBeNull();
    // No idle time known (it has just been leased, or is starting).
    expect(stop([slot("a"), slot("b")])).toBeNull();
  });

  it("never stops the last process that takes work (the others draining, restarting, starting or behind an open breaker)", () => {
    expect(stop([slot("a", { idleSince: idleFor(60 * MIN) })])).toBeNull();
    expect(stop([slot("a", { idleSince: idleFor(60 * MIN) }), slot("old", { draining: true, leases: 1 })])).toBeNull();
    expect(stop([slot("a", { idleSince: idleFor(60 * MIN) }), slot("b", { state: "down" })])).toBeNull();
    // A process still starting may fail to start; one whose breaker is open takes no work.
    expect(stop([slot("a", { idleSince: idleFor(60 * MIN) }), slot("b", { state: "starting" })])).toBeNull();
    expect(stop([slot("a", { idleSince: idleFor(60 * MIN) }), slot("b", { breaker: open })])).toBeNull();
    expect(
      stop([slot("a", { idleSince: idleFor(60 * MIN) }), slot("b", { breaker: open }), slot("c", { leases: 1 })]),
    ).toBe("a");
  });

  it("stops one at a time: the one idle longest, then the one that served least", () => {
    const slots = [
      slot("a", { idleSince: idleFor(20 * MIN), served: 9 }),
      slot("b", { idleSince: idleFor(30 * MIN), served: 9 }),
      slot("c", { idleSince: idleFor(30 * MIN), served: 2 }),
    ];
    expect(stop(slots)).toBe("c");
    expect(stop(slots.filter((s) => s.id !== "c"))).toBe("b");
    expect(stop(slots.filter((s) => s.id === "a"))).toBeNull();
  });

  it("never stops a draining process (recycling stops it when drained) or a non-running one", () => {
    expect(stop([slot("a", { draining: true, idleSince: idleFor(60 * MIN) }), slot("b")])).toBeNull();
    expect(stop([slot("a", { state: "down", idleSince: idleFor(60 * MIN) }), slot("b")])).toBeNull();
  });

  it("with a limit of 0 never stops anything", () => {
    expect(stop([slot("a", { idleSince: idleFor(600 * MIN) }), slot("b")], 0)).toBeNull();
  });
});
