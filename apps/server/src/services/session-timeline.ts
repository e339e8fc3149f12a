import type { TimelineQuery } from "@industrial/contracts";
import { computeTimeline } from "@industrial/core";
import { readCheckpointUsage, readFinishedSessions } from "@industrial/db";
import type { z } from "zod";
import type { ServiceDeps } from "./deps";

/** The overview's timeline (docs/session-timeline.md): the db reads the rows, core buckets them. */
export async function sessionTimeline(deps: ServiceDeps, query: z.output<typeof TimelineQuery>) {
  const range = { from: new Date(query.from), to: new Date(query.to), bucket: query.bucket };
  const finished = await readFinishedSessions(deps.db, deps.tenantId, range);
  const checkpoints = await readCheckpointUsage(deps.db, deps.tenantId, range);
  return {
    buckets: computeTimeline(range, finished, checkpoints).map((b) => ({ ...b, start: b.start.toISOString() })),
  };
}
