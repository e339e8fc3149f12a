import { computeExpiryReply, SYSTEM_INPUT_ACTOR, type InputRequest, type NewSessionEvent } from "@industrial/core";
import type { Queryable } from "./database";
import { iso, isoRequired } from "./rows";

/*
 * The input_requests table's one fromRow, and the close that every status
 * change of a session makes (transitionSession, in session-writes.ts, calls
 * it; so does closeInputRequests in input-requests.ts). Kept apart from
 * input-requests.ts so that neither module imports the other.
 */

type Row = Record<string, unknown>;

export function inputRequestFromRow(r: Row): InputRequest {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    sessionId: r.session_id as string,
    attempt: r.attempt as number,
    agentId: r.agent_id as string,
    kind: r.kind,
    payload: r.payload,
    openCodeRequestId: r.open_code_request_id as string,
    openCodeSessionId: r.open_code_session_id as string,
    status: r.status as InputRequest["status"],
    reply: (r.reply as InputRequest["reply"]) ?? null,
    answeredBy: (r.answered_by as InputRequest["answeredBy"]) ?? null,
    createdAt: isoRequired(r.created_at),
    expiresAt: iso(r.expires_at),
    resolvedAt: iso(r.resolved_at),
    deliveredAt: iso(r.delivered_at),
  } as InputRequest;
}

/** `session.input_replied` for a request that has just left `open`. */
export function inputRepliedEvent(r: InputRequest): NewSessionEvent {
  if (r.status === "open") throw new Error(`input request ${r.id} is still open`);
  return {
    type: "session.input_replied",
    payload: {
      requestId: r.id,
      kind: r.kind,
      outcome: r.status,
      actor: r.answeredBy ?? SYSTEM_INPUT_ACTOR,
      reply: r.reply,
    },
  };
}

/**
 * Closes the open requests of a locked session (`ids`: only those of them),
 * as the system: `expired` ones keep the reject the lease holder still has to
 * send OpenCode (undelivered); `cancelled` ones need nothing sent — their turn
 * is aborted or gone — so they count as delivered. Oldest first.
 */
export async function batchCloseOpenInputRequests(
  tx: Queryable,
  session: { id: string; tenantId: string },
  outcome: "expired" | "cancelled",
  ids?: readonly string[],
): Promise<InputRequest[]> {
  const params: unknown[] = [session.id, session.tenantId, outcome, JSON.stringify(SYSTEM_INPUT_ACTOR)];
  let only = "";
  if (ids) {
    params.push([...ids]);
    only = `AND id = ANY($${params.length}::uuid[])`;
  }
  // The reply of an expired request depends on its kind: computed here per kind (core computeExpiryReply).
  params.push(JSON.stringify(computeExpiryReply("permission")), JSON.stringify(computeExpiryReply("question")));
  const n = params.length;
  const rows = await tx.query(
    `UPDATE input_requests SET status = $3, answered_by = $4::jsonb, resolved_at = clock_timestamp(),
       reply = CASE WHEN $3 = 'expired' THEN (CASE kind WHEN 'permission' THEN $${n - 1}::jsonb ELSE $${n}::jsonb END) END,
       delivered_at = CASE WHEN $3 = 'cancelled' THEN clock_timestamp() END
     WHERE session_id = $1 AND tenant_id = $2 AND status = 'open' ${only} RETURNING *`,
    params,
  );
  return rows
    .map(inputRequestFromRow)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
