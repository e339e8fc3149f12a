import { randomUUID } from "node:crypto";
import {
  checkInputReply,
  computeInboxItem,
  computeInputReply,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  type InboxItem,
  type InputActor,
  type InputAsk,
  type InputReplyBody,
  type InputRequest,
  type InputRequestKind,
  type InputRequestStatus,
  type Session,
  type SessionEvent,
} from "@industrial/core";
import type { Queryable } from "./database";
import { batchCloseOpenInputRequests, inputRepliedEvent, inputRequestFromRow } from "./input-request-rows";
import { readPage } from "./keyset-cursor";
import type { Page } from "./session-list";
import { appendEvents, lockSession, type SessionRef } from "./session-writes";

/*
 * Input requests (docs/input-requests.md §3): what OpenCode asks a person
 * during an attempt, and the answers. The lease holder writes a request and
 * forwards its answer; the API answers it; every write that changes a
 * request's status appends its event under the session's row lock, so the
 * log and the table never disagree.
 */

export type { InputRequest };

/** What the lease holder records of one OpenCode request. */
export type NewInputRequest = InputAsk & {
  attempt: number;
  agentId: string;
  openCodeRequestId: string;
  openCodeSessionId: string;
  /** Null: waits as long as the session runs (core computeInputExpiry). */
  expiresAt: Date | null;
};

/**
 * The session row (already locked by this transaction: locking it again is
 * free) with its current event seq; a caller's own `Session` object is kept
 * in step after we append, so its next append gets the next seq.
 */
async function lockedSession(tx: Queryable, session: SessionRef): Promise<Session> {
  return lockSession(tx, session.id, { tenantId: session.tenantId });
}
function keepSeq(session: SessionRef, locked: Session): void {
  if ("lastEventSeq" in session && typeof session.lastEventSeq === "number")
    (session as Session).lastEventSeq = locked.lastEventSeq;
}

const SELECT_ONE =
  "SELECT * FROM input_requests WHERE session_id = $1 AND tenant_id = $2 AND open_code_request_id = $3";

/**
 * Records an OpenCode request of a session whose row lock the caller holds
 * (the lease holder's fenced transaction). An OpenCode request already
 * recorded (a re-read after a re-attach) is not recorded again: its row comes
 * back with `inserted: false` and no event. A new one appends
 * `session.input_requested` (the inbox item) in the same transaction.
 */
export async function insertInputRequest(
  tx: Queryable,
  session: SessionRef,
  fields: NewInputRequest,
): Promise<{ request: InputRequest; inserted: boolean; events: SessionEvent[] }> {
  const s = await lockedSession(tx, session);
  const rows = await tx.query(
    `INSERT INTO input_requests (id, tenant_id, session_id, attempt, agent_id, kind, open_code_request_id, open_code_session_id, payload, expires_at)
     VALUES ($10, $2, $1, $4, $5, $6, $3, $7, $8::jsonb, $9)
     ON CONFLICT (session_id, open_code_request_id) DO NOTHING RETURNING *`,
    [
      s.id,
      s.tenantId,
      fields.openCodeRequestId,
      fields.attempt,
      fields.agentId,
      fields.kind,
      fields.openCodeSessionId,
      JSON.stringify(fields.payload),
      fields.expiresAt,
      randomUUID(),
    ],
  );
  if (rows[0] === undefined) {
    const existing = (await tx.query(SELECT_ONE, [s.id, s.tenantId, fields.openCodeRequestId]))[0];
    if (!existing)
      throw new Error(`input request ${fields.openCodeRequestId} of session ${s.id} neither inserted nor found`);
    return { request: inputRequestFromRow(existing), inserted: false, events: [] };
  }
  const request = inputRequestFromRow(rows[0]);
  const events = await appendEvents(
    tx,
    s,
    [{ type: "session.input_requested", payload: computeInboxItem(request, s.title) }],
    request.attempt,
  );
  keepSeq(session, s);
  return { request, inserted: true, events };
}

/** A session's requests, oldest first; `status` and `attempt` narrow them. */
export async function readInputRequests(
  q: Queryable,
  session: SessionRef,
  filter: { status?: readonly InputRequestStatus[]; attempt?: number } = {},
): Promise<InputRequest[]> {
  const params: unknown[] = [session.id, session.tenantId];
  const where = ["session_id = $1", "tenant_id = $2"];
  if (filter.status) {
    params.push([...filter.status]);
    where.push(`status = ANY($${params.length}::text[])`);
  }
  if (filter.attempt !== undefined) {
    params.push(filter.attempt);
    where.push(`attempt = $${params.length}`);
  }
  const rows = await q.query(
    `SELECT * FROM input_requests WHERE ${where.join(" AND ")} ORDER BY created_at, id`,
    params,
  );
  return rows.map(inputRequestFromRow);
}

/**
 * A row whose reply OpenCode has not received yet: a person's answer
 * (answered, rejected) or an expiry's reject. The holder's reads and the
 * scheduler's tick (session-requests.ts) test the same condition.
 */
export const REPLY_TO_DELIVER = "status IN ('answered', 'rejected', 'expired') AND delivered_at IS NULL";

/** Replies OpenCode has not received yet, oldest first: people's answers (answered, rejected) and the rejects of expired requests. */
export async function readRepliesToDeliver(q: Queryable, session: SessionRef): Promise<InputRequest[]> {
  const rows = await q.query(
    `SELECT * FROM input_requests WHERE session_id = $1 AND tenant_id = $2 AND ${REPLY_TO_DELIVER} ORDER BY created_at, id`,
    [session.id, session.tenantId],
  );
  return rows.map(inputRequestFromRow);
}

/** OpenCode took the reply (or no longer holds the request); false when it was marked already or is not the session's. */
export async function markInputRequestDelivered(q: Queryable, session: SessionRef, id: string): Promise<boolean> {
  const rows = await q.query(
    "UPDATE input_requests SET delivered_at = clock_timestamp() WHERE id = $3 AND session_id = $1 AND tenant_id = $2 AND delivered_at IS NULL RETURNING id",
    [session.id, session.tenantId, id],
  );
  return rows.length > 0;
}

/**
 * Closes the session's open requests (`ids`: only those; the others and rows
 * no longer open are left alone) as the system, under the caller's row lock:
 * `expired` (nobody answered in time; the row keeps the reject still to be
 * sent, undelivered) or `cancelled` (nothing to send: delivered at once).
 * One `session.input_replied` per row closed.
 */
export async function closeInputRequests(
  tx: Queryable,
  session: SessionRef,
  outcome: "expired" | "cancelled",
  ids?: readonly string[],
): Promise<{ requests: InputRequest[]; events: SessionEvent[] }> {
  if (ids && ids.length === 0) return { requests: [], events: [] };
  const s = await lockedSession(tx, session);
  const requests = await batchCloseOpenInputRequests(tx, s, outcome, ids);
  const events: SessionEvent[] = [];
  for (const r of requests) events.push(...(await appendEvents(tx, s, [inputRepliedEvent(r)], r.attempt)));
  keepSeq(session, s);
  return { requests, events };
}

/**
 * A person's reply through the API. Locks the request's session, then the
 * row: `authorize` refuses a caller who may not answer (403); a request no
 * longer open is a 409 with its status; a reply that does not fit the request
 * is a 400 naming the field (core checkInputReply). Otherwise the reply, its
 * actor and `session.input_replied` are written; the lease holder forwards it.
 * @throws NotFoundError when the tenant has no such request.
 */
export async function answerInputRequest(
  tx: Queryable,
  tenantId: string,
  requestId: string,
  input: { body: InputReplyBody; actor: InputActor; authorize(session: Session): void },
): Promise<{ request: InputRequest; session: Session; events: SessionEvent[] }> {
  const found = await tx.query<{ session_id: string }>(
    "SELECT session_id FROM input_requests WHERE id = $1 AND tenant_id = $2",
    [requestId, tenantId],
  );
  if (!found[0]) throw new NotFoundError("input request", requestId);
  const s = await lockSession(tx, found[0].session_id, { tenantId });
  input.authorize(s);
  const row = (
    await tx.query("SELECT * FROM input_requests WHERE id = $1 AND tenant_id = $2 FOR NO KEY UPDATE", [
      requestId,
      tenantId,
    ])
  )[0];
  if (!row) throw new NotFoundError("input request", requestId);
  const current = inputRequestFromRow(row);
  if (current.status !== "open")
    throw new ConflictError(`input request ${requestId} is ${current.status}: only an open request can be answered`, {
      context: { requestId, status: current.status, resolvedAt: current.resolvedAt, answeredBy: current.answeredBy },
    });
  const issues = checkInputReply(current, input.body);
  if (issues.length)
    throw new InvalidInputError(
      `the reply does not fit this ${current.kind}: ${issues.map((i) => i.path).join(", ")}`,
      issues,
    );
  const { status, reply } = computeInputReply(current, input.body);
  const updated = await tx.query(
    "UPDATE input_requests SET status = $3, reply = $4::jsonb, answered_by = $5::jsonb, resolved_at = clock_timestamp() WHERE id = $1 AND tenant_id = $2 RETURNING *",
    [requestId, tenantId, status, JSON.stringify(reply), JSON.stringify(input.actor)],
  );
  const request = inputRequestFromRow(updated[0]!);
  const events = await appendEvents(tx, s, [inputRepliedEvent(request)], request.attempt);
  return { request, session: s, events };
}

/** The inbox filters (issue 14): the tenant's open requests, of a session, an agent or a kind. */
export interface InboxFilter {
  tenantId: string;
  sessionId?: string | undefined;
  agentId?: string | undefined;
  kind?: InputRequestKind | undefined;
}

/** Open requests with their session's title: the inbox's rows (the partial index holds only open ones). */
const INBOX = `(SELECT r.*, s.title AS session_title FROM input_requests r JOIN sessions s ON s.id = r.session_id AND s.tenant_id = r.tenant_id WHERE r.status = 'open') AS inbox`;

const inboxItemFromRow = (r: Record<string, unknown>): InboxItem =>
  computeInboxItem(inputRequestFromRow(r), r.session_title as string);

/** One page of the inbox, oldest first (keyset on created_at, id), with its total. */
export async function listInbox(
  q: Queryable,
  f: InboxFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<InboxItem>> {
  const params: unknown[] = [f.tenantId];
  const where = ["tenant_id = $1"];
  const add = (column: string, value: unknown) => {
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  if (f.sessionId) add("session_id", f.sessionId);
  if (f.agentId) add("agent_id", f.agentId);
  if (f.kind) add("kind", f.kind);
  return readPage(q, {
    table: INBOX,
    where,
    params,
    column: "created_at",
    descending: false,
    limit: page.limit,
    cursor: page.cursor,
    fromRow: inboxItemFromRow,
  });
}

/** The open requests of some sessions as inbox items, oldest first: the session views' `pendingInput`. */
export async function batchReadPendingInput(
  q: Queryable,
  tenantId: string,
  sessionIds: readonly string[],
): Promise<Map<string, InboxItem[]>> {
  const out = new Map<string, InboxItem[]>(sessionIds.map((id) => [id, []]));
  if (sessionIds.length === 0) return out;
  const rows = await q.query(
    `SELECT * FROM ${INBOX} WHERE tenant_id = $1 AND session_id = ANY($2::uuid[]) ORDER BY created_at, id`,
    [tenantId, [...sessionIds]],
  );
  for (const r of rows) out.get(r.session_id as string)?.push(inboxItemFromRow(r));
  return out;
}

/** One request of the tenant with its session's title, or null. */
export async function findInputRequest(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<{ request: InputRequest; sessionTitle: string } | null> {
  const rows = await q.query(
    "SELECT r.*, s.title AS session_title FROM input_requests r JOIN sessions s ON s.id = r.session_id WHERE r.id = $1 AND r.tenant_id = $2",
    [id, tenantId],
  );
  return rows[0] ? { request: inputRequestFromRow(rows[0]), sessionTitle: rows[0].session_title as string } : null;
}
