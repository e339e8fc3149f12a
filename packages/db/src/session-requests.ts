import type { Queryable } from "./database";
import { REPLY_TO_DELIVER } from "./input-requests";
import type { SessionRef } from "./session-writes";
import type { CrossTenantDatabase } from "./tenant-wall";

/*
 * What people ask of a running session and its lease holder carries out:
 * follow-up messages (queued here, taken by the holder) and pause/stop
 * (`requested_action`, written through updateSession).
 */

/** Queues a follow-up instruction on a locked session; its lease holder delivers it. */
export async function queueSessionMessage(tx: Queryable, session: SessionRef, text: string): Promise<void> {
  await tx.query(
    "UPDATE sessions SET pending_messages = array_append(pending_messages, $3) WHERE id = $1 AND tenant_id = $2",
    [session.id, session.tenantId, text],
  );
}

/** Takes (returns and clears) a session's queued messages in one statement, so each is delivered once. */
export async function takeSessionMessages(q: Queryable, session: SessionRef): Promise<string[]> {
  const rows = await q.query<{ messages: string[] }>(
    `WITH old AS (SELECT id, pending_messages FROM sessions WHERE id = $1 AND tenant_id = $2 FOR NO KEY UPDATE)
     UPDATE sessions s SET pending_messages = '{}' FROM old WHERE s.id = old.id RETURNING old.pending_messages AS messages`,
    [session.id, session.tenantId],
  );
  return rows[0]?.messages ?? [];
}

export interface SessionRequest {
  id: string;
  tenantId: string;
  requestedAction: string | null;
  hasMessages: boolean;
  /** Replies to input requests (people's answers, expiries' rejects) the holder has not forwarded to OpenCode yet. */
  hasReplies: boolean;
}

/**
 * Of the sessions this replica runs (any tenant's: the scheduler's), those
 * with a pause or stop asked for, messages waiting, or answers to forward.
 */
export async function batchReadSessionRequests(
  db: CrossTenantDatabase,
  ids: readonly string[],
): Promise<SessionRequest[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{
    id: string;
    tenant_id: string;
    requested_action: string | null;
    has_messages: boolean;
    has_replies: boolean;
  }>(
    `SELECT id, tenant_id, requested_action, has_messages, has_replies FROM (
       SELECT s.id, s.tenant_id, s.requested_action, cardinality(s.pending_messages) > 0 AS has_messages,
              EXISTS (SELECT 1 FROM input_requests i WHERE i.session_id = s.id AND ${REPLY_TO_DELIVER}) AS has_replies
       FROM sessions s WHERE s.id = ANY($1::uuid[])
     ) r WHERE requested_action IN ('pause', 'stop') OR has_messages OR has_replies`,
    [[...ids]],
  );
  return rows.map((r) => ({
    id: r.id,
    tenantId: r.tenant_id,
    requestedAction: r.requested_action,
    hasMessages: r.has_messages,
    hasReplies: r.has_replies,
  }));
}
