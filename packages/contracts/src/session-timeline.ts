import { computeTimelineBucketCount, MAX_TIMELINE_BUCKETS, TIMELINE_BUCKETS } from "@industrial/core";
import { z } from "zod";
import { IsoDate, TokenTotalsSchema } from "./common";

/*
 * GET /api/v1/sessions/stats/timeline (docs/session-timeline.md): what the
 * tenant's sessions finished and spent per bucket of a range.
 */

export const TimelineQuery = z
  .strictObject({
    from: IsoDate,
    to: IsoDate,
    bucket: z.enum(TIMELINE_BUCKETS),
  })
  .superRefine((q, ctx) => {
    const from = new Date(q.from);
    const to = new Date(q.to);
    if (to.getTime() <= from.getTime()) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
      return;
    }
    const count = computeTimelineBucketCount(from, to, q.bucket);
    if (count > MAX_TIMELINE_BUCKETS)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: `the range holds ${count} buckets of ${q.bucket}; at most ${MAX_TIMELINE_BUCKETS} (a shorter range or a larger bucket)`,
      });
  });

export const TimelineBucketSchema = z.object({
  /** The bucket is [start, start + size), cut at the range's `to`. */
  start: IsoDate,
  /** Sessions whose run ended in the bucket, by the status they ended in. */
  finished: z.object({
    completed: z.number().int(),
    partiallyCompleted: z.number().int(),
    failed: z.number().int(),
    timeout: z.number().int(),
    stopped: z.number().int(),
    cancelled: z.number().int(),
    orphaned: z.number().int(),
  }),
  /** Spent in the bucket: the growth of the sessions' totals between consecutive checkpoints written in it. */
  tokens: TokenTotalsSchema,
  costUsd: z.number(),
});

export const SessionTimelineSchema = z.object({ buckets: z.array(TimelineBucketSchema) });
export type SessionTimeline = z.infer<typeof SessionTimelineSchema>;
export type TimelineBucketView = z.infer<typeof TimelineBucketSchema>;
