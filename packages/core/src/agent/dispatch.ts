import { breakerAdmits, breakerDispatched } from "./breaker";
import { computeRoute, type RoutingCandidate, type RoutingDecision, type RoutingRequest } from "./routing";

/*
 * Dispatch without head-of-line blocking, in fair shares between tenants
 * (README, "Scheduling"). The database reads, per tenant with queued work,
 * only the sessions some agent could take now (computeAvailableCapabilities),
 * in dispatch-key order; planFairDispatch then hands the free slots out one
 * at a time to the tenant with the smallest running share (running ÷ weight),
 * and computeRoute chooses the agent as before.
 */

/** A tenant with queued work, as one dispatch round sees it. */
export interface DispatchTenant {
  tenantId: string;
  /** Its weight in the share of running slots (tenants.weight, > 0). */
  weight: number;
  /** Sessions running now (running or degraded). */
  running: number;
  /** maxConcurrentSessions: how many may run at once. */
  quota: number;
  /** An inactive tenant starts nothing (its queued sessions wait). */
  active: boolean;
  /** A monthly budget used up (computeAdmissionBlock), or null: checked at dispatch too, so a queue admitted just under budget does not all run. */
  budgetWait: string | null;
}

/** A queued session as dispatch needs it: routing's request and its place in the queue. */
export type DispatchRequest = RoutingRequest & { id: string; dispatchKey: string | null };

/** Whether an agent could take a session now, whatever it requires: live, breaker admitting, runner healthy, a slot free. */
function hasRoom(c: RoutingCandidate, now: Date): boolean {
  return (
    c.status === "active" &&
    !c.maintenance &&
    breakerAdmits(c.breaker, now) &&
    c.runnerHealthy &&
    c.running < c.maxConcurrent
  );
}

/**
 * The capability sets of the tenant's agents that could take a session now,
 * without duplicates: a queued session is worth reading when one of them
 * holds every capability it requires. Empty: nothing can be dispatched.
 */
export function computeAvailableCapabilities(candidates: readonly RoutingCandidate[], now: Date): string[][] {
  const seen = new Map<string, string[]>();
  for (const c of candidates) {
    if (!hasRoom(c, now)) continue;
    const caps = [...new Set(c.capabilities as readonly string[])].sort();
    seen.set(caps.join("\n"), caps);
  }
  return [...seen.values()];
}

/**
 * How many of a tenant's queued sessions one round reads at most: what it
 * could start — its quota's room, its agents' free slots, the round's slots.
 */
export function computeDispatchReadLimit(
  tenant: DispatchTenant,
  candidates: readonly RoutingCandidate[],
  slots: number,
  now: Date,
): number {
  if (computeDispatchWait(tenant) !== null) return 0;
  const free = candidates.filter((c) => hasRoom(c, now)).reduce((n, c) => n + (c.maxConcurrent - c.running), 0);
  return Math.max(0, Math.min(tenant.quota - tenant.running, free, slots));
}

/** Why none of a tenant's queued sessions may start now, worded for the person reading the session (null: room left). */
export function computeDispatchWait(
  tenant: Pick<DispatchTenant, "running" | "quota" | "active" | "budgetWait">,
): string | null {
  if (!tenant.active) return "waiting: tenant is inactive";
  if (tenant.budgetWait) return tenant.budgetWait;
  return tenant.running >= tenant.quota
    ? `waiting: tenant quota of ${tenant.quota} running session${tenant.quota === 1 ? "" : "s"} reached`
    : null;
}

/**
 * Why admission keeps a session pending that no active agent of its tenant
 * could ever take (none holds every capability it requires, whatever its
 * load): it would only wait in the queue. It is queued once one does.
 */
export function computeNoAgentWait(requiredCapabilities: readonly string[]): string {
  return requiredCapabilities.length === 0
    ? "waiting: the tenant has no active agent"
    : `waiting: no active agent of the tenant has ${requiredCapabilities.join(", ")}`;
}

export interface FairDispatchInput<S extends DispatchRequest> {
  /** Free slots of this round. */
  slots: number;
  /** Each tenant with its queued sessions in dispatch-key order (those read) and its agents (their load as of now). */
  tenants: readonly (DispatchTenant & { queued: readonly S[]; agents: readonly RoutingCandidate[] })[];
  now: Date;
}

export interface FairDispatchPlan<S extends DispatchRequest> {
  /** In the order they were chosen, each with the agent routing chose. */
  dispatched: { session: S; decision: Extract<RoutingDecision, { agentId: string }> }[];
  /** Agents after the round: their load counted, a half-open breaker's trial marked taken. */
  agents: Map<string, RoutingCandidate>;
  /** Agents whose breaker changed (a trial taken): written back with the claim. */
  breakersTaken: string[];
}

/**
 * Hands the round's slots out one at a time: to the tenant whose running
 * share (running + dispatched this round, ÷ weight) is smallest, ties to the
 * earlier head of queue, then the tenant id; within the tenant, its next
 * session that an agent can take (computeRoute, against loads that count the
 * round's earlier choices). A tenant at its quota, or with nothing left that
 * an agent can take, drops out. Pure: the inputs are not changed.
 */
export function planFairDispatch<S extends DispatchRequest>(input: FairDispatchInput<S>): FairDispatchPlan<S> {
  const agents = new Map<string, RoutingCandidate>();
  for (const t of input.tenants) for (const a of t.agents) agents.set(a.id, { ...a });
  const states = input.tenants.map((t) => ({ t, next: 0, taken: 0, agents: t.agents.map((a) => agents.get(a.id)!) }));
  const dispatched: FairDispatchPlan<S>["dispatched"] = [];
  const breakersTaken = new Set<string>();
  let slots = input.slots;
  while (slots > 0) {
    let best: (typeof states)[number] | null = null;
    for (const s of states) {
      if (s.next >= s.t.queued.length || computeDispatchWait({ ...s.t, running: s.t.running + s.taken }) !== null)
        continue;
      if (best === null || compareTurn(s, best) < 0) best = s;
    }
    if (best === null) break;
    const session = best.t.queued[best.next++]!;
    const decision = computeRoute(session, best.agents, input.now);
    if (decision.agentId === null) continue;
    const agent = agents.get(decision.agentId)!;
    agent.running++;
    const breaker = breakerDispatched(agent.breaker, input.now);
    if (breaker !== agent.breaker) {
      agent.breaker = breaker;
      breakersTaken.add(agent.id);
    }
    dispatched.push({ session, decision });
    best.taken++;
    slots--;
  }
  return { dispatched, agents, breakersTaken: [...breakersTaken] };
}

type TurnState = { t: DispatchTenant & { queued: readonly DispatchRequest[] }; next: number; taken: number };

function compareTurn(a: TurnState, b: TurnState): number {
  const share = (s: TurnState) => (s.t.running + s.taken) / s.t.weight;
  const head = (s: TurnState) => s.t.queued[s.next]!.dispatchKey ?? "";
  return share(a) - share(b) || head(a).localeCompare(head(b)) || a.t.tenantId.localeCompare(b.t.tenantId);
}
