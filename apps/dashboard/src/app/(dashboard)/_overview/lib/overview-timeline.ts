import type { TimelineBucketView } from "@industrial/contracts";

/*
 * What the overview asks GET /sessions/stats/timeline for, and what it reads
 * from the answer (docs/session-timeline.md). One request of 24 hourly
 * buckets serves both the throughput chart and the "today" figures.
 */

const HOUR = 3_600_000;

/** The last 24 whole hours up to the end of the current one, and where today (UTC) starts. */
export interface OverviewWindow {
  from: string;
  to: string;
  startOfToday: string;
}

/**
 * Hour-aligned, so the query key changes once an hour and not every second;
 * the current hour is included (its bucket grows as the hour goes on). The
 * 24 hours always reach back to midnight UTC, so today's buckets are all in it.
 */
export function computeOverviewWindow(now: number): OverviewWindow {
  const end = Math.floor(now / HOUR) * HOUR + HOUR;
  const d = new Date(now);
  return {
    from: new Date(end - 24 * HOUR).toISOString(),
    to: new Date(end).toISOString(),
    startOfToday: new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())).toISOString(),
  };
}

export const finishedIn = (b: TimelineBucketView): number => Object.values(b.finished).reduce((a, n) => a + n, 0);
/** Runs that did not succeed: failed, timed out, stopped, cancelled, orphaned. */
export const unsuccessfulIn = (b: TimelineBucketView): number =>
  b.finished.failed + b.finished.timeout + b.finished.stopped + b.finished.cancelled + b.finished.orphaned;
/** Tokens as the overview counts them elsewhere: input, output and reasoning (cache reads and writes apart). */
export const tokensIn = (b: TimelineBucketView): number => b.tokens.input + b.tokens.output + b.tokens.reasoning;

export interface TodayFigures {
  finished: number;
  tokens: number;
  costUsd: number;
}

/** Sessions finished, tokens and cost spent since midnight UTC: the buckets that start today. */
export function computeToday(buckets: readonly TimelineBucketView[], startOfToday: string): TodayFigures {
  const since = Date.parse(startOfToday);
  const today = buckets.filter((b) => Date.parse(b.start) >= since);
  return {
    finished: today.reduce((a, b) => a + finishedIn(b), 0),
    tokens: today.reduce((a, b) => a + tokensIn(b), 0),
    costUsd: today.reduce((a, b) => a + b.costUsd, 0),
  };
}

/** Columns for the chart: bucket starts (seconds), finished, unsuccessful. */
export function computeThroughputSeries(buckets: readonly TimelineBucketView[]): [number[], number[], number[]] {
  return [buckets.map((b) => Date.parse(b.start) / 1000), buckets.map(finishedIn), buckets.map(unsuccessfulIn)];
}
