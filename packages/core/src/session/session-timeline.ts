import type { TokenTotals } from "./checkpoint-chain";
import { emptyTokenTotals } from "./session";
import type { SessionStatus } from "./session-status";

/*
 * The overview's timeline (docs/session-timeline.md): sessions finished and
 * tokens and cost spent per bucket of a time range. The database reads rows;
 * which bucket a row falls in and what a checkpoint spent are decided here.
 */

/** Bucket sizes in milliseconds: fixed lengths of UTC time (a day is 24 h; UTC has no DST). */
export const TIMELINE_BUCKET_MS = { "5m": 300_000, "1h": 3_600_000, "1d": 86_400_000 } as const;
export type TimelineBucket = keyof typeof TIMELINE_BUCKET_MS;
export const TIMELINE_BUCKETS = Object.keys(TIMELINE_BUCKET_MS) as TimelineBucket[];

/** The most buckets one request may ask for (a larger range is refused with a 400, not cut). */
export const MAX_TIMELINE_BUCKETS = 2000;

/** `[from, to)` cut into buckets of one size, the first starting at `from`; the last may be shorter. */
export interface TimelineRange {
  from: Date;
  to: Date;
  bucket: TimelineBucket;
}

/** How a finished session is counted: its status at the end of its run → the wire's key. */
export const TIMELINE_FINISHED_KEYS = {
  completed: "completed",
  partially_completed: "partiallyCompleted",
  failed: "failed",
  timeout: "timeout",
  stopped: "stopped",
  cancelled: "cancelled",
  orphaned: "orphaned",
} as const satisfies Partial<Record<SessionStatus, string>>;
export type TimelineFinishedStatus = keyof typeof TIMELINE_FINISHED_KEYS;
export type TimelineFinished = Record<(typeof TIMELINE_FINISHED_KEYS)[TimelineFinishedStatus], number>;

/** Totals so far (what a checkpoint records), or what was spent between two of them. */
export interface TimelineUsage {
  tokens: TokenTotals;
  costUsd: number;
}

export interface TimelineBucketFigures extends TimelineUsage {
  start: Date;
  finished: TimelineFinished;
}

/** A checkpoint in the range, with the totals of the one before it in its session (null: the session's first). */
export interface CheckpointUsageRow {
  createdAt: Date;
  usage: TimelineUsage;
  previous: TimelineUsage | null;
}

export interface FinishedSessionRow {
  status: TimelineFinishedStatus;
  finishedAt: Date;
}

/** How many buckets a range holds (0 when `to` is not after `from`). */
export function computeTimelineBucketCount(from: Date, to: Date, bucket: TimelineBucket): number {
  const span = to.getTime() - from.getTime();
  return span > 0 ? Math.ceil(span / TIMELINE_BUCKET_MS[bucket]) : 0;
}

/** The bucket a time falls in, or -1 outside `[from, to)`. */
export function computeTimelineBucketIndex(range: TimelineRange, at: Date): number {
  const t = at.getTime();
  if (t < range.from.getTime() || t >= range.to.getTime()) return -1;
  return Math.floor((t - range.from.getTime()) / TIMELINE_BUCKET_MS[range.bucket]);
}

/**
 * What was spent between two checkpoints of a session: the growth of each
 * total since the previous one (from zero for the first). Totals never fall
 * in practice; if one did (a stored value corrected), nothing is counted as
 * spent and the next growth is measured from the lower value.
 */
export function computeUsageDelta(previous: TimelineUsage | null, current: TimelineUsage): TimelineUsage {
  const base = previous ?? { tokens: emptyTokenTotals(), costUsd: 0 };
  const grow = (a: number, b: number) => Math.max(0, a - b);
  const t = current.tokens;
  const p = base.tokens;
  return {
    tokens: {
      input: grow(t.input, p.input),
      output: grow(t.output, p.output),
      reasoning: grow(t.reasoning, p.reasoning),
      cacheRead: grow(t.cacheRead, p.cacheRead),
      cacheWrite: grow(t.cacheWrite, p.cacheWrite),
    },
    costUsd: grow(current.costUsd, base.costUsd),
  };
}

function emptyFinished(): TimelineFinished {
  return { completed: 0, partiallyCompleted: 0, failed: 0, timeout: 0, stopped: 0, cancelled: 0, orphaned: 0 };
}

/**
 * Every bucket of the range, zeros included: sessions finished in it by
 * status, and the tokens and cost its checkpoints spent (each checkpoint's
 * delta lands in the bucket of its `createdAt`). Rows outside the range are
 * ignored. Usage after a session's last checkpoint is in no bucket yet.
 */
export function computeTimeline(
  range: TimelineRange,
  finished: readonly FinishedSessionRow[],
  checkpoints: readonly CheckpointUsageRow[],
): TimelineBucketFigures[] {
  const size = TIMELINE_BUCKET_MS[range.bucket];
  const count = computeTimelineBucketCount(range.from, range.to, range.bucket);
  const buckets: TimelineBucketFigures[] = Array.from({ length: count }, (_, i) => ({
    start: new Date(range.from.getTime() + i * size),
    finished: emptyFinished(),
    tokens: emptyTokenTotals(),
    costUsd: 0,
  }));
  for (const f of finished) {
    const b = buckets[computeTimelineBucketIndex(range, f.finishedAt)];
    if (b) b.finished[TIMELINE_FINISHED_KEYS[f.status]] += 1;
  }
  for (const c of checkpoints) {
    const b = buckets[computeTimelineBucketIndex(range, c.createdAt)];
    if (!b) continue;
    const d = computeUsageDelta(c.previous, c.usage);
    b.tokens.input += d.tokens.input;
    b.tokens.output += d.tokens.output;
    b.tokens.reasoning += d.tokens.reasoning;
    b.tokens.cacheRead += d.tokens.cacheRead;
    b.tokens.cacheWrite += d.tokens.cacheWrite;
    b.costUsd += d.costUsd;
  }
  return buckets;
}

/** Sessions finished in a bucket, whatever the status. */
export function computeFinishedTotal(finished: TimelineFinished): number {
  return Object.values(finished).reduce((a, b) => a + b, 0);
}
