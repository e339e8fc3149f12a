import {
  TIMELINE_FINISHED_KEYS,
  type CheckpointUsageRow,
  type FinishedSessionRow,
  type TimelineFinishedStatus,
  type TimelineUsage,
} from "@industrial/core";
import type { Queryable } from "./database";

/*
 * The rows behind the overview's timeline (docs/session-timeline.md); core's
 * computeTimeline buckets them. Deleted sessions are left out, as the
 * session stats leave them out.
 */

const FINISHED = Object.keys(TIMELINE_FINISHED_KEYS) as TimelineFinishedStatus[];

const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/** The tenant's sessions whose run ended in [from, to), with the status they ended in. */
export async function readFinishedSessions(
  q: Queryable,
  tenantId: string,
  range: { from: Date; to: Date },
): Promise<FinishedSessionRow[]> {
  const rows = await q.query<{ status: TimelineFinishedStatus; finished_at: unknown }>(
    `SELECT status, finished_at FROM sessions
     WHERE tenant_id = $1 AND deleted_at IS NULL AND finished_at >= $2 AND finished_at < $3 AND status = ANY($4::text[])`,
    [tenantId, range.from.toISOString(), range.to.toISOString(), FINISHED],
  );
  return rows.map((r) => ({ status: r.status, finishedAt: toDate(r.finished_at) }));
}

const usageOf = (tokens: unknown, cost: unknown): TimelineUsage => ({
  tokens: tokens as TimelineUsage["tokens"],
  costUsd: Number(cost),
});

/**
 * The tenant's checkpoints written in [from, to), each with the totals of the
 * one before it in its session (seqs are gap-free: the previous is seq - 1,
 * which may lie before the range).
 */
export async function readCheckpointUsage(
  q: Queryable,
  tenantId: string,
  range: { from: Date; to: Date },
): Promise<CheckpointUsageRow[]> {
  const rows = await q.query<{
    created_at: unknown;
    tokens: unknown;
    cost_usd: unknown;
    previous_tokens: unknown;
    previous_cost: unknown;
  }>(
    `SELECT c.created_at, c.tokens, c.cost_usd, p.tokens AS previous_tokens, p.cost_usd AS previous_cost
     FROM checkpoints c
     JOIN sessions s ON s.id = c.session_id
     LEFT JOIN checkpoints p ON p.session_id = c.session_id AND p.seq = c.seq - 1
     WHERE s.tenant_id = $1 AND s.deleted_at IS NULL AND c.created_at >= $2 AND c.created_at < $3`,
    [tenantId, range.from.toISOString(), range.to.toISOString()],
  );
  return rows.map((r) => ({
    createdAt: toDate(r.created_at),
    usage: usageOf(r.tokens, r.cost_usd),
    previous: r.previous_tokens == null ? null : usageOf(r.previous_tokens, r.previous_cost),
  }));
}
