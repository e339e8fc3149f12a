import type { TimelineBucketView } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import { computeOverviewWindow, computeThroughputSeries, computeToday } from "./overview-timeline";

const zero = { completed: 0, partiallyCompleted: 0, failed: 0, timeout: 0, stopped: 0, cancelled: 0, orphaned: 0 };
const bucket = (start: string, finished: Partial<typeof zero>, input = 0, costUsd = 0): TimelineBucketView => ({
  start,
  finished: { ...zero, ...finished },
  tokens: { input, output: 1, reasoning: 2, cacheRead: 100, cacheWrite: 100 },
  costUsd,
});

describe("computeOverviewWindow", () => {
  it("is the 24 hours ending with the current one, and today starts at midnight UTC", () => {
    const w = computeOverviewWindow(Date.parse("2026-12-06T11:37:12.345Z"));
    expect(w).toEqual({
      from: "2026-12-05T12:00:00.000Z",
      to: "2026-12-06T12:00:00.000Z",
      startOfToday: "2026-12-06T00:00:00.000Z",
    });
  });

  it("stays the same within an hour (a stable query key) and reaches back past midnight even in the last hour of the day", () => {
    expect(computeOverviewWindow(Date.parse("2026-12-06T11:00:00Z"))).toEqual(
      computeOverviewWindow(Date.parse("2026-12-06T11:59:59.999Z")),
    );
    const late = computeOverviewWindow(Date.parse("2026-12-06T23:30:00Z"));
    expect(late.from).toBe("2026-12-06T00:00:00.000Z");
    expect(late.startOfToday).toBe("2026-12-06T00:00:00.000Z");
  });
});

describe("computeToday", () => {
  it("sums the buckets that start today: finished of every status, tokens without cache, cost", () => {
    const buckets = [
      bucket("2026-12-05T23:00:00.000Z", { completed: 5 }, 1000, 1),
      bucket("2026-12-06T00:00:00.000Z", { completed: 1, partiallyCompleted: 1, failed: 1 }, 10, 0.25),
      bucket("2026-12-06T01:00:00.000Z", { timeout: 1, stopped: 1, cancelled: 1, orphaned: 1 }, 20, 0.5),
    ];
    expect(computeToday(buckets, "2026-12-06T00:00:00.000Z")).toEqual({
      finished: 7,
      tokens: 10 + 3 + 20 + 3,
      costUsd: 0.75,
    });
  });
});

describe("computeThroughputSeries", () => {
  it("gives the chart's columns: start in seconds, all finished, the unsuccessful ones", () => {
    const s = computeThroughputSeries([bucket("2026-12-06T00:00:00.000Z", { completed: 2, failed: 1, cancelled: 1 })]);
    expect(s).toEqual([[Date.parse("2026-12-06T00:00:00Z") / 1000], [4], [2]]);
  });
});
