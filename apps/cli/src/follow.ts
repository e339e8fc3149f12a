import { ApiError, type ApiClient } from "@industrial/contracts";
import type { SessionEvent } from "@industrial/core";

/** Events asked for per request; a full page means more are waiting, so the next request goes out at once. */
export const EVENTS_PAGE = 500;
/** Polling period while following, as the brief asks (~300 ms): a live feel without hammering the API. */
export const FOLLOW_INTERVAL_MS = 300;
/** Consecutive failed polls tolerated while following (a server restart); then the error is the command's. */
const MAX_TRANSIENT_FAILURES = 10;

export interface FollowOptions {
  /** Last seq already seen; 0 replays the whole log. */
  after?: number;
  /** Keep polling until the session is finished (`logs -f`, `submit --wait`); otherwise stop at the end of the log. */
  follow: boolean;
  intervalMs?: number;
  onEvents(events: SessionEvent[]): void | Promise<void>;
  /** Called after every poll (the spinner refreshes the status from it). */
  onPoll?(): void | Promise<void>;
  sleep?(ms: number): Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** 5xx and network failures may pass; 4xx will not get better by asking again. */
export function isTransient(e: unknown): boolean {
  return e instanceof ApiError ? e.status >= 500 : e instanceof TypeError;
}

/**
 * Reads a session's event log from `after`, in order, without gaps: pages
 * through `GET /sessions/{id}/events?after=<lastSeq>` and, when following,
 * polls until the page says the session is finished and every event up to
 * its `lastSeq` has been handed over. Returns the last seq seen.
 */
export async function followEvents(client: ApiClient, id: string, opts: FollowOptions): Promise<number> {
  const sleep = opts.sleep ?? defaultSleep;
  let after = opts.after ?? 0;
  let failures = 0;
  for (;;) {
    let page;
    try {
      page = await client.call("sessionEvents", { params: { id }, query: { after, limit: EVENTS_PAGE } });
      failures = 0;
    } catch (e) {
      if (!opts.follow || !isTransient(e) || ++failures > MAX_TRANSIENT_FAILURES) throw e;
      await sleep(Math.min(5000, (opts.intervalMs ?? FOLLOW_INTERVAL_MS) * 2 ** failures));
      continue;
    }
    const last = page.items.at(-1);
    if (last) {
      after = last.seq;
      await opts.onEvents(page.items);
    }
    await opts.onPoll?.();
    if (page.items.length === EVENTS_PAGE) continue;
    // `finished` and `lastSeq` are read before the events, so once both hold nothing more will come.
    if (!opts.follow || (page.finished && after >= page.lastSeq)) return after;
    await sleep(opts.intervalMs ?? FOLLOW_INTERVAL_MS);
  }
}
