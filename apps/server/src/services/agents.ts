import {
  breakerAdmits,
  breakerReopensAt,
  breakerStateAt,
  coerceError,
  computeRoute,
  ConflictError,
  DEFAULT_AGENT_SANDBOX,
  DEFAULT_CAPABILITIES,
  InvalidInputError,
  InvalidTransitionError,
  NotFoundError,
  temperatureProblem,
  type Capability,
  type Session,
} from "@industrial/core";
import type { AgentView, CreateAgentBody, ListAgentsQuery, PatchAgentBody, RouteBody } from "@industrial/contracts";
import {
  appendTierChange,
  findAgent,
  getRunner,
  insertAgent,
  listBusySessionIdsOfAgent,
  listAgents,
  recentAttemptsOfAgent,
  softDeleteAgent,
  tierHistory,
  unqueueUnserved,
  updateAgent,
  type AgentWithLoad,
  type Queryable,
} from "@industrial/db";
import type { z } from "zod";
import { admitAgentSandbox } from "./agent-sandbox";
import { afterCommit, type ServiceDeps } from "./deps";
import { assertModelAllowed } from "./tenants";
import { actOnSession } from "./session-actions";

/** The wire view: the breaker as it stands at `now`, and whether the agent takes work now. */
export function toAgentView(a: AgentWithLoad, now: Date): AgentView {
  const { lastAssignedAt: _, ...agent } = a;
  return {
    ...agent,
    breaker: {
      ...a.breaker,
      state: breakerStateAt(a.breaker, now),
      reopensAt: breakerReopensAt(a.breaker)?.toISOString() ?? null,
    },
    available: a.status === "active" && !a.maintenance && breakerAdmits(a.breaker, now) && a.running < a.maxConcurrent,
  };
}

/** Tells the agent's WebSocket rooms how it stands now (after the change committed). */
function announce(deps: ServiceDeps, type: "agent.registered" | "agent.updated", a: AgentWithLoad): AgentWithLoad {
  deps.notices.agent(type, toAgentView(a, deps.clock.now()));
  return a;
}

export async function getAgentById(deps: ServiceDeps, id: string): Promise<AgentWithLoad> {
  const a = await findAgent(deps.db, deps.tenantId, id);
  if (!a) throw new NotFoundError("agent", id);
  return a;
}

/** An agent runs on a registered remote runner of its tenant, or (null) on a managed one. */
async function requireRunner(q: Queryable, tenantId: string, runnerId: string | null | undefined): Promise<void> {
  if (!runnerId) return;
  const r = await getRunner(q, tenantId, runnerId);
  if (!r || r.deletedAt)
    throw new InvalidInputError(`runner ${runnerId} not found`, [{ path: "body.runnerId", reason: "no such runner" }]);
  if (r.kind !== "remote")
    throw new InvalidInputError(
      `runner ${r.name} is a managed runner; leave runnerId out to run on the managed runners`,
      [{ path: "body.runnerId", reason: "managed runners are not bound by id" }],
    );
}

/** Each fallback model must be on the tenant's list too, named by its index (body.fallbackModels.1). */
async function assertFallbacksAllowed(deps: ServiceDeps, models: readonly string[] | undefined): Promise<void> {
  for (const [i, m] of (models ?? []).entries()) await assertModelAllowed(deps, m, `body.fallbackModels.${i}`);
}

/** The temperature and the OpenCode agent are checked together: each PATCH against what the agent already has. */
function requireTemperature(temperature: number | null, openCodeAgent: string): void {
  const problem = temperatureProblem(temperature, openCodeAgent);
  if (problem)
    throw new InvalidInputError(`temperature ${temperature} ${problem}`, [
      { path: "body.temperature", reason: problem },
    ]);
}

export async function createAgent(deps: ServiceDeps, body: z.output<typeof CreateAgentBody>): Promise<AgentWithLoad> {
  await requireRunner(deps.db, deps.tenantId, body.runnerId);
  await assertModelAllowed(deps, body.model, "body.model");
  await assertFallbacksAllowed(deps, body.fallbackModels);
  requireTemperature(body.temperature ?? null, body.openCodeAgent);
  const sandbox = await admitAgentSandbox(deps, DEFAULT_AGENT_SANDBOX, body.sandbox);
  const capabilities = [...new Set<Capability>([...DEFAULT_CAPABILITIES[body.type], ...body.capabilities])];
  const agent = await deps.db.transaction(async (tx) => {
    const a = await insertAgent(
      tx,
      {
        tenantId: deps.tenantId,
        name: body.name,
        type: body.type,
        capabilities,
        model: body.model ?? null,
        openCodeAgent: body.openCodeAgent,
        systemPrompt: body.systemPrompt ?? null,
        temperature: body.temperature ?? null,
        permissions: body.permissions,
        maxConcurrent: body.maxConcurrent,
        runnerId: body.runnerId ?? null,
        sandbox,
        allowQuestions: body.allowQuestions,
        inputTimeoutSeconds: body.inputTimeoutSeconds,
        fallbackModels: body.fallbackModels,
      },
      deps.breakerCooldownSeconds,
    );
    await appendTierChange(tx, a, { from: null, to: a.tier, finished: 0, successRate: 0, reason: "registered" });
    return a;
  });
  deps.scheduler?.poke();
  return announce(deps, "agent.registered", await getAgentById(deps, agent.id));
}

export async function listAgentPage(deps: ServiceDeps, query: z.output<typeof ListAgentsQuery>) {
  const now = deps.clock.now();
  const all = (await listAgents(deps.db, deps.tenantId)).map((a) => toAgentView(a, now));
  const matching = all.filter(
    (a) =>
      (!query.type || query.type.includes(a.type)) &&
      (!query.capability || query.capability.every((c) => a.capabilities.includes(c))) &&
      (!query.tier || query.tier.includes(a.tier)) &&
      (!query.status || query.status.includes(a.status)) &&
      (query.available === undefined || a.available === query.available),
  );
  // Agents are few and listed by name: the cursor is the last name seen.
  const after = query.cursor ? Buffer.from(query.cursor, "base64url").toString("utf8") : null;
  const rest = after === null ? matching : matching.filter((a) => a.name > after);
  const items = rest.slice(0, query.limit);
  const nextCursor = rest.length > query.limit ? Buffer.from(items.at(-1)!.name, "utf8").toString("base64url") : null;
  return { items, nextCursor, total: matching.length };
}

export async function patchAgent(
  deps: ServiceDeps,
  id: string,
  body: z.output<typeof PatchAgentBody>,
): Promise<AgentWithLoad> {
  const agent = await getAgentById(deps, id);
  if (body.runnerId !== undefined) await requireRunner(deps.db, deps.tenantId, body.runnerId);
  await assertModelAllowed(deps, body.model, "body.model");
  await assertFallbacksAllowed(deps, body.fallbackModels);
  if (body.temperature !== undefined || body.openCodeAgent !== undefined)
    requireTemperature(
      body.temperature === undefined ? agent.temperature : body.temperature,
      body.openCodeAgent ?? agent.openCodeAgent,
    );
  const sandbox = body.sandbox === undefined ? undefined : await admitAgentSandbox(deps, agent.sandbox, body.sandbox);
  if (body.status === "active" && agent.status === "active" && Object.keys(body).length === 1) return agent;
  await updateAgent(deps.db, deps.tenantId, id, { ...body, sandbox });
  // Only its status and capabilities decide which sessions it could ever take.
  if (body.status !== undefined || body.capabilities !== undefined) await unqueueNowUnserved(deps);
  deps.scheduler?.poke();
  return announce(deps, "agent.updated", await getAgentById(deps, id));
}

export async function heartbeatAgent(deps: ServiceDeps, id: string): Promise<AgentWithLoad> {
  await getAgentById(deps, id);
  await updateAgent(deps.db, deps.tenantId, id, { heartbeat: true });
  return announce(deps, "agent.updated", await getAgentById(deps, id));
}

/** Draining: running sessions finish, no new ones are routed to it. PATCH status active brings it back. */
export async function drainAgent(deps: ServiceDeps, id: string): Promise<AgentWithLoad> {
  const agent = await getAgentById(deps, id);
  if (agent.status === "offline") throw new InvalidTransitionError("offline", "draining", "agent");
  if (agent.status !== "draining") await updateAgent(deps.db, deps.tenantId, id, { status: "draining" });
  await unqueueNowUnserved(deps);
  return announce(deps, "agent.updated", await getAgentById(deps, id));
}

export async function setMaintenance(
  deps: ServiceDeps,
  id: string,
  body: { enabled: boolean; reason?: string | undefined },
): Promise<AgentWithLoad> {
  await getAgentById(deps, id);
  await updateAgent(deps.db, deps.tenantId, id, {
    maintenance: { enabled: body.enabled, reason: body.reason ?? null },
  });
  deps.scheduler?.poke();
  return announce(deps, "agent.updated", await getAgentById(deps, id));
}

/**
 * Removes an agent that runs nothing (running, degraded or paused sessions).
 * With `force` those sessions are stopped first. The row stays (sessions and
 * attempts point at it) and its name is free again.
 */
export async function deleteAgent(deps: ServiceDeps, id: string, force: boolean): Promise<string[]> {
  const agent = await getAgentById(deps, id);
  const busy = await listBusySessionIdsOfAgent(deps.db, deps.tenantId, id);
  if (busy.length && !force)
    throw new ConflictError(
      `agent ${id} has ${busy.length} session(s) running or paused; drain it first, or delete with force=true to stop them`,
      {
        context: { sessions: busy },
      },
    );
  for (const sessionId of busy) await actOnSession(deps, sessionId, "stop").catch(() => undefined);
  await softDeleteAgent(deps.db, deps.tenantId, id);
  await unqueueNowUnserved(deps);
  deps.scheduler?.poke();
  deps.notices.agentRemoved(agent.tenantId, { id, name: agent.name });
  return busy;
}

/**
 * An agent went away or changed: queued sessions none of the active agents
 * can take go back to pending, saying why (README, Scheduling). The agent's
 * change is committed already: a failure here (a deadlock with a deletion)
 * is logged, not answered as the request's error; the next change looks again.
 */
async function unqueueNowUnserved(deps: ServiceDeps): Promise<void> {
  try {
    afterCommit(deps, await unqueueUnserved(deps.db, deps.tenantId));
  } catch (e) {
    deps.log.warn(
      { err: coerceError(e).message },
      "queued sessions no agent can take any more were not sent back to pending",
    );
  }
}

/** The dry run of routing: the scheduler's own function on the same candidates, with nothing written. */
export async function routeDryRun(deps: ServiceDeps, body: z.output<typeof RouteBody>) {
  const agents = await listAgents(deps.db, deps.tenantId);
  const candidates = agents.map((a) => ({ ...a, runnerHealthy: deps.runnerHealthy(a.runnerId) }));
  const d = computeRoute(
    {
      tenantId: deps.tenantId,
      type: body.type,
      requiredCapabilities: body.requiredCapabilities,
      preferredAgentId: body.preferredAgentId ?? null,
      model: body.model ?? null,
    },
    candidates,
    deps.clock.now(),
  );
  return d.agentId === null
    ? { agentId: null, agentName: null, score: null, alternatives: [], reason: d.reason, excluded: d.excluded }
    : {
        agentId: d.agentId,
        agentName: d.agentName,
        score: d.score,
        alternatives: d.alternatives,
        reason: d.reason,
        excluded: d.excluded,
      };
}

const countBy = <T>(items: T[], key: (t: T) => string) =>
  items.reduce<Record<string, number>>((acc, t) => ((acc[key(t)] = (acc[key(t)] ?? 0) + 1), acc), {});

export async function fleetStats(deps: ServiceDeps) {
  const now = deps.clock.now();
  const agents = (await listAgents(deps.db, deps.tenantId)).map((a) => toAgentView(a, now));
  const taking = agents.filter((a) => a.status === "active" && !a.maintenance);
  const capacity = taking.reduce((n, a) => n + a.maxConcurrent, 0);
  const running = agents.reduce((n, a) => n + a.running, 0);
  const finished = agents.reduce((n, a) => n + a.stats.finished, 0);
  const succeeded = agents.reduce((n, a) => n + a.stats.succeeded, 0);
  return {
    total: agents.length,
    byStatus: countBy(agents, (a) => a.status),
    byTier: countBy(agents, (a) => a.tier),
    byType: countBy(agents, (a) => a.type),
    available: agents.filter((a) => a.available).length,
    inMaintenance: agents.filter((a) => a.maintenance).length,
    breakersOpen: agents.filter((a) => a.breaker.state === "open").length,
    running,
    capacity,
    utilization: capacity > 0 ? Math.min(1, taking.reduce((n, a) => n + a.running, 0) / capacity) : 0,
    finished,
    succeeded,
    successRate: finished > 0 ? succeeded / finished : null,
  };
}

export async function agentPerformance(deps: ServiceDeps, id: string) {
  const agent = await getAgentById(deps, id);
  const view = toAgentView(agent, deps.clock.now());
  const [history, recent] = await Promise.all([
    tierHistory(deps.db, deps.tenantId, id),
    recentAttemptsOfAgent(deps.db, deps.tenantId, id),
  ]);
  return {
    agentId: agent.id,
    name: agent.name,
    tier: agent.tier,
    stats: agent.stats,
    breaker: view.breaker,
    perCapability: Object.entries(agent.stats.perCapability)
      .map(([capability, c]) => ({ capability, ...c, successRate: c.finished ? c.succeeded / c.finished : 0 }))
      .sort((a, b) => b.finished - a.finished || a.capability.localeCompare(b.capability)),
    tierHistory: history,
    recentSessions: recent.map((r) => ({ ...r, status: r.status as Session["status"] })),
  };
}
