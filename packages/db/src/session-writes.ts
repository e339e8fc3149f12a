import {
  ACTIVE_STATUSES,
  assertTransition,
  NotFoundError,
  StaleFencingTokenError,
  type NewSessionEvent,
  type Session,
  type SessionEvent,
  type SessionStatus,
} from "@industrial/core";
import { currentRequestId } from "./request-context";
import type { Queryable } from "./database";
import { batchCloseOpenInputRequests, inputRepliedEvent } from "./input-request-rows";
import { eventFromRow, sessionFromRow } from "./rows";

/** A session named with its tenant: what every write to one (and to its children) filters by. */
export type SessionRef = Pick<Session, "id" | "tenantId">;

/** Columns a write may set, in domain words. jsonb columns are serialised here, once. */
export interface SessionPatch {
  title?: string;
  priority?: string;
  tags?: string[];
  metadata?: Record<string, unknown>;
  maxDurationSeconds?: number;
  status?: SessionStatus;
  statusReason?: string | null;
  agentId?: string | null;
  workspace?: Session["workspace"];
  attempt?: number;
  notBefore?: Date | null;
  queuedAt?: Date | null;
  dispatchKey?: Date | null;
  startedAt?: Date | null;
  finishedAt?: Date | null;
  metrics?: Session["metrics"];
  result?: Session["result"];
  error?: Session["error"];
  requestedAction?: Session["requestedAction"];
  requestedActionPayload?: Record<string, unknown> | null;
  fencingToken?: number;
  held?: boolean;
  deletedAt?: Date | null;
}

const COLUMNS: Record<keyof SessionPatch, { column: string; json?: true }> = {
  title: { column: "title" },
  priority: { column: "priority" },
  tags: { column: "tags" },
  metadata: { column: "metadata", json: true },
  maxDurationSeconds: { column: "max_duration_seconds" },
  status: { column: "status" },
  statusReason: { column: "status_reason" },
  agentId: { column: "agent_id" },
  workspace: { column: "workspace", json: true },
  attempt: { column: "attempt" },
  notBefore: { column: "not_before" },
  queuedAt: { column: "queued_at" },
  dispatchKey: { column: "dispatch_key" },
  startedAt: { column: "started_at" },
  finishedAt: { column: "finished_at" },
  metrics: { column: "metrics", json: true },
  result: { column: "result", json: true },
  error: { column: "error", json: true },
  requestedAction: { column: "requested_action" },
  requestedActionPayload: { column: "requested_action_payload", json: true },
  fencingToken: { column: "fencing_token" },
  held: { column: "held" },
  deletedAt: { column: "deleted_at" },
};

export async function updateSession(tx: Queryable, session: SessionRef, patch: SessionPatch): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [session.id, session.tenantId];
  for (const [key, value] of Object.entries(patch) as [keyof SessionPatch, unknown][]) {
    if (value === undefined) continue;
    const { column, json } = COLUMNS[key];
    params.push(json && value !== null ? JSON.stringify(value) : value);
    sets.push(`${column} = $${params.length}${json ? "::jsonb" : ""}`);
  }
  if (patch.status !== undefined) sets.push("status_updated_at = now()");
  if (sets.length === 0) return;
  await tx.query(`UPDATE sessions SET ${sets.join(", ")} WHERE id = $1 AND tenant_id = $2`, params);
}

/**
 * Locks a session row for the rest of the transaction. With `fencingToken`,
 * refuses a writer whose token is not the session's current one: this is the
 * check that stops a replica that lost its lease.
 */
export async function lockSession(
  tx: Queryable,
  id: string,
  options: { tenantId: string; fencingToken?: number },
): Promise<Session> {
  const rows = await tx.query(
    "SELECT * FROM sessions WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL FOR NO KEY UPDATE",
    [id, options.tenantId],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError("session", id);
  const current = row.fencing_token as number;
  if (options.fencingToken !== undefined && current !== options.fencingToken)
    throw new StaleFencingTokenError(id, options.fencingToken, current);
  return sessionFromRow(row);
}

/**
 * Appends events to a locked session's log with consecutive seqs. The row
 * lock serialises writers, so seqs have no gaps and no duplicates.
 */
export async function appendEvents(
  tx: Queryable,
  session: Session,
  events: readonly NewSessionEvent[],
  attempt: number | null,
): Promise<SessionEvent[]> {
  if (events.length === 0) return [];
  const next = session.lastEventSeq + events.length;
  // The tenant's own session (its lock proved it; this says it again for the children written below).
  const moved = await tx.query(
    "UPDATE sessions SET last_event_seq = $2 WHERE id = $1 AND tenant_id = $3 RETURNING id",
    [session.id, next, session.tenantId],
  );
  if (moved.length === 0) throw new NotFoundError("session", session.id);
  const params: unknown[] = [session.id, attempt, currentRequestId()];
  const values = events.map((e, i) => {
    params.push(session.lastEventSeq + i + 1, e.type, JSON.stringify(e.payload));
    const n = params.length;
    return `($1, $${n - 2}, $${n - 1}, $2::int, $${n}::jsonb, clock_timestamp(), $3::text)`;
  });
  const rows = await tx.query(
    `INSERT INTO session_events (session_id, seq, type, attempt, payload, created_at, request_id) VALUES ${values.join(", ")} RETURNING *`,
    params,
  );
  session.lastEventSeq = next;
  return rows.map(eventFromRow).sort((a, b) => a.seq - b.seq);
}

/**
 * Moves a locked session to `to`: checks the table, writes status, reason and
 * `patch`, and appends `session.status_changed` plus any `events` — one
 * transaction, as docs/domain.md requires. A session that stops running
 * (pause, stop, cancel, any end) also closes its open input requests
 * `cancelled`, each with its `session.input_replied` (docs/input-requests.md
 * §3, Scheduler): its turn is aborted, so nobody could answer them any more.
 */
export async function transitionSession(
  tx: Queryable,
  session: Session,
  to: SessionStatus,
  reason: string | null,
  options: { patch?: SessionPatch; events?: readonly NewSessionEvent[]; attempt?: number | null } = {},
): Promise<SessionEvent[]> {
  const from = session.status;
  assertTransition(from, to);
  await updateSession(tx, session, { ...options.patch, status: to, statusReason: reason });
  session.status = to;
  session.statusReason = reason;
  const written = await appendEvents(
    tx,
    session,
    [{ type: "session.status_changed", payload: { from, to, reason } }, ...(options.events ?? [])],
    options.attempt ?? (session.attempt || null),
  );
  if (!ACTIVE_STATUSES.includes(from) || ACTIVE_STATUSES.includes(to)) return written;
  for (const r of await batchCloseOpenInputRequests(tx, session, "cancelled"))
    written.push(...(await appendEvents(tx, session, [inputRepliedEvent(r)], r.attempt)));
  return written;
}
