import { describe, expect, it } from "vitest";
import { emptyTokenTotals } from "./session";
import {
  computeFinishedTotal,
  computeTimeline,
  computeTimelineBucketCount,
  computeTimelineBucketIndex,
  computeUsageDelta,
  type TimelineRange,
  type TimelineUsage,
} from "./session-timeline";

const at = (iso: string) => new Date(iso);
const usage = (input: number, output: number, costUsd: number): TimelineUsage => ({
  tokens: { ...emptyTokenTotals(), input, output },
  costUsd,
});
const hours: TimelineRange = { from: at("2026-03-29T00:00:00Z"), to: at("2026-03-29T03:00:00Z"), bucket: "1h" };

describe("computeTimelineBucketCount", () => {
  it("counts whole and partial buckets, none for an empty or reversed range", () => {
    expect(computeTimelineBucketCount(hours.from, hours.to, "1h")).toBe(3);
    expect(computeTimelineBucketCount(hours.from, at("2026-03-29T02:00:00.001Z"), "1h")).toBe(3);
    expect(computeTimelineBucketCount(hours.from, hours.to, "5m")).toBe(36);
    expect(computeTimelineBucketCount(hours.from, hours.from, "1h")).toBe(0);
    expect(computeTimelineBucketCount(hours.to, hours.from, "1d")).toBe(0);
  });

  it("a day bucket is 24 h of UTC, also across a DST change elsewhere (Europe's spring-forward is 2026-03-29)", () => {
    expect(computeTimelineBucketCount(at("2026-03-28T00:00:00Z"), at("2026-03-31T00:00:00Z"), "1d")).toBe(3);
    expect(computeTimelineBucketCount(at("2026-10-24T00:00:00Z"), at("2026-10-26T00:00:00Z"), "1d")).toBe(2);
  });
});

describe("computeTimelineBucketIndex", () => {
  it("takes [start, next start): a time on a boundary belongs to the later bucket; outside [from, to) is -1", () => {
    expect(computeTimelineBucketIndex(hours, hours.from)).toBe(0);
    expect(computeTimelineBucketIndex(hours, at("2026-03-29T00:59:59.999Z"))).toBe(0);
    expect(computeTimelineBucketIndex(hours, at("2026-03-29T01:00:00Z"))).toBe(1);
    expect(computeTimelineBucketIndex(hours, at("2026-03-29T02:59:59.999Z"))).toBe(2);
    expect(computeTimelineBucketIndex(hours, hours.to)).toBe(-1);
    expect(computeTimelineBucketIndex(hours, at("2026-03-28T23:59:59.999Z"))).toBe(-1);
  });
});

describe("computeUsageDelta", () => {
  it("the first checkpoint spent its totals; later ones the growth since the previous", () => {
    expect(computeUsageDelta(null, usage(100, 20, 0.5))).toEqual(usage(100, 20, 0.5));
    expect(computeUsageDelta(usage(100, 20, 0.5), usage(150, 20, 0.75))).toEqual(usage(50, 0, 0.25));
  });

  it("a total that fell counts nothing (never a negative spend)", () => {
    expect(computeUsageDelta(usage(100, 20, 0.5), usage(90, 30, 0.4))).toEqual(usage(0, 10, 0));
  });

  it("every token kind is measured on its own", () => {
    const prev = { tokens: { input: 1, output: 2, reasoning: 3, cacheRead: 4, cacheWrite: 5 }, costUsd: 0 };
    const cur = { tokens: { input: 2, output: 4, reasoning: 6, cacheRead: 8, cacheWrite: 10 }, costUsd: 0 };
    expect(computeUsageDelta(prev, cur).tokens).toEqual(prev.tokens);
  });
});

describe("computeTimeline", () => {
  it("has every bucket, zeros included, each starting one size after the last", () => {
    const t = computeTimeline(hours, [], []);
    expect(t.map((b) => b.start.toISOString())).toEqual([
      "2026-03-29T00:00:00.000Z",
      "2026-03-29T01:00:00.000Z",
      "2026-03-29T02:00:00.000Z",
    ]);
    expect(t.every((b) => computeFinishedTotal(b.finished) === 0 && b.costUsd === 0 && b.tokens.input === 0)).toBe(
      true,
    );
  });

  it("counts finished sessions by status in the bucket of their end, and ignores those outside the range", () => {
    const t = computeTimeline(
      hours,
      [
        { status: "completed", finishedAt: at("2026-03-29T00:10:00Z") },
        { status: "completed", finishedAt: at("2026-03-29T00:50:00Z") },
        { status: "partially_completed", finishedAt: at("2026-03-29T00:20:00Z") },
        { status: "failed", finishedAt: at("2026-03-29T01:00:00Z") },
        { status: "timeout", finishedAt: at("2026-03-29T02:30:00Z") },
        { status: "stopped", finishedAt: at("2026-03-29T02:31:00Z") },
        { status: "cancelled", finishedAt: at("2026-03-29T02:32:00Z") },
        { status: "orphaned", finishedAt: at("2026-03-29T02:33:00Z") },
        { status: "failed", finishedAt: at("2026-03-29T03:00:00Z") },
      ],
      [],
    );
    expect(t[0]!.finished).toMatchObject({ completed: 2, partiallyCompleted: 1, failed: 0 });
    expect(t[1]!.finished).toMatchObject({ completed: 0, failed: 1 });
    expect(t[2]!.finished).toEqual({
      completed: 0,
      partiallyCompleted: 0,
      failed: 0,
      timeout: 1,
      stopped: 1,
      cancelled: 1,
      orphaned: 1,
    });
    expect(t.map((b) => computeFinishedTotal(b.finished))).toEqual([3, 1, 4]);
  });

  it("puts each checkpoint's delta in the bucket it was written in, so a long session's spend spreads over the buckets", () => {
    const t = computeTimeline(
      hours,
      [],
      [
        // Session A: three checkpoints over two hours; its first was before the range (the row's previous is it).
        { createdAt: at("2026-03-29T00:05:00Z"), usage: usage(300, 30, 0.3), previous: usage(100, 10, 0.1) },
        { createdAt: at("2026-03-29T01:05:00Z"), usage: usage(700, 70, 0.7), previous: usage(300, 30, 0.3) },
        // Session B: its first checkpoint counts from zero.
        { createdAt: at("2026-03-29T01:30:00Z"), usage: usage(50, 5, 0.05), previous: null },
        // After the range: not counted.
        { createdAt: at("2026-03-29T03:00:00Z"), usage: usage(900, 90, 0.9), previous: usage(700, 70, 0.7) },
      ],
    );
    expect(t.map((b) => b.tokens.input)).toEqual([200, 450, 0]);
    expect(t.map((b) => b.tokens.output)).toEqual([20, 45, 0]);
    expect(t[0]!.costUsd).toBeCloseTo(0.2, 12);
    expect(t[1]!.costUsd).toBeCloseTo(0.45, 12);
    expect(t[2]!.costUsd).toBe(0);
  });

  it("the last bucket may be shorter than its size and still counts what falls in it", () => {
    const range: TimelineRange = { from: at("2026-03-29T00:00:00Z"), to: at("2026-03-29T00:07:00Z"), bucket: "5m" };
    const t = computeTimeline(range, [{ status: "completed", finishedAt: at("2026-03-29T00:06:59Z") }], []);
    expect(t).toHaveLength(2);
    expect(t[1]!.finished.completed).toBe(1);
  });
});
