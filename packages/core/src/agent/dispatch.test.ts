import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Capability } from "./agent";
import { closedBreaker, type Breaker } from "./breaker";
import {
  computeAvailableCapabilities,
  computeDispatchReadLimit,
  computeNoAgentWait,
  computeDispatchWait,
  planFairDispatch,
  type DispatchRequest,
  type DispatchTenant,
} from "./dispatch";
import type { RoutingCandidate } from "./routing";
import { routingCandidate } from "./testing/routing-candidate";

const NOW = new Date("2026-12-05T12:00:00.000Z");
/** An agent of `tenantId` that can generate code (the sessions below need nothing else unless they say so). */
const agent = (id: string, tenantId: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate =>
  routingCandidate(id, { tenantId, capabilities: ["code_generation"] as Capability[], ...over });

let seq = 0;
function session(tenantId: string, requiredCapabilities: string[] = [], minute = seq++): DispatchRequest {
  return {
    id: `s-${tenantId}-${minute}`,
    tenantId,
    type: "execution",
    requiredCapabilities,
    preferredAgentId: null,
    dispatchKey: new Date(NOW.getTime() + minute * 60_000).toISOString(),
  };
}

const tenant = (tenantId: string, over: Partial<DispatchTenant> = {}): DispatchTenant => ({
  tenantId,
  weight: 1,
  running: 0,
  quota: 100,
  active: true,
  budgetWait: null,
  ...over,
});
const openBreaker: Breaker = { ...closedBreaker(), state: "open", openedAt: NOW.toISOString(), cooldownSeconds: 60 };
const halfOpen: Breaker = {
  ...closedBreaker(),
  state: "open",
  openedAt: new Date(NOW.getTime() - 120_000).toISOString(),
  cooldownSeconds: 60,
};

describe("which queued sessions are worth reading", () => {
  it("the capability sets of agents that could take one now, once each: not full, draining, in maintenance, behind an open breaker or an unhealthy runner", () => {
    const caps = computeAvailableCapabilities(
      [
        agent("a", "t", { capabilities: ["testing", "code_generation"] }),
        agent("b", "t", { capabilities: ["code_generation", "testing"] }),
        agent("full", "t", { capabilities: ["security_audit"], running: 2 }),
        agent("draining", "t", { capabilities: ["debugging"], status: "draining" }),
        agent("maint", "t", { capabilities: ["deployment"], maintenance: true }),
        agent("open", "t", { capabilities: ["documentation"], breaker: openBreaker }),
        agent("sick", "t", { capabilities: ["refactoring"], runnerHealthy: false }),
        agent("trial", "t", { capabilities: ["monitoring"], breaker: halfOpen }),
      ],
      NOW,
    );
    expect(caps).toEqual([["code_generation", "testing"], ["monitoring"]]);
    expect(computeAvailableCapabilities([agent("full", "t", { running: 2 })], NOW)).toEqual([]);
  });

  it("reads no more than the round could start: quota room, free agent slots, the round's slots", () => {
    const agents = [
      agent("a", "t", { maxConcurrent: 3, running: 1 }),
      agent("b", "t", { maxConcurrent: 4 }),
      agent("off", "t", { status: "offline" }),
    ];
    expect(computeDispatchReadLimit(tenant("t"), agents, 100, NOW)).toBe(6);
    expect(computeDispatchReadLimit(tenant("t"), agents, 4, NOW)).toBe(4);
    expect(computeDispatchReadLimit(tenant("t", { running: 8, quota: 10 }), agents, 100, NOW)).toBe(2);
    expect(computeDispatchReadLimit(tenant("t", { running: 12, quota: 10 }), agents, 100, NOW)).toBe(0);
    expect(computeDispatchReadLimit(tenant("t"), [], 100, NOW)).toBe(0);
  });

  it("says when the quota, a used-up budget or being inactive holds a tenant's sessions back, and that no active agent could ever take a session", () => {
    expect(computeDispatchWait({ running: 2, quota: 3, active: true, budgetWait: null })).toBeNull();
    expect(computeDispatchWait({ running: 3, quota: 3, active: true, budgetWait: null })).toBe(
      "waiting: tenant quota of 3 running sessions reached",
    );
    expect(computeDispatchWait({ running: 0, quota: 0, active: true, budgetWait: null })).toBe(
      "waiting: tenant quota of 0 running sessions reached",
    );
    expect(computeDispatchWait({ running: 1, quota: 1, active: true, budgetWait: null })).toBe(
      "waiting: tenant quota of 1 running session reached",
    );
    expect(computeDispatchWait({ running: 0, quota: 3, active: false, budgetWait: null })).toBe(
      "waiting: tenant is inactive",
    );
    const spent = "waiting: tenant monthly token budget of 10 is used up";
    expect(computeDispatchWait({ running: 0, quota: 3, active: true, budgetWait: spent })).toBe(spent);
    expect(computeDispatchReadLimit(tenant("t", { budgetWait: spent }), [agent("a", "t")], 10, NOW)).toBe(0);
    expect(computeNoAgentWait([])).toBe("waiting: the tenant has no active agent");
    expect(computeNoAgentWait(["security_audit", "testing"])).toBe(
      "waiting: no active agent of the tenant has security_audit, testing",
    );
  });
});

describe("planFairDispatch", () => {
  it("no head-of-line blocking: 25 sessions only a busy specialist can take do not hold back one another agent can", () => {
    const blocked = Array.from({ length: 25 }, () => session("t", ["security_audit"]));
    const routable = session("t", ["code_generation"]);
    const plan = planFairDispatch({
      slots: 4,
      now: NOW,
      tenants: [
        {
          ...tenant("t"),
          queued: [...blocked, routable],
          agents: [
            agent("auditor", "t", { capabilities: ["security_audit"], maxConcurrent: 1, running: 1 }),
            agent("coder", "t"),
          ],
        },
      ],
    });
    expect(plan.dispatched.map((d) => [d.session.id, d.decision.agentId])).toEqual([[routable.id, "coder"]]);
  });

  it("gives the free slots to the tenant with the smallest running share: B's five go first although A queued 200 before them", () => {
    const a = Array.from({ length: 200 }, () => session("A"));
    const b = Array.from({ length: 5 }, () => session("B"));
    const plan = planFairDispatch({
      slots: 3,
      now: NOW,
      tenants: [
        { ...tenant("A", { running: 16 }), queued: a, agents: [agent("a1", "A", { maxConcurrent: 40, running: 16 })] },
        { ...tenant("B"), queued: b, agents: [agent("b1", "B", { maxConcurrent: 40 })] },
      ],
    });
    expect(plan.dispatched.map((d) => d.session.id)).toEqual(b.slice(0, 3).map((s) => s.id));
  });

  it("shares by weight while both have work, and hands the rest to whoever still has some", () => {
    const queued = (t: string, n: number) => Array.from({ length: n }, () => session(t));
    const big = { maxConcurrent: 100 };
    // Heavy (weight 2) with 20 queued, light (weight 1) with `light` queued, nine slots.
    const round = (light: number) =>
      planFairDispatch({
        slots: 9,
        now: NOW,
        tenants: [
          { ...tenant("heavy", { weight: 2 }), queued: queued("heavy", 20), agents: [agent("h", "heavy", big)] },
          { ...tenant("light"), queued: queued("light", light), agents: [agent("l", "light", big)] },
        ],
      });
    const plan = round(20);
    const count = (t: string) => plan.dispatched.filter((d) => d.session.tenantId === t).length;
    expect([count("heavy"), count("light")]).toEqual([6, 3]);

    const uneven = round(1);
    expect(uneven.dispatched.filter((d) => d.session.tenantId === "heavy")).toHaveLength(8);
  });

  it("stops a tenant at its quota and an agent at its capacity, counting the round's own choices", () => {
    const plan = planFairDispatch({
      slots: 10,
      now: NOW,
      tenants: [
        {
          ...tenant("q", { running: 1, quota: 3 }),
          queued: Array.from({ length: 5 }, () => session("q")),
          agents: [agent("q1", "q", { maxConcurrent: 10, running: 1 })],
        },
        {
          ...tenant("c"),
          queued: Array.from({ length: 5 }, () => session("c")),
          agents: [agent("c1", "c", { maxConcurrent: 3, running: 1 })],
        },
      ],
    });
    const count = (t: string) => plan.dispatched.filter((d) => d.session.tenantId === t).length;
    expect([count("q"), count("c")]).toEqual([2, 2]);
    expect(plan.agents.get("q1")!.running).toBe(3);
    expect(plan.agents.get("c1")!.running).toBe(3);
  });

  it("lets one trial through a half-open breaker and reports it taken; leaves its inputs as they were", () => {
    const agents = [agent("t1", "t", { breaker: halfOpen, maxConcurrent: 5 })];
    const input = {
      slots: 3,
      now: NOW,
      tenants: [{ ...tenant("t"), queued: [session("t"), session("t"), session("t")], agents }],
    };
    const before = JSON.stringify(input);
    const plan = planFairDispatch(input);
    expect(plan.dispatched).toHaveLength(1);
    expect(plan.breakersTaken).toEqual(["t1"]);
    expect(plan.agents.get("t1")!.breaker.trialInFlight).toBe(true);
    expect(JSON.stringify(input)).toBe(before);
  });

  it("never exceeds the slots, a quota or an agent's capacity, and keeps each tenant's queue order (property)", () => {
    const caps = ["code_generation", "testing", "security_audit"] as const;
    const tenantArb = fc.record({
      weight: fc.constantFrom(0.5, 1, 2, 5),
      running: fc.nat({ max: 6 }),
      quota: fc.nat({ max: 8 }),
      queued: fc.array(fc.subarray([...caps], { maxLength: 2 }), { maxLength: 12 }),
      agents: fc.array(
        fc.record({
          caps: fc.subarray([...caps], { minLength: 1 }),
          max: fc.integer({ min: 1, max: 4 }),
          running: fc.nat({ max: 4 }),
        }),
        { maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(fc.array(tenantArb, { minLength: 1, maxLength: 4 }), fc.nat({ max: 12 }), (drawn, slots) => {
        const tenants = drawn.map((d, i) => {
          const id = `t${i}`;
          return {
            ...tenant(id, { weight: d.weight, running: d.running, quota: d.quota }),
            queued: d.queued.map((required, j) => ({ ...session(id, required, j), id: `${id}-${j}` })),
            agents: d.agents.map((a, j) =>
              agent(`${id}-a${j}`, id, {
                capabilities: a.caps as Capability[],
                maxConcurrent: a.max,
                running: Math.min(a.running, a.max),
              }),
            ),
          };
        });
        const plan = planFairDispatch({ slots, now: NOW, tenants });
        expect(plan.dispatched.length).toBeLessThanOrEqual(slots);
        for (const t of tenants) {
          const mine = plan.dispatched.filter((d) => d.session.tenantId === t.tenantId);
          expect(mine.length).toBeLessThanOrEqual(Math.max(0, t.quota - t.running));
          const order = mine.map((d) => t.queued.indexOf(d.session));
          expect(order).toEqual([...order].sort((x, y) => x - y));
          for (const a of t.agents)
            expect(plan.agents.get(a.id)!.running).toBeLessThanOrEqual(Math.max(a.maxConcurrent, a.running));
          for (const d of mine)
            expect(t.agents.find((a) => a.id === d.decision.agentId)!.capabilities).toEqual(
              expect.arrayContaining([...d.session.requiredCapabilities]),
            );
        }
        // Work conserving: a slot is left free only when no tenant has a session an agent with room could take.
        if (plan.dispatched.length < slots)
          for (const t of tenants) {
            if (t.running + plan.dispatched.filter((d) => d.session.tenantId === t.tenantId).length >= t.quota)
              continue;
            const taken = new Set(plan.dispatched.map((d) => d.session.id));
            for (const s of t.queued.filter((q) => !taken.has(q.id)))
              expect(
                t.agents.some((a) => {
                  const now = plan.agents.get(a.id)!;
                  return (
                    now.running < now.maxConcurrent &&
                    s.requiredCapabilities.every((c) => (a.capabilities as string[]).includes(c))
                  );
                }),
              ).toBe(false);
          }
      }),
      { numRuns: 300 },
    );
  });
});
