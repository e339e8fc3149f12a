import type { Queryable } from "./database";
import type { SessionRef } from "./session-writes";

/**
 * Appends `count` generated `session.log` events (info, source "assistant",
 * text `${prefix} ${seq}`) to a session's log in one statement, the seqs
 * following its last one: a long log for benches and browser tests, written
 * in a second instead of the minutes the event path would take. Nothing is
 * published; returns the new last seq.
 */
export async function appendGeneratedLogEvents(
  q: Queryable,
  session: SessionRef,
  count: number,
  prefix: string,
): Promise<number> {
  const rows = await q.query<{ last: number }>(
    "UPDATE sessions SET last_event_seq = last_event_seq + $2 WHERE id = $1 AND tenant_id = $3 RETURNING last_event_seq AS last",
    [session.id, count, session.tenantId],
  );
  const last = rows[0]?.last;
  if (last === undefined) throw new Error(`no session ${session.id}`);
  await q.query(
    `INSERT INTO session_events (session_id, seq, type, attempt, payload, created_at)
     SELECT $1, s, 'session.log', NULL,
            jsonb_build_object('level', 'info', 'source', 'assistant', 'text', $4::text || ' ' || s), clock_timestamp()
     FROM generate_series($2::int, $3::int) AS s`,
    [session.id, last - count + 1, last, prefix],
  );
  return last;
}
