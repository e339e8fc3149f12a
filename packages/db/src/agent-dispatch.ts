import type { Agent } from "@industrial/core";
import type { Queryable } from "./database";
import { RUNNING, withLoad, type AgentWithLoad } from "./agent-load";

/**
 * The agents' side of a dispatch (the claim and admission in queue/): which
 * agents may take work and their load, locked; which capabilities a tenant's
 * fleet has at all; the stamps a claim batch leaves on the agents it used.
 */

/**
 * Locks the tenant's routable agents, then counts their running sessions in a
 * second statement. The order matters under READ COMMITTED: a count taken in
 * the locking statement could use a snapshot from before a concurrent
 * dispatcher committed, and two schedulers would overfill an agent.
 */
export async function lockAgentsForDispatch(tx: Queryable, tenantId: string): Promise<AgentWithLoad[]> {
  const live = "tenant_id = $1 AND status = 'active' AND NOT maintenance AND deleted_at IS NULL";
  const locked = await tx.query<{ id: string }>(`SELECT id FROM agents WHERE ${live} ORDER BY id FOR NO KEY UPDATE`, [
    tenantId,
  ]);
  if (locked.length === 0) return [];
  // Only the agents locked above: one that became live meanwhile is another round's (its load read unlocked could be stale).
  const rows = await tx.query(
    `SELECT a.*, ${RUNNING} AS running FROM agents a WHERE a.tenant_id = $1 AND a.id = ANY($2::uuid[])`,
    [tenantId, locked.map((r) => r.id)],
  );
  return rows.map(withLoad);
}

/** The distinct capability sets of a tenant's active agents, whatever their load (admission: could any of them ever take a session). */
export async function listActiveCapabilitySets(tx: Queryable, tenantId: string): Promise<string[][]> {
  const rows = await tx.query<{ capabilities: string[] }>(
    "SELECT DISTINCT capabilities FROM agents WHERE tenant_id = $1 AND status = 'active' AND deleted_at IS NULL",
    [tenantId],
  );
  return rows.map((r) => r.capabilities);
}

/** Stamps the agents a claim batch assigned work to (routing breaks ties by least recently assigned). */
export async function touchAgentsAssigned(
  tx: Queryable,
  agents: readonly Pick<Agent, "id" | "tenantId">[],
): Promise<void> {
  if (agents.length === 0) return;
  await tx.query(
    "UPDATE agents SET last_assigned_at = clock_timestamp() FROM unnest($1::uuid[], $2::uuid[]) AS v(id, tenant_id) WHERE agents.id = v.id AND agents.tenant_id = v.tenant_id",
    [agents.map((a) => a.id), agents.map((a) => a.tenantId)],
  );
}

/** A half-open breaker's one trial, marked taken by the dispatch that sends it (inside the claim). */
export async function setAgentBreaker(tx: Queryable, agent: Pick<Agent, "id" | "tenantId" | "breaker">): Promise<void> {
  await tx.query("UPDATE agents SET breaker = $3::jsonb WHERE id = $1 AND tenant_id = $2", [
    agent.id,
    agent.tenantId,
    JSON.stringify(agent.breaker),
  ]);
}
