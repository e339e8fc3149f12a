import { breakerDispatched, closedBreaker, computeRoute, type Agent, type Attempt, type Session, type SessionEvent } from "@industrial/core";
import { lockAgentsForDispatch, setAgentBreaker, touchAgentsAssigned, type AgentWithLoad } from "../agents";
import { latestAttempt, leaseAttempt } from "../attempts";
import type { Queryable } from "../database";
import type { CrossTenantDatabase } from "../tenant-wall";
import { sessionFromRow } from "../rows";
import { batchStartAttempts, type PlannedStart } from "./batch-start-attempts";
import { transitionSession, updateSession } from "../session-writes";

export interface Claim {
  session: Session;
  attempt: Attempt;
  agent: Agent;
  /** started: a new attempt; resumed: a paused attempt continues its OpenCode session. */
  kind: "started" | "resumed";
  events: SessionEvent[];
}

/**
 * Dispatch: takes queued sessions in dispatch-key order (priority with
 * ageing) with `FOR NO KEY UPDATE SKIP LOCKED`, routes each, reserves the agent slot
 * in the same transaction, creates the attempt with a lease and the next
 * fencing token, and sets running. Paused sessions whose resume was asked for
 * are claimed the same way and keep their attempt. Queued work is taken
 * across tenants (the owner connection); agents are locked, and each
 * session written, under the session's own tenant.
 */
export async function claimQueued(
  db: CrossTenantDatabase,
  options: { replica: string; limit: number; runnerHealthy: (runnerId: string | null) => boolean; now: Date },
): Promise<Claim[]> {
  return db.transaction(async (tx) => {
    const resumes = await tx.query(
      "SELECT * FROM sessions WHERE status = 'paused' AND requested_action = 'resume' LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED",
      [options.limit],
    );
    // Resumes count against the same limit: a tick never claims more than the free slots it was given.
    const queued = await tx.query("SELECT * FROM sessions WHERE status = 'queued' ORDER BY dispatch_key, id LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED", [
      Math.max(0, options.limit - resumes.length),
    ]);
    const rows = [...resumes, ...queued];
    if (rows.length === 0) return [];
    const sessions = rows.map(sessionFromRow);
    // The rows are locked: their fencing tokens cannot move under us.
    const tokens = new Map(rows.map((r) => [r.id as string, r.fencing_token as number]));
    const assigned = new Map<string, AgentWithLoad>();
    // Agents of every tenant in the batch are locked up front, tenants in one order, so two
    // replicas with mixed batches cannot deadlock on each other's agent rows.
    const agentsByTenant = new Map<string, AgentWithLoad[]>();
    for (const tenantId of [...new Set(sessions.map((s) => s.tenantId))].sort()) agentsByTenant.set(tenantId, await lockAgentsForDispatch(tx, tenantId));
    const claims: Claim[] = [];
    const starts: PlannedStart[] = [];
    for (const session of sessions) {
      const agents = agentsByTenant.get(session.tenantId)!;
      const candidates = agents.map((a) => ({ ...a, runnerHealthy: options.runnerHealthy(a.runnerId) }));
      // A resume goes back to the session's own agent; a person asked for it, so its breaker does not hold it back.
      const decision =
        session.status === "paused"
          ? computeRoute(
              { ...session, requiredCapabilities: [], preferredAgentId: session.agentId },
              candidates.filter((a) => a.id === session.agentId).map((a) => ({ ...a, breaker: closedBreaker() })),
              options.now,
            )
          : computeRoute(session, candidates, options.now);
      if (decision.agentId === null) {
        if (session.statusReason !== decision.reason) await updateSession(tx, session, { statusReason: decision.reason });
        continue;
      }
      const agent = agents.find((a) => a.id === decision.agentId)!;
      agent.running++;
      if (session.status !== "paused") {
        // A half-open breaker lets one trial through: mark it taken in this same transaction.
        const breaker = breakerDispatched(agent.breaker, options.now);
        if (breaker !== agent.breaker) {
          agent.breaker = breaker;
          await setAgentBreaker(tx, agent);
        }
      }
      assigned.set(agent.id, agent);
      const fencingToken = tokens.get(session.id)! + 1;
      if (session.status === "paused") claims.push(await resume(tx, session, agent, options.replica, fencingToken));
      else starts.push({ session, agent, reason: decision.reason, fencingToken });
    }
    claims.push(...(await batchStartAttempts(tx, starts, options.replica, new Date())));
    await touchAgentsAssigned(tx, [...assigned.values()]);
    return claims;
  });
}

async function resume(tx: Queryable, session: Session, agent: AgentWithLoad, replica: string, fencingToken: number): Promise<Claim> {
  const previous = await latestAttempt(tx, session.tenantId, session.id);
  if (!previous) throw new Error(`paused session ${session.id} has no attempt`);
  const attempt = await leaseAttempt(tx, session.tenantId, previous.id, replica, fencingToken);
  const events = await transitionSession(tx, session, "running", "resumed by request", {
    patch: { fencingToken, requestedAction: null, requestedActionPayload: null },
    events: [{ type: "session.attempt", payload: { attempt: attempt.number, agentId: agent.id, runnerId: attempt.runnerId, openCodeSessionId: attempt.openCodeSessionId, action: "resumed", replica } }],
    attempt: attempt.number,
  });
  return { session, attempt, agent, kind: "resumed", events };
}
