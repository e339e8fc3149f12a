import { randomUUID } from "node:crypto";
import {
  CAPABILITIES,
  closedBreaker,
  ConflictError,
  emptyAgentStats,
  DEFAULT_AGENT_SANDBOX,
  DEFAULT_INPUT_TIMEOUT_SECONDS,
  type Agent,
  type AgentSandbox,
  type AgentStatus,
  type AgentType,
  type Capability,
  type PermissionRule,
  type Tier,
} from "@industrial/core";
import type { Queryable } from "./database";
import { RUNNING, withLoad, type AgentWithLoad } from "./agent-load";
import { agentFromRow } from "./rows";
import { agentOfTenant } from "./tenant-scope";

export type { AgentWithLoad } from "./agent-load";

/** Every live agent of a tenant with its load, by name. */
export async function listAgents(q: Queryable, tenantId: string): Promise<AgentWithLoad[]> {
  const rows = await q.query(
    `SELECT a.*, ${RUNNING} AS running FROM agents a WHERE a.tenant_id = $1 AND a.deleted_at IS NULL ORDER BY a.name`,
    [tenantId],
  );
  return rows.map(withLoad);
}

export async function findAgent(q: Queryable, tenantId: string, id: string): Promise<AgentWithLoad | null> {
  const rows = await q.query(
    `SELECT a.*, ${RUNNING} AS running FROM agents a WHERE a.id = $1 AND a.tenant_id = $2 AND a.deleted_at IS NULL`,
    [id, tenantId],
  );
  return rows[0] ? withLoad(rows[0]) : null;
}

/** Any agent of the tenant by id, deleted ones included (sessions and attempts keep pointing at them). */
export async function getAgent(q: Queryable, tenantId: string, id: string): Promise<Agent | null> {
  const rows = await q.query("SELECT * FROM agents WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
  return rows[0] ? agentFromRow(rows[0]) : null;
}

export interface NewAgent {
  tenantId: string;
  name: string;
  type: AgentType;
  capabilities: readonly Capability[];
  model: string | null;
  openCodeAgent: string;
  systemPrompt: string | null;
  temperature: number | null;
  permissions: readonly PermissionRule[];
  maxConcurrent: number;
  runnerId: string | null;
  sandbox: AgentSandbox;
  /** Absent: the column's default (false). */
  allowQuestions?: boolean;
  /** Absent: the column's default (DEFAULT_INPUT_TIMEOUT_SECONDS). */
  inputTimeoutSeconds?: number;
  /** Absent: none. */
  fallbackModels?: readonly string[];
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "23505";

export async function insertAgent(q: Queryable, a: NewAgent, breakerCooldownSeconds: number): Promise<Agent> {
  try {
    const rows = await q.query(
      `INSERT INTO agents (id, tenant_id, name, type, capabilities, model, opencode_agent, system_prompt, temperature, permissions,
         max_concurrent, runner_id, stats, breaker, sandbox, allow_questions, input_timeout_seconds, fallback_models, last_heartbeat_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10::jsonb,$11,$12,$13::jsonb,$14::jsonb,$15::jsonb,$16,$17,$18::text[], now()) RETURNING *`,
      [
        randomUUID(),
        a.tenantId,
        a.name,
        a.type,
        [...a.capabilities],
        a.model,
        a.openCodeAgent,
        a.systemPrompt,
        a.temperature,
        JSON.stringify(a.permissions),
        a.maxConcurrent,
        a.runnerId,
        JSON.stringify(emptyAgentStats()),
        JSON.stringify({ ...closedBreaker(), cooldownSeconds: breakerCooldownSeconds }),
        JSON.stringify(a.sandbox),
        a.allowQuestions ?? false,
        a.inputTimeoutSeconds ?? DEFAULT_INPUT_TIMEOUT_SECONDS,
        [...(a.fallbackModels ?? [])],
      ],
    );
    return agentFromRow(rows[0]!);
  } catch (e) {
    if (isUniqueViolation(e))
      throw new ConflictError(`an agent named ${a.name} already exists`, {
        details: [{ path: "body.name", reason: "already taken" }],
      });
    throw e;
  }
}

export interface AgentPatch {
  name?: string;
  type?: AgentType;
  capabilities?: readonly Capability[];
  model?: string | null;
  openCodeAgent?: string;
  systemPrompt?: string | null;
  temperature?: number | null;
  permissions?: readonly PermissionRule[];
  maxConcurrent?: number;
  runnerId?: string | null;
  /** The whole policy (a request's change merged over the current one by the caller). */
  sandbox?: AgentSandbox;
  allowQuestions?: boolean;
  inputTimeoutSeconds?: number;
  /** The whole ordered list (an empty one removes every fallback). */
  fallbackModels?: readonly string[];
  status?: AgentStatus;
  maintenance?: { enabled: boolean; reason: string | null };
  heartbeat?: true;
}

const COLUMNS: Partial<Record<keyof AgentPatch, string>> = {
  name: "name",
  type: "type",
  capabilities: "capabilities",
  model: "model",
  openCodeAgent: "opencode_agent",
  systemPrompt: "system_prompt",
  temperature: "temperature",
  maxConcurrent: "max_concurrent",
  runnerId: "runner_id",
  allowQuestions: "allow_questions",
  inputTimeoutSeconds: "input_timeout_seconds",
  status: "status",
};

export async function updateAgent(q: Queryable, tenantId: string, id: string, patch: AgentPatch): Promise<void> {
  const sets = ["updated_at = now()"];
  const params: unknown[] = [id, tenantId];
  const set = (column: string, value: unknown, cast = "") => {
    params.push(value);
    sets.push(`${column} = $${params.length}${cast}`);
  };
  for (const [key, column] of Object.entries(COLUMNS)) {
    const v = patch[key as keyof AgentPatch];
    if (v !== undefined) set(column, Array.isArray(v) ? [...v] : v);
  }
  if (patch.permissions) set("permissions", JSON.stringify(patch.permissions), "::jsonb");
  if (patch.sandbox) set("sandbox", JSON.stringify(patch.sandbox), "::jsonb");
  // Cast: an empty JavaScript array carries no element type for the driver.
  if (patch.fallbackModels) set("fallback_models", [...patch.fallbackModels], "::text[]");
  if (patch.maintenance) {
    set("maintenance", patch.maintenance.enabled);
    set("maintenance_reason", patch.maintenance.enabled ? patch.maintenance.reason : null);
  }
  if (patch.heartbeat) sets.push("last_heartbeat_at = now()");
  try {
    await q.query(`UPDATE agents SET ${sets.join(", ")} WHERE id = $1 AND tenant_id = $2`, params);
  } catch (e) {
    if (isUniqueViolation(e))
      throw new ConflictError(`an agent named ${patch.name} already exists`, {
        details: [{ path: "body.name", reason: "already taken" }],
      });
    throw e;
  }
}

export async function softDeleteAgent(q: Queryable, tenantId: string, id: string): Promise<void> {
  await q.query(
    "UPDATE agents SET deleted_at = now(), status = 'offline', updated_at = now() WHERE id = $1 AND tenant_id = $2",
    [id, tenantId],
  );
}

export interface TierChange {
  at: string;
  from: Tier | null;
  to: Tier;
  finished: number;
  successRate: number;
  reason: string;
}

/** A line of the agent's tier history; written only for an agent of the tenant (the row comes from it). */
export async function appendTierChange(
  q: Queryable,
  agent: Pick<Agent, "id" | "tenantId">,
  c: Omit<TierChange, "at">,
): Promise<void> {
  await q.query(
    `INSERT INTO agent_tier_history (agent_id, at, from_tier, to_tier, finished, success_rate, reason)
     SELECT id, clock_timestamp(), $3::text, $4::text, $5::int, $6::float8, $7::text FROM agents WHERE id = $1 AND tenant_id = $2`,
    [agent.id, agent.tenantId, c.from, c.to, c.finished, c.successRate, c.reason],
  );
}

export async function tierHistory(q: Queryable, tenantId: string, agentId: string, limit = 50): Promise<TierChange[]> {
  const rows = await q.query(
    `SELECT * FROM agent_tier_history WHERE agent_id = $1 AND ${agentOfTenant("$1", 3)} ORDER BY at DESC LIMIT $2`,
    [agentId, limit, tenantId],
  );
  return rows.map((r) => ({
    at: new Date(r.at as string).toISOString(),
    from: (r.from_tier as Tier | null) ?? null,
    to: r.to_tier as Tier,
    finished: r.finished as number,
    successRate: r.success_rate as number,
    reason: r.reason as string,
  }));
}

/**
 * Registers the `default` agent at first start (every capability, a managed
 * runner) so that a fresh install can run sessions before any agent is
 * registered. Only once per tenant: an operator who deleted or changed it
 * keeps their fleet as they left it.
 */
export async function ensureDefaultAgent(
  q: Queryable,
  input: {
    tenantId: string;
    runnerId: string | null;
    maxConcurrent: number;
    model: string | null;
    breakerCooldownSeconds: number;
  },
): Promise<void> {
  const any = await q.query("SELECT 1 FROM agents WHERE tenant_id = $1 LIMIT 1", [input.tenantId]);
  if (any.length) return;
  await insertAgent(
    q,
    {
      tenantId: input.tenantId,
      name: "default",
      type: "implementer",
      capabilities: CAPABILITIES,
      model: input.model,
      openCodeAgent: "build",
      systemPrompt: null,
      temperature: null,
      permissions: [],
      maxConcurrent: input.maxConcurrent,
      runnerId: input.runnerId,
      sandbox: DEFAULT_AGENT_SANDBOX,
    },
    input.breakerCooldownSeconds,
  ).catch((e) => {
    // Two replicas starting together: the other one registered it.
    if (!(e instanceof ConflictError)) throw e;
  });
}

export interface AgentAttempt {
  sessionId: string;
  title: string;
  attempt: number;
  status: string;
  attemptStatus: string;
  startedAt: string;
  finishedAt: string | null;
  durationSeconds: number | null;
  tokens: number;
  costUsd: number;
  error: string | null;
}

/** The agent's latest attempts with their sessions, newest first. */
export async function recentAttemptsOfAgent(
  q: Queryable,
  tenantId: string,
  agentId: string,
  limit = 20,
): Promise<AgentAttempt[]> {
  const rows = await q.query(
    `SELECT a.session_id, s.title, a.number, s.status, a.status AS attempt_status, a.started_at, a.finished_at, a.usage, a.error
     FROM attempts a JOIN sessions s ON s.id = a.session_id
     WHERE a.agent_id = $1 AND s.tenant_id = $3 AND s.deleted_at IS NULL ORDER BY a.started_at DESC LIMIT $2`,
    [agentId, limit, tenantId],
  );
  return rows.map((r) => {
    const startedAt = new Date(r.started_at as string);
    const finishedAt = r.finished_at ? new Date(r.finished_at as string) : null;
    const usage = r.usage as { tokens?: { input: number; output: number; reasoning: number }; costUsd?: number } | null;
    return {
      sessionId: r.session_id as string,
      title: r.title as string,
      attempt: r.number as number,
      status: r.status as string,
      attemptStatus: r.attempt_status as string,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt?.toISOString() ?? null,
      durationSeconds: finishedAt ? (finishedAt.getTime() - startedAt.getTime()) / 1000 : null,
      tokens: usage?.tokens ? usage.tokens.input + usage.tokens.output + usage.tokens.reasoning : 0,
      costUsd: usage?.costUsd ?? 0,
      error: (r.error as { message?: string } | null)?.message ?? null,
    };
  });
}
