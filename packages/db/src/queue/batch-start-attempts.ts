import { randomUUID } from "node:crypto";
import {
  assertTransition,
  LEASE_SECONDS,
  type Agent,
  type Attempt,
  type NewSessionEvent,
  type Session,
  type SessionEvent,
} from "@industrial/core";
import type { Queryable } from "../database";
import { attemptFromRow, eventFromRow } from "../rows";

/** A session this replica now runs: the attempt it holds the lease of, on its agent. */
export interface Claim {
  session: Session;
  attempt: Attempt;
  agent: Agent;
  /** started: a new attempt; resumed: a paused attempt continues its OpenCode session. */
  kind: "started" | "resumed";
  events: SessionEvent[];
}

export interface PlannedStart {
  session: Session;
  agent: Agent;
  reason: string;
  fencingToken: number;
}

/**
 * Starts the attempts of a whole claim batch in three statements (attempts,
 * sessions, events) instead of four per session: the same writes as
 * `transitionSession` for queued → running, for locked rows that are all
 * queued. Dispatch throughput is bounded by these round trips. Times are
 * the statements' (clock_timestamp), not the transaction's start: a round
 * that waited on an agent's lock starts its sessions when it got it.
 */
export async function batchStartAttempts(
  tx: Queryable,
  starts: readonly PlannedStart[],
  replica: string,
  now: Date,
): Promise<Claim[]> {
  if (starts.length === 0) return [];
  for (const s of starts) assertTransition(s.session.status, "running");
  const numbers = starts.map((s) => s.session.attempt + 1);
  const attemptRows = await tx.query(
    `INSERT INTO attempts (id, session_id, number, fencing_token, lease_owner, lease_expires_at, runner_id, agent_id)
     SELECT id, session_id, number, token, $5, clock_timestamp() + make_interval(secs => $6), runner_id, agent_id
     FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $7::uuid[], $8::uuid[]) AS v(id, session_id, number, token, runner_id, agent_id)
     RETURNING *`,
    [
      starts.map(() => randomUUID()),
      starts.map((s) => s.session.id),
      numbers,
      starts.map((s) => s.fencingToken),
      replica,
      LEASE_SECONDS,
      starts.map((s) => s.agent.runnerId),
      starts.map((s) => s.agent.id),
    ],
  );
  const attempts = new Map(attemptRows.map((r) => [r.session_id as string, attemptFromRow(r)]));

  const reasons = starts.map((s) => `dispatched to ${s.agent.name}: ${s.reason}`);
  const metrics = starts.map((s, i) => {
    const m = { ...s.session.metrics, attempts: numbers[i]! };
    if (s.session.queuedAt) m.queueWaitSeconds += Math.max(0, (now.getTime() - Date.parse(s.session.queuedAt)) / 1000);
    return m;
  });
  await tx.query(
    `UPDATE sessions s SET status = 'running', status_reason = v.reason, status_updated_at = clock_timestamp(), agent_id = v.agent_id,
       attempt = v.number, fencing_token = v.token, started_at = COALESCE(s.started_at, clock_timestamp()), requested_action = NULL,
       metrics = v.metrics::jsonb, error = NULL, last_event_seq = s.last_event_seq + 2
     FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::int[], $6::text[]) AS v(id, reason, agent_id, number, token, metrics)
     WHERE s.id = v.id`,
    [
      starts.map((s) => s.session.id),
      reasons,
      starts.map((s) => s.agent.id),
      numbers,
      starts.map((s) => s.fencingToken),
      metrics.map((m) => JSON.stringify(m)),
    ],
  );

  const planned: { sessionId: string; seq: number; attempt: number; event: NewSessionEvent }[] = starts.flatMap(
    (s, i) => {
      const seq = s.session.lastEventSeq;
      const number = numbers[i]!;
      return [
        {
          sessionId: s.session.id,
          seq: seq + 1,
          attempt: number,
          event: {
            type: "session.status_changed",
            payload: { from: s.session.status, to: "running", reason: reasons[i]! },
          },
        },
        {
          sessionId: s.session.id,
          seq: seq + 2,
          attempt: number,
          event: {
            type: "session.attempt",
            payload: {
              attempt: number,
              agentId: s.agent.id,
              runnerId: s.agent.runnerId,
              openCodeSessionId: null,
              action: "started",
              replica,
            },
          },
        },
      ] satisfies { sessionId: string; seq: number; attempt: number; event: NewSessionEvent }[];
    },
  );
  const eventRows = await tx.query(
    `INSERT INTO session_events (session_id, seq, type, attempt, payload, created_at)
     SELECT session_id, seq, type, attempt, payload::jsonb, clock_timestamp()
     FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::text[]) AS v(session_id, seq, type, attempt, payload)
     RETURNING *`,
    [
      planned.map((p) => p.sessionId),
      planned.map((p) => p.seq),
      planned.map((p) => p.event.type),
      planned.map((p) => p.attempt),
      planned.map((p) => JSON.stringify(p.event.payload)),
    ],
  );
  const events = new Map<string, SessionEvent[]>();
  for (const e of eventRows.map(eventFromRow).sort((a, b) => a.seq - b.seq))
    events.set(e.sessionId, [...(events.get(e.sessionId) ?? []), e]);

  return starts.map((s, i) => {
    const session: Session = {
      ...s.session,
      status: "running",
      statusReason: reasons[i]!,
      agentId: s.agent.id,
      attempt: numbers[i]!,
      metrics: metrics[i]!,
      requestedAction: null,
      error: null,
      lastEventSeq: s.session.lastEventSeq + 2,
    };
    return {
      session,
      attempt: attempts.get(s.session.id)!,
      agent: s.agent,
      kind: "started" as const,
      events: events.get(s.session.id) ?? [],
    };
  });
}
