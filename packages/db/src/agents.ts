import { randomUUID } from "node:crypto";
import { CAPABILITIES, emptyAgentStats, type Agent } from "@industrial/core";
import type { Queryable } from "./database";
import { agentFromRow } from "./rows";

export type AgentWithLoad = Agent & { running: number; lastAssignedAt: string | null };

export async function listAgents(q: Queryable, tenantId: string): Promise<AgentWithLoad[]> {
  const rows = await q.query(
    `SELECT a.*, (SELECT count(*)::int FROM sessions s WHERE s.agent_id = a.id AND s.status IN ('running', 'degraded')) AS running
     FROM agents a WHERE a.tenant_id = $1 ORDER BY a.name`,
    [tenantId],
  );
  return rows.map(withLoad);
}

function withLoad(r: Record<string, unknown>): AgentWithLoad {
  const la = r.last_assigned_at;
  return { ...agentFromRow(r), running: r.running as number, lastAssignedAt: la ? new Date(la as string).toISOString() : null };
}

/**
 * Locks the tenant's routable agents, then counts their running sessions in a
 * second statement. The order matters under READ COMMITTED: a count taken in
 * the locking statement could use a snapshot from before a concurrent
 * dispatcher committed, and two schedulers would overfill an agent.
 */
export async function lockAgentsForDispatch(tx: Queryable, tenantId: string): Promise<AgentWithLoad[]> {
  await tx.query("SELECT id FROM agents WHERE tenant_id = $1 AND status = 'active' AND NOT maintenance ORDER BY id FOR UPDATE", [tenantId]);
  const rows = await tx.query(
    `SELECT a.*, (SELECT count(*)::int FROM sessions s WHERE s.agent_id = a.id AND s.status IN ('running', 'degraded')) AS running
     FROM agents a WHERE a.tenant_id = $1 AND a.status = 'active' AND NOT a.maintenance`,
    [tenantId],
  );
  return rows.map(withLoad);
}

/** Stamps the agents a claim batch assigned work to (routing breaks ties by least recently assigned). */
export async function touchAgentsAssigned(tx: Queryable, agentIds: readonly string[]): Promise<void> {
  if (agentIds.length) await tx.query("UPDATE agents SET last_assigned_at = clock_timestamp() WHERE id = ANY($1::uuid[])", [agentIds]);
}

export async function getAgent(q: Queryable, id: string): Promise<Agent | null> {
  const rows = await q.query("SELECT * FROM agents WHERE id = $1", [id]);
  return rows[0] ? agentFromRow(rows[0]) : null;
}

/**
 * Registers the `default` agent at first start (every capability, the
 * default runner) so that a fresh install can run sessions before any agent
 * is registered. Later starts leave it as the operator changed it.
 */
export async function ensureDefaultAgent(
  q: Queryable,
  input: { tenantId: string; runnerId: string; maxConcurrent: number; model: string | null },
): Promise<Agent> {
  await q.query(
    `INSERT INTO agents (id, tenant_id, name, type, capabilities, model, opencode_agent, max_concurrent, runner_id, stats, breaker, last_heartbeat_at)
     VALUES ($1, $2, 'default', 'implementer', $3, $4, 'build', $5, $6, $7::jsonb, $8::jsonb, now())
     ON CONFLICT (tenant_id, name) DO NOTHING`,
    [
      randomUUID(),
      input.tenantId,
      [...CAPABILITIES],
      input.model,
      input.maxConcurrent,
      input.runnerId,
      JSON.stringify(emptyAgentStats()),
      JSON.stringify({ state: "closed", consecutiveFailures: 0, openedAt: null, cooldownSeconds: 60 }),
    ],
  );
  const rows = await q.query("SELECT * FROM agents WHERE tenant_id = $1 AND name = 'default'", [input.tenantId]);
  return agentFromRow(rows[0]!);
}
