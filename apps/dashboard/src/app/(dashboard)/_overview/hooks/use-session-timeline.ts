"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { getApi } from "@/lib/api";
import { POLL_MS, pollEvery } from "@/lib/queries";
import type { OverviewWindow } from "../lib/overview-timeline";

/**
 * Under "sessions": every status frame of the sessions room (a session
 * created, its status changed, its run ended) marks it stale through the
 * app feed's batcher, which waits for a burst to end (components/shell/live-updates.tsx).
 */
export const sessionTimelineKey = (q: object) => ["sessions", "timeline", q] as const;

/**
 * The overview's hourly timeline (docs/session-timeline.md). Spend recorded
 * by checkpoints between two status changes shows at the next status frame,
 * or within the slow safety-net poll.
 */
export function useSessionTimeline(range: OverviewWindow) {
  const query = { from: range.from, to: range.to, bucket: "1h" as const };
  return useQuery({
    queryKey: sessionTimelineKey(query),
    queryFn: () => getApi().call("sessionTimeline", { query }),
    refetchInterval: pollEvery(POLL_MS.slow),
    // The window moves on the hour: keep drawing the last answer until the next one is in.
    placeholderData: keepPreviousData,
  });
}
