import { closedBreaker, computeDispatchWait, computeRoute, type Session } from "@industrial/core";
import { lockAgentsForDispatch, touchAgentsAssigned } from "../agent-dispatch";
import type { AgentWithLoad } from "../agent-load";
import { latestAttempt, leaseAttempt } from "../attempts";
import type { Queryable } from "../database";
import type { CrossTenantDatabase } from "../tenant-wall";
import { batchStartAttempts, type Claim } from "./batch-start-attempts";
import { EXPLAINED_HEAD, planQueuedStarts } from "./dispatch-round";
import { listTenantsWithQueuedWork, markQueuedWaiting, readDispatchTenants, readResumeRequests } from "./queued-reads";
import { transitionSession, updateSession } from "../session-writes";

export type { Claim } from "./batch-start-attempts";

/**
 * Dispatch (README, "Scheduling"): paused sessions whose resume was asked
 * for go back to their own agent first; then the free slots go, one at a
 * time, to the tenant with the smallest running share (core
 * planFairDispatch), each to that tenant's next queued session, in
 * dispatch-key order (priority with ageing), that one of its agents can take
 * now (dispatch-round.ts). Sessions no agent can take now, and the tenants
 * that may start nothing (quota, budget, inactive), are passed over, never
 * in the way. Reads lock with `FOR NO KEY UPDATE SKIP LOCKED`; the agent
 * slot is reserved, the attempt created with a lease and the next fencing
 * token, and the session set running, all in one transaction. Agents are
 * locked per tenant, tenants in one order, so two replicas cannot deadlock
 * on each other's agent rows; a tenant's counts are read under those locks,
 * so two replicas cannot both fill its last slot.
 */
export async function claimQueued(
  db: CrossTenantDatabase,
  options: { replica: string; limit: number; runnerHealthy: (runnerId: string | null) => boolean; now: Date },
): Promise<Claim[]> {
  return db.transaction(async (tx) => {
    const resumes = await readResumeRequests(tx, options.limit);
    const queuedTenants = await listTenantsWithQueuedWork(tx);
    if (resumes.length === 0 && queuedTenants.length === 0) return [];
    // A first look, unlocked: a tenant that may start nothing now is passed over without locking its agents.
    const ids = [...new Set([...resumes.map((r) => r.tenantId), ...queuedTenants])].sort();
    const glance = await readDispatchTenants(tx, ids);
    const openIds: string[] = [];
    for (const id of ids) {
      const tenant = glance.get(id);
      const wait = tenant ? computeDispatchWait(tenant) : null;
      if (tenant && wait === null) openIds.push(id);
      else if (wait && queuedTenants.includes(id)) await markQueuedWaiting(tx, id, wait, EXPLAINED_HEAD);
    }
    const agentsByTenant = new Map<string, AgentWithLoad[]>();
    for (const id of openIds) agentsByTenant.set(id, await lockAgentsForDispatch(tx, id));
    // Read again under the agents' locks: what another replica's round started meanwhile is counted.
    const tenants = await readDispatchTenants(tx, openIds, glance);
    const assigned = new Map<string, AgentWithLoad>();

    const claims: Claim[] = [];
    for (const session of resumes) {
      const tenant = tenants.get(session.tenantId);
      const looked = glance.get(session.tenantId);
      const wait = tenant
        ? computeDispatchWait(tenant)
        : looked
          ? computeDispatchWait(looked)
          : "waiting: no such tenant";
      // A person asked for it, so its breaker does not hold it back; the tenant's quota does.
      const own = (agentsByTenant.get(session.tenantId) ?? [])
        .filter((a) => a.id === session.agentId)
        .map((a) => ({ ...a, runnerHealthy: options.runnerHealthy(a.runnerId), breaker: closedBreaker() }));
      const decision =
        wait === null
          ? computeRoute({ ...session, requiredCapabilities: [], preferredAgentId: session.agentId }, own, options.now)
          : { agentId: null, reason: wait };
      if (decision.agentId === null) {
        if (session.statusReason !== decision.reason)
          await updateSession(tx, session, { statusReason: decision.reason });
        continue;
      }
      const agent = agentsByTenant.get(session.tenantId)!.find((a) => a.id === decision.agentId)!;
      agent.running++;
      tenant!.running++;
      assigned.set(agent.id, agent);
      claims.push(await resume(tx, session, agent, options.replica, session.fencingToken + 1));
    }

    const open = openIds
      .filter((id) => queuedTenants.includes(id) && tenants.has(id))
      .map((id) => ({ tenant: tenants.get(id)!, agents: agentsByTenant.get(id)! }));
    const starts = await planQueuedStarts(tx, open, {
      slots: options.limit - claims.length,
      now: options.now,
      runnerHealthy: options.runnerHealthy,
    });
    for (const s of starts) assigned.set(s.agent.id, s.agent as AgentWithLoad);
    claims.push(...(await batchStartAttempts(tx, starts, options.replica, new Date())));
    await touchAgentsAssigned(tx, [...assigned.values()]);
    return claims;
  });
}

async function resume(
  tx: Queryable,
  session: Session,
  agent: AgentWithLoad,
  replica: string,
  fencingToken: number,
): Promise<Claim> {
  const previous = await latestAttempt(tx, session.tenantId, session.id);
  if (!previous) throw new Error(`paused session ${session.id} has no attempt`);
  const attempt = await leaseAttempt(tx, session.tenantId, previous.id, replica, fencingToken);
  const events = await transitionSession(tx, session, "running", "resumed by request", {
    patch: { fencingToken, requestedAction: null, requestedActionPayload: null },
    events: [
      {
        type: "session.attempt",
        payload: {
          attempt: attempt.number,
          agentId: agent.id,
          runnerId: attempt.runnerId,
          openCodeSessionId: attempt.openCodeSessionId,
          action: "resumed",
          replica,
        },
      },
    ],
    attempt: attempt.number,
  });
  return { session, attempt, agent, kind: "resumed", events };
}
