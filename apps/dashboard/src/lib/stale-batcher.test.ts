import { describe, expect, it } from "vitest";
import {
  computeStaleTargets,
  createStaleBatcher,
  isKeyPrefix,
  type BatcherTimers,
  type StaleTarget,
} from "./stale-batcher";

/** A fake clock: timers fire when `advance` passes them, in time order. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: BatcherTimers = {
    now: () => now,
    set: (fn, ms) => (due.set(nextId, { at: now + ms, fn }), nextId++),
    clear: (h) => void due.delete(h as number),
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const next = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      due.delete(next[0]);
      now = next[1].at;
      next[1].fn();
    }
    now = end;
  };
  return { timers, advance };
}

function setup(delayMs = 250, maxWaitMs = 1000) {
  const { timers, advance } = fakeTimers();
  const calls: { at: number; targets: StaleTarget[] }[] = [];
  let batch: StaleTarget[] = [];
  const b = createStaleBatcher({
    delayMs,
    maxWaitMs,
    timers,
    invalidate: (t) => void batch.push(t),
  });
  const step = (ms: number) => {
    advance(ms);
    if (batch.length) calls.push({ at: timers.now(), targets: batch });
    batch = [];
  };
  return { b, step, calls };
}

describe("stale batcher (trailing debounce with a longest wait)", () => {
  it("a burst of frames ends in one invalidation per key, delayMs after the last frame", () => {
    const { b, step, calls } = setup();
    for (let i = 0; i < 10; i++) {
      b.mark([["sessions", "list"], { queryKey: ["session", "a"], exact: true }]);
      step(20);
    }
    expect(calls).toEqual([]);
    step(249 - 20);
    expect(calls).toEqual([]);
    step(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.targets).toEqual([
      { queryKey: ["sessions", "list"] },
      { queryKey: ["session", "a"], exact: true },
    ]);
    expect(b.pending).toBe(0);
  });

  it("under a steady stream it still flushes every maxWaitMs, never pushed away forever", () => {
    const { b, step, calls } = setup(250, 1000);
    for (let i = 0; i < 30; i++) {
      b.mark([["sessions"]]);
      step(100);
    }
    // 3 s of a frame every 100 ms: flushed each time the first pending frame is 1 s old, not once at the end.
    expect(calls.map((c) => c.at)).toEqual([1000, 2000, 3000]);
  });

  it("nothing marked, nothing invalidated; cancel drops what was pending", () => {
    const { b, step, calls } = setup();
    b.mark([]);
    step(5000);
    b.mark([["agents"]]);
    b.cancel();
    step(5000);
    expect(calls).toEqual([]);
  });

  it("flush invalidates at once", () => {
    const { b, step, calls } = setup();
    b.mark([["tasks"]]);
    b.flush();
    step(0);
    expect(calls.map((c) => c.targets)).toEqual([[{ queryKey: ["tasks"] }]]);
    step(1000);
    expect(calls).toHaveLength(1);
  });
});

describe("computeStaleTargets", () => {
  it("drops keys a pending prefix covers and duplicates; an exact key covers only itself", () => {
    const t = (queryKey: unknown[], exact?: true): StaleTarget => (exact ? { queryKey, exact } : { queryKey });
    expect(
      computeStaleTargets([
        t(["sessions", "list"]),
        t(["sessions"]),
        t(["session", "a"], true),
        t(["session", "a", "diff"], true),
        t(["sessions", "list", { q: 1 }]),
        t(["sessions"]),
      ]),
    ).toEqual([t(["sessions"]), t(["session", "a"], true), t(["session", "a", "diff"], true)]);
    // A prefix and the same key exact: the prefix covers it.
    expect(computeStaleTargets([t(["session", "a"], true), t(["session", "a"])])).toEqual([t(["session", "a"])]);
  });

  it("compares key elements as JSON, like React Query's partial match", () => {
    expect(isKeyPrefix(["sessions", "list"], ["sessions", "list", { status: ["running"] }])).toBe(true);
    expect(isKeyPrefix(["sessions", "list", { a: 1 }], ["sessions", "list", { a: 2 }])).toBe(false);
    expect(isKeyPrefix(["session", "a", "diff"], ["session", "a"])).toBe(false);
  });
});
