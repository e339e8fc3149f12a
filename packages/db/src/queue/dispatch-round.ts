import {
  computeAvailableCapabilities,
  computeDispatchReadLimit,
  computeDispatchWait,
  computeRoute,
  planFairDispatch,
  type DispatchTenant,
  type FairDispatchInput,
  type RoutingCandidate,
} from "@industrial/core";
import { setAgentBreaker } from "../agent-dispatch";
import type { AgentWithLoad } from "../agent-load";
import type { Queryable } from "../database";
import type { PlannedStart } from "./batch-start-attempts";
import { readRoutableQueued, readUnroutableHead, setQueuedReasons, type QueuedSession } from "./queued-reads";

/** Reads and plans of one round at most: each either starts something or moves every tenant's read past what it read. */
const MAX_PASSES = 4;

/** How many of a tenant's waiting sessions, from the head of its queue, say why they wait each round. */
export const EXPLAINED_HEAD = 20;

/** A tenant the round may start sessions of: its counts (read under its agents' locks) and its locked agents. */
export interface OpenTenant {
  tenant: DispatchTenant;
  agents: AgentWithLoad[];
}

/**
 * The queued part of a dispatch round (README, "Scheduling"): reads each
 * open tenant's head among the sessions its agents can take now, lets core
 * planFairDispatch hand out the slots, and reads on past what could not be
 * placed (all of it waiting for one agent that filled up) while slots stay
 * free. Updates the agents' loads and breakers in place.
 * @returns the attempts to start, in the order chosen.
 */
export async function planQueuedStarts(
  tx: Queryable,
  open: readonly OpenTenant[],
  options: { slots: number; now: Date; runnerHealthy: (runnerId: string | null) => boolean },
): Promise<PlannedStart[]> {
  const candidatesOf = (o: OpenTenant): RoutingCandidate[] =>
    o.agents.map((a) => ({ ...a, runnerHealthy: options.runnerHealthy(a.runnerId) }));
  const cursors = new Map<string, QueuedSession | null>(open.map((o) => [o.tenant.tenantId, null]));
  // Tenants whose every session an agent can take now was read: what is left of their queue waits, and says why.
  const settled = new Set<string>();
  const starts: PlannedStart[] = [];
  let slots = options.slots;
  for (let pass = 0; pass < MAX_PASSES && slots > 0; pass++) {
    const rounds: FairDispatchInput<QueuedSession>["tenants"][number][] = [];
    for (const o of open) {
      const id = o.tenant.tenantId;
      if (!cursors.has(id)) continue;
      const agents = candidatesOf(o);
      const limit = computeDispatchReadLimit(o.tenant, agents, slots, options.now);
      const capabilitySets = computeAvailableCapabilities(agents, options.now);
      const queued = await readRoutableQueued(tx, id, capabilitySets, limit, cursors.get(id) ?? null);
      if (capabilitySets.length === 0 || (limit > 0 && queued.length < limit)) settled.add(id);
      // Fewer than asked: nothing more this tenant's agents can take now.
      if (queued.length < limit || limit === 0) cursors.delete(id);
      else cursors.set(id, queued[queued.length - 1]!);
      if (queued.length > 0) rounds.push({ ...o.tenant, queued, agents });
    }
    if (rounds.length === 0) break;
    const plan = planFairDispatch({ slots, tenants: rounds, now: options.now });
    for (const { session, decision } of plan.dispatched) {
      const o = open.find((t) => t.tenant.tenantId === session.tenantId)!;
      const agent = o.agents.find((a) => a.id === decision.agentId)!;
      o.tenant.running++;
      starts.push({ session, agent, reason: decision.reason, fencingToken: session.fencingToken + 1 });
    }
    for (const o of open)
      for (const a of o.agents) {
        const after = plan.agents.get(a.id);
        if (!after) continue;
        a.running = after.running;
        if (plan.breakersTaken.includes(a.id)) {
          a.breaker = after.breaker;
          // A half-open breaker lets one trial through: marked taken in this same transaction.
          await setAgentBreaker(tx, a);
        }
      }
    slots -= plan.dispatched.length;
  }
  // Only where the rest of the queue is known to wait: the head read then finds it at once instead of walking past what could run.
  for (const o of open)
    if (settled.has(o.tenant.tenantId)) await explainWaiting(tx, o.tenant, candidatesOf(o), options.now);
  return starts;
}

/**
 * The head of a tenant's queue that no agent can take now says why —
 * routing's reason against the loads after the round (a busy specialist, an
 * open breaker) — written only where it changed.
 */
async function explainWaiting(
  tx: Queryable,
  tenant: DispatchTenant,
  agents: readonly RoutingCandidate[],
  now: Date,
): Promise<void> {
  if (computeDispatchWait(tenant)) return;
  const head = await readUnroutableHead(tx, tenant.tenantId, computeAvailableCapabilities(agents, now), EXPLAINED_HEAD);
  const reasons = head.flatMap((s) => {
    const d = computeRoute(s, agents, now);
    return d.agentId === null && d.reason !== s.statusReason ? [{ id: s.id, reason: d.reason }] : [];
  });
  await setQueuedReasons(tx, tenant.tenantId, reasons);
}
