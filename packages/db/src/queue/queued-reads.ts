import { computeAdmissionBlock, type DispatchRequest, type DispatchTenant, type Session } from "@industrial/core";
import type { Queryable } from "../database";
import { sessionFromRow, tenantFromRow } from "../rows";
import { readTenantUsage } from "../tenants";

/*
 * The reads of a dispatch round (README, "Scheduling"): which tenants have
 * queued work, their weights, quotas and running counts, and each one's head
 * of queue among the sessions its agents can take now — all on the partial
 * index of queued sessions per tenant (migration 0014), never a table scan.
 */

/**
 * The tenants with queued sessions, found by skipping from one tenant to the
 * next on the index (a loose index scan: one probe per tenant, however many
 * sessions each has queued).
 */
export const TENANTS_WITH_QUEUED_SQL = `WITH RECURSIVE t(id) AS (
    (SELECT tenant_id FROM sessions WHERE status = 'queued' ORDER BY tenant_id LIMIT 1)
    UNION ALL
    SELECT (SELECT s.tenant_id FROM sessions s WHERE s.status = 'queued' AND s.tenant_id > t.id ORDER BY s.tenant_id LIMIT 1) FROM t WHERE t.id IS NOT NULL
  )
  SELECT id FROM t WHERE id IS NOT NULL`;

export async function listTenantsWithQueuedWork(tx: Queryable): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(TENANTS_WITH_QUEUED_SQL);
  return rows.map((r) => r.id);
}

/**
 * Weight, quota, whether active, sessions running now (running or degraded)
 * and, for a tenant with a monthly budget, whether it is used up
 * (computeAdmissionBlock on the usage admission reads), of each tenant named.
 * `earlier`: this round's first look, whose budget verdicts are kept (the
 * month's sums are not read twice in one round).
 */
export async function readDispatchTenants(
  tx: Queryable,
  tenantIds: readonly string[],
  earlier?: ReadonlyMap<string, DispatchTenant>,
): Promise<Map<string, DispatchTenant>> {
  if (tenantIds.length === 0) return new Map();
  const rows = await tx.query(
    `SELECT t.*, (SELECT count(*) FROM sessions s WHERE s.tenant_id = t.id AND s.status IN ('running', 'degraded'))::int AS running
     FROM tenants t WHERE t.id = ANY($1::uuid[])`,
    [tenantIds],
  );
  const out = new Map<string, DispatchTenant>();
  for (const r of rows) {
    const tenant = tenantFromRow(r);
    const budgeted = tenant.monthlyTokenBudget !== null || tenant.monthlyCostBudgetUsd !== null;
    const known = earlier?.get(tenant.id);
    const budgetWait = known
      ? known.budgetWait
      : budgeted
        ? computeAdmissionBlock(tenant, await readTenantUsage(tx, tenant.id))
        : null;
    out.set(tenant.id, {
      tenantId: tenant.id,
      weight: tenant.weight,
      running: r.running as number,
      quota: tenant.maxConcurrentSessions,
      active: tenant.active,
      budgetWait,
    });
  }
  return out;
}

/** Paused sessions whose resume was asked for, oldest request first, locked (`SKIP LOCKED`). */
export async function readResumeRequests(tx: Queryable, limit: number): Promise<QueuedSession[]> {
  const rows = await tx.query(
    "SELECT * FROM sessions WHERE status = 'paused' AND requested_action = 'resume' ORDER BY status_updated_at, id LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED",
    [limit],
  );
  return rows.map(queuedFromRow);
}

/** A queued session read for dispatch: its place in the queue, and its fencing token (the attempt gets the next one). */
export type QueuedSession = Session & DispatchRequest & { fencingToken: number };

/**
 * SQL that is true for a session whose required capabilities one of the sets
 * in the jsonb parameter `param` (an array of arrays of capabilities) holds
 * all of: dispatch's "an agent with room can take it now" and admission's
 * "an active agent could ever take it".
 */
export const coveredByCapabilitySets = (param: string) =>
  `EXISTS (SELECT 1 FROM jsonb_array_elements(${param}::jsonb) AS a(caps) WHERE required_capabilities <@ ARRAY(SELECT jsonb_array_elements_text(a.caps)))`;

/** `$4`/`$5`: the last session an earlier read of this round returned (dispatch key, id); the read goes on after it. */
const routableSql = (covered: boolean, after: boolean) => `SELECT * FROM sessions s
  WHERE s.tenant_id = $1 AND s.status = 'queued'
    AND ${covered ? "" : "NOT "}${coveredByCapabilitySets("$2")}
    ${after ? "AND (s.dispatch_key, s.id) > ($4::timestamptz, $5::uuid)" : ""}
  ORDER BY s.dispatch_key, s.id
  LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED`;

export const ROUTABLE_QUEUED_SQL = routableSql(true, false);
export const ROUTABLE_QUEUED_AFTER_SQL = routableSql(true, true);

/**
 * Up to `limit` of a tenant's queued sessions, in dispatch-key order, that
 * one of the capability sets covers (`capabilitySets`: those of the agents
 * with room now), locked (`SKIP LOCKED`: another replica's are passed over).
 * Sessions no agent can take now are walked past on the index, never locked.
 */
export async function readRoutableQueued(
  tx: Queryable,
  tenantId: string,
  capabilitySets: readonly string[][],
  limit: number,
  after: Pick<QueuedSession, "dispatchKey" | "id"> | null = null,
): Promise<QueuedSession[]> {
  if (limit <= 0 || capabilitySets.length === 0) return [];
  const params = [tenantId, JSON.stringify(capabilitySets), limit];
  const rows = after
    ? await tx.query(ROUTABLE_QUEUED_AFTER_SQL, [...params, after.dispatchKey, after.id])
    : await tx.query(ROUTABLE_QUEUED_SQL, params);
  return rows.map(queuedFromRow);
}

// The rows are locked: their fencing tokens cannot move under us.
function queuedFromRow(r: Record<string, unknown>): QueuedSession {
  return { ...sessionFromRow(r), dispatchKey: isoOf(r.dispatch_key), fencingToken: r.fencing_token as number };
}

/**
 * The first `limit` of a tenant's queued sessions that none of the capability
 * sets covers (no agent can take them now), locked with `SKIP LOCKED`: the
 * head of what waits, whose reason dispatch keeps current.
 */
export const UNROUTABLE_HEAD_SQL = routableSql(false, false);

export async function readUnroutableHead(
  tx: Queryable,
  tenantId: string,
  capabilitySets: readonly string[][],
  limit: number,
): Promise<QueuedSession[]> {
  return (await tx.query(UNROUTABLE_HEAD_SQL, [tenantId, JSON.stringify(capabilitySets), limit])).map(queuedFromRow);
}

/** Writes why each of a tenant's queued sessions waits (rows the caller holds locked). */
export async function setQueuedReasons(
  tx: Queryable,
  tenantId: string,
  reasons: readonly { id: string; reason: string }[],
): Promise<void> {
  if (reasons.length === 0) return;
  await tx.query(
    "UPDATE sessions SET status_reason = v.reason FROM unnest($2::uuid[], $3::text[]) AS v(id, reason) WHERE sessions.tenant_id = $1 AND sessions.id = v.id AND sessions.status = 'queued'",
    [tenantId, reasons.map((r) => r.id), reasons.map((r) => r.reason)],
  );
}

/**
 * Says on the head of a tenant's queue (the first `limit`, those not locked
 * elsewhere) why none may start now: its quota, a budget, inactive. Only the
 * head: a tenant with thousands queued costs one bounded write per round.
 */
export async function markQueuedWaiting(tx: Queryable, tenantId: string, reason: string, limit: number): Promise<void> {
  await tx.query(
    `UPDATE sessions SET status_reason = $2 WHERE id IN (
       SELECT id FROM sessions WHERE tenant_id = $1 AND status = 'queued' ORDER BY dispatch_key, id LIMIT $3 FOR NO KEY UPDATE SKIP LOCKED
     ) AND status_reason IS DISTINCT FROM $2`,
    [tenantId, reason, limit],
  );
}

function isoOf(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
