import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { SessionStream, type SessionStreamIo } from "./session-stream";

const ev = (seq: number): SessionEvent => ({
  sessionId: "s",
  seq,
  attempt: null,
  ts: "2026-01-01T00:00:00.000Z",
  type: "session.log",
  payload: { level: "info", source: "assistant", text: `#${seq}` },
});

/** A log of `n` events, an io that records what is delivered, and reads the test releases by hand. */
function setup(n: number, options: { autoRead?: boolean; pageSize?: number } = {}) {
  const log = Array.from({ length: n }, (_, i) => ev(i + 1));
  const delivered: number[] = [];
  const holes: [number, number][] = [];
  const reads: { after: number; release: () => void }[] = [];
  let held = 0;
  let gaps = 0;
  let timers: (() => void)[] = [];
  let congested = false;
  let drainedWaiters: (() => void)[] = [];
  const io: SessionStreamIo = {
    readLog: (after, limit) =>
      new Promise((resolve) => {
        const release = () => resolve(log.filter((e) => e.seq > after).slice(0, limit));
        if (options.autoRead ?? true) release();
        else reads.push({ after, release });
      }),
    deliver: (e) => (delivered.push(e.seq), true),
    hold: (_e, sign) => ((held += sign), true),
    congested: () => congested,
    drained: () => new Promise<void>((r) => drainedWaiters.push(r)),
    gap: () => gaps++,
    later: (fn) => {
      timers.push(fn);
      return () => (timers = timers.filter((t) => t !== fn));
    },
    hole: (from, to) => holes.push([from, to]),
    failed: (e) => {
      throw e;
    },
  };
  const stream = new SessionStream(io, options.pageSize ?? 100, 25);
  return {
    log,
    stream,
    delivered,
    holes,
    reads,
    held: () => held,
    gaps: () => gaps,
    /** The gap grace runs out. */
    fireTimers() {
      const due = timers;
      timers = [];
      due.forEach((fn) => fn());
    },
    append: (k: number) => Array.from({ length: k }, () => (log.push(ev(log.length + 1)), log.at(-1)!)),
    setCongested(v: boolean) {
      congested = v;
      if (!v) {
        drainedWaiters.forEach((r) => r());
        drainedWaiters = [];
      }
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const tick = () => new Promise((r) => setImmediate(r));

describe("SessionStream", () => {
  it("replays the log after afterSeq, then delivers live events", async () => {
    const t = setup(10);
    const caught: number[] = [];
    await t.stream.start(3, true, (last) => caught.push(last));
    expect(t.delivered).toEqual(range(4, 10));
    expect(caught).toEqual([10]);
    for (const e of t.append(3)) t.stream.onLive(e);
    expect(t.delivered).toEqual(range(4, 13));
  });

  it("holds what is published during the replay and sends it once, after the log (no gap, no duplicate)", async () => {
    const t = setup(5, { autoRead: false });
    const done = t.stream.start(0, true);
    // Committed while the log is being read: the read may or may not include them.
    const [e6, e7] = t.append(2);
    t.stream.onLive(e6!);
    t.stream.onLive(e7!);
    expect(t.held()).toBe(2);
    t.reads[0]!.release(); // returns 1..7: 6 and 7 are in the log too
    await tick();
    const [e8] = t.append(1);
    t.stream.onLive(e8!);
    await tick();
    t.reads[1]?.release();
    await done;
    expect(t.delivered).toEqual(range(1, 8));
    expect(t.held()).toBe(0);
  });

  it("holds live events that skip seqs until the missing ones arrive (within the grace, no log read)", async () => {
    const t = setup(3);
    await t.stream.start(3, false);
    const [e4, e5, e6, e7] = t.append(4);
    // Two writers published out of commit order: 6 and 5 arrive before 4.
    t.stream.onLive(e6!);
    t.stream.onLive(e5!);
    expect(t.delivered).toEqual([]);
    t.stream.onLive(e4!);
    expect(t.delivered).toEqual([4, 5, 6]);
    expect(t.held()).toBe(0);
    t.stream.onLive(e7!);
    expect(t.delivered).toEqual([4, 5, 6, 7]);
    expect(t.gaps()).toBe(0);
  });

  it("reads the missing seqs from the log when they do not come live within the grace", async () => {
    const t = setup(3);
    await t.stream.start(3, false);
    const [, e5, e6] = t.append(3);
    t.stream.onLive(e6!);
    t.stream.onLive(e5!);
    t.fireTimers();
    await tick();
    expect(t.delivered).toEqual([4, 5, 6]);
    expect(t.gaps()).toBe(1);
    expect(t.held()).toBe(0);
    const [e7] = t.append(1);
    t.stream.onLive(e7!);
    expect(t.delivered).toEqual([4, 5, 6, 7]);
  });

  it("catches up from the log when told the log is ahead (a lost publish), and not when it is not", async () => {
    const t = setup(2);
    await t.stream.start(2, false);
    t.append(3); // committed, never published
    t.stream.catchUp(2);
    expect(t.gaps()).toBe(0);
    t.stream.catchUp(5);
    await tick();
    expect(t.delivered).toEqual([3, 4, 5]);
    const [e6] = t.append(1);
    t.stream.onLive(e6!);
    expect(t.delivered).toEqual([3, 4, 5, 6]);
  });

  it("starts live from a seq without replaying, dropping what is older", async () => {
    const t = setup(4);
    await t.stream.start(4, false);
    t.stream.onLive(t.log[2]!); // seq 3: already past
    const [e5] = t.append(1);
    t.stream.onLive(e5!);
    expect(t.delivered).toEqual([5]);
  });

  it("reads the log in pages", async () => {
    const t = setup(250, { pageSize: 100 });
    await t.stream.start(0, true);
    expect(t.delivered).toEqual(range(1, 250));
  });

  it("waits for the send buffer to drain during a replay", async () => {
    const t = setup(5);
    t.setCongested(true);
    const done = t.stream.start(0, true);
    await tick();
    expect(t.delivered).toEqual([]);
    t.setCongested(false);
    await done;
    expect(t.delivered).toEqual(range(1, 5));
  });

  it("skips seqs the log does not have, reporting the hole", async () => {
    const t = setup(2);
    await t.stream.start(2, false);
    t.stream.onLive(ev(5)); // 3 and 4 were never written
    t.fireTimers();
    await tick();
    await tick();
    expect(t.holes).toEqual([[3, 4]]);
    expect(t.delivered).toEqual([5]);
  });

  it("close releases what it holds and delivers nothing more", async () => {
    const t = setup(1, { autoRead: false });
    void t.stream.start(0, true);
    t.stream.onLive(ev(2));
    t.stream.onLive(ev(3));
    expect(t.held()).toBe(2);
    t.stream.close();
    expect(t.held()).toBe(0);
    t.reads[0]!.release();
    await tick();
    expect(t.delivered).toEqual([]);
  });
});
