import type { SessionEvent } from "@industrial/core";
import type { Queryable } from "./database";
import { eventFromRow } from "./rows";

/** The event log of one session after `after`, in seq order: what the Glass Box replays. */
export async function listEvents(q: Queryable, sessionId: string, after: number, limit: number): Promise<SessionEvent[]> {
  const rows = await q.query("SELECT * FROM session_events WHERE session_id = $1 AND seq > $2 ORDER BY seq LIMIT $3", [
    sessionId,
    after,
    limit,
  ]);
  return rows.map(eventFromRow);
}
