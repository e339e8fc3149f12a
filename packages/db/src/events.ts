import type { SessionEvent } from "@industrial/core";
import type { Queryable } from "./database";
import { eventFromRow } from "./rows";
import { sessionOfTenant } from "./tenant-scope";
import type { CrossTenantDatabase } from "./tenant-wall";

/** Which part of a session's log a page reads (the events API's `before` and `order`). */
export interface EventRange {
  /** Only events before this seq (exclusive); none by default. */
  before?: number;
  /** "desc": the newest `limit` events of the range, newest first (the tail, then older pages); "asc" (default): the oldest, in order. */
  order?: "asc" | "desc";
}

/** The event log of one session after `after` (and before `range.before`), in seq order or from its end: what the Glass Box replays. */
export async function listEvents(
  q: Queryable,
  tenantId: string,
  sessionId: string,
  after: number,
  limit: number,
  range: EventRange = {},
): Promise<SessionEvent[]> {
  const order = range.order === "desc" ? "DESC" : "ASC";
  const rows = await q.query(
    `SELECT * FROM session_events WHERE session_id = $1 AND seq > $2 AND seq < $5 AND ${sessionOfTenant("$1", 4)} ORDER BY seq ${order} LIMIT $3`,
    [sessionId, after, limit, tenantId, range.before ?? 2_147_483_647],
  );
  return rows.map(eventFromRow);
}

/** The last status each tool call of an attempt reported (callId → status): what a resumed or adopted run already logged. */
export async function latestToolStatuses(
  q: Queryable,
  tenantId: string,
  sessionId: string,
  attempt: number,
): Promise<Record<string, string>> {
  const rows = await q.query<{ call_id: string; status: string }>(
    `SELECT DISTINCT ON (payload->>'callId') payload->>'callId' AS call_id, payload->>'status' AS status FROM session_events
     WHERE session_id = $1 AND attempt = $2 AND type = 'session.tool' AND ${sessionOfTenant("$1", 3)} ORDER BY payload->>'callId', seq DESC`,
    [sessionId, attempt, tenantId],
  );
  return Object.fromEntries(rows.map((t) => [t.call_id, t.status]));
}

/** The models an attempt switched away from (its `session.model_switched` events' `from`), in order: its agent's cost record stamps them. */
export async function listModelsLeftByAttempt(
  q: Queryable,
  tenantId: string,
  sessionId: string,
  attempt: number,
): Promise<string[]> {
  const rows = await q.query<{ model: string }>(
    `SELECT payload->>'from' AS model FROM session_events
     WHERE session_id = $1 AND attempt = $2 AND type = 'session.model_switched' AND ${sessionOfTenant("$1", 3)} ORDER BY seq`,
    [sessionId, attempt, tenantId],
  );
  return rows.map((r) => r.model);
}

/** Which tenant's rooms a session's events go to (the WebSocket hub routes every tenant's events). */
export async function findSessionTenant(db: CrossTenantDatabase, sessionId: string): Promise<string | null> {
  const rows = await db.query<{ tenant_id: string }>("SELECT tenant_id FROM sessions WHERE id = $1", [sessionId]);
  return rows[0]?.tenant_id ?? null;
}

/** The last event seq of each session (any tenant's): how far behind the hub's session rooms are. */
export async function batchReadLastEventSeqs(
  db: CrossTenantDatabase,
  sessionIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db.query<{ id: string; last_event_seq: number }>(
    "SELECT id, last_event_seq FROM sessions WHERE id = ANY($1::uuid[])",
    [[...sessionIds]],
  );
  return new Map(rows.map((r) => [r.id, Number(r.last_event_seq)]));
}
