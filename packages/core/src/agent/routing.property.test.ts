import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CAPABILITIES, TIERS, type AgentStats, type Capability } from "./agent";
import { breakerAdmits, closedBreaker, type Breaker } from "./breaker";
import type { CostByModel } from "../session/model-usage";
import { computeRoute, type RoutingCandidate, type RoutingRequest } from "./routing";
import { SESSION_TYPES } from "../session/session";

// Property tests of computeRoute (docs/domain.md, Agents). Candidates are
// drawn from a small world (two tenants, six capabilities, a handful of agents)
// so that eligible and ineligible agents, ties and preferred agents all occur
// often. fast-check picks a fresh seed each run and prints it with the shrunk
// counterexample on failure; pass { seed, path } to fc.assert to replay it.

const NOW = new Date("2026-03-29T12:00:00.000Z");
const TENANTS = ["t-1", "t-2"] as const;
const CAPS = CAPABILITIES.slice(0, 6) as readonly Capability[];
const RUNS = { numRuns: 400 };

const capsArb = fc.subarray([...CAPS]);
const MODELS = ["p/a", "p/b", "p/c"] as const;
/** The model cooldown of the spec (README, Routing): 15 minutes. */
const COOLDOWN_MS = 15 * 60_000;

/** Per-model cost records; a switch away from a model now and then, often right at the edge of the cooldown. */
const costByModelArb: fc.Arbitrary<CostByModel> = fc.dictionary(
  fc.constantFrom(...MODELS),
  fc.record({
    attempts: fc.nat({ max: 5 }),
    avgCostUsd: fc.double({ min: 0, max: 20, noNaN: true, noDefaultInfinity: true }),
    switchedAwayAt: fc.option(
      fc
        .oneof(
          fc.integer({ min: -60_000, max: 2 * COOLDOWN_MS }),
          fc.integer({ min: -2, max: 2 }).map((d) => COOLDOWN_MS + d),
        )
        .map((ago) => new Date(NOW.getTime() - ago).toISOString()),
    ),
  }),
  { maxKeys: MODELS.length },
);

const statsArb: fc.Arbitrary<AgentStats> = fc
  .record({
    finished: fc.nat({ max: 60 }),
    successShare: fc.double({ min: 0, max: 1, noNaN: true }),
    avgCostUsd: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 20, noNaN: true, noDefaultInfinity: true })),
    perCapability: fc.dictionary(
      fc.constantFrom(...CAPS),
      fc
        .nat({ max: 30 })
        .chain((finished) => fc.record({ finished: fc.constant(finished), succeeded: fc.nat({ max: finished }) })),
      { maxKeys: CAPS.length },
    ),
  })
  .map(({ finished, successShare, avgCostUsd, perCapability }) => {
    const succeeded = Math.floor(finished * successShare);
    return {
      finished,
      succeeded,
      failed: finished - succeeded,
      successRate: finished ? succeeded / finished : 0,
      avgDurationSeconds: 60,
      avgTokens: 1000,
      avgCostUsd,
      perCapability,
    };
  });

/** Closed, open (inside or past its cooldown, often right at the edge) or half-open with or without its trial. */
const breakerArb: fc.Arbitrary<Breaker> = fc.oneof(
  {
    arbitrary: fc.constant<Breaker>(closedBreaker()),
    weight: 2,
  },
  fc
    .record({
      cooldownSeconds: fc.constantFrom(60, 120, 240, 1800),
      elapsed: fc.oneof(
        fc.integer({ min: 0, max: 4000 }),
        fc.integer({ min: -2, max: 2 }).map((d) => ({ edge: d })),
      ),
      trialInFlight: fc.boolean(),
    })
    .map(({ cooldownSeconds, elapsed, trialInFlight }) => {
      const seconds = typeof elapsed === "number" ? elapsed : cooldownSeconds + elapsed.edge;
      return {
        state: "open" as const,
        consecutiveFailures: 5,
        recent: [false, false, false, false, false],
        openedAt: new Date(NOW.getTime() - seconds * 1000).toISOString(),
        cooldownSeconds,
        trialInFlight,
      };
    }),
  fc.boolean().map<Breaker>((trialInFlight) => ({
    state: "half_open",
    consecutiveFailures: 5,
    recent: [],
    openedAt: new Date(NOW.getTime() - 120_000).toISOString(),
    cooldownSeconds: 60,
    trialInFlight,
  })),
);

/** A candidate without its id and name (they are given by position, so they are unique). */
const candidateArb = fc.record({
  tenantId: fc.constantFrom(TENANTS[0], TENANTS[0], TENANTS[0], TENANTS[1]),
  type: fc.constantFrom("architect", "implementer", "reviewer", "debugger", "integrator", "analyst" as const),
  capabilities: capsArb,
  maxConcurrent: fc.integer({ min: 1, max: 5 }),
  running: fc.nat({ max: 6 }),
  status: fc.constantFrom("active", "active", "active", "draining", "offline" as const),
  maintenance: fc.boolean().chain((b) => (b ? fc.boolean() : fc.constant(false))),
  tier: fc.constantFrom(...TIERS),
  stats: statsArb,
  model: fc.option(fc.constantFrom(...MODELS)),
  fallbackModels: fc.shuffledSubarray([...MODELS]),
  costByModel: costByModelArb,
  breaker: breakerArb,
  lastAssignedAt: fc.option(
    fc.integer({ min: 0, max: 5 }).map((h) => new Date(NOW.getTime() - h * 3_600_000).toISOString()),
  ),
  runnerHealthy: fc.oneof(fc.constant(true), fc.constant(true), fc.boolean()),
  /** Most candidates are made to fit the request (all but their breaker), so that choices are frequent. */
  fits: fc.oneof(fc.constant(true), fc.boolean()),
});

const worldArb = fc
  .record({
    bodies: fc.array(candidateArb, { maxLength: 7 }),
    type: fc.constantFrom(...SESSION_TYPES),
    requiredCapabilities: fc.subarray([...CAPS], { maxLength: 3 }),
    preferred: fc.option(fc.oneof(fc.nat({ max: 7 }), fc.constant("ghost" as const))),
    model: fc.option(fc.constantFrom(...MODELS), { nil: undefined }),
  })
  .map(({ bodies, type, requiredCapabilities, preferred, model }) => {
    const preferredAgentId = preferred === null ? null : preferred === "ghost" ? "agent-ghost" : `agent-${preferred}`;
    const req: RoutingRequest = {
      tenantId: TENANTS[0],
      type,
      requiredCapabilities,
      preferredAgentId,
      ...(model ? { model } : {}),
    };
    const candidates: RoutingCandidate[] = bodies.map(({ fits, ...b }, i) => {
      const c = { ...b, id: `agent-${i}`, name: `agent-${i}` };
      return fits ? { ...makeEligible(c, req), breaker: c.breaker } : c;
    });
    return { req, candidates };
  });

/** The breaker rule of the spec, written out independently of breaker.ts. */
function breakerBlocks(b: Breaker, now: Date): boolean {
  if (b.state === "closed") return false;
  if (b.state === "open" && now.getTime() < Date.parse(b.openedAt!) + b.cooldownSeconds * 1000) return true;
  return b.trialInFlight; // half-open (stored, or open past its cooldown): one trial at a time
}

/** The candidate rule of the spec (Routing), written out independently of routing.ts. */
function isEligible(c: RoutingCandidate, req: RoutingRequest, now: Date): boolean {
  return (
    c.tenantId === req.tenantId &&
    c.status === "active" &&
    !c.maintenance &&
    !breakerBlocks(c.breaker, now) &&
    c.runnerHealthy &&
    req.requiredCapabilities.every((cap) => c.capabilities.includes(cap as Capability)) &&
    c.running < c.maxConcurrent
  );
}

/**
 * The cost rule of the spec (README, Routing), written out independently of
 * model-cost.ts: the agent's mean cost on the model the session will run on —
 * the session's model, else the agent's, or, when an attempt left that one
 * within 15 minutes, the first of its fallbacks not left as recently — else
 * its mean over all attempts.
 */
function expectedCost(c: RoutingCandidate, req: RoutingRequest): number {
  const left = (m: string) => {
    const at = c.costByModel[m]?.switchedAwayAt;
    return typeof at === "string" && NOW.getTime() - Date.parse(at) < COOLDOWN_MS;
  };
  let model = req.model ?? c.model;
  if (model !== null && left(model)) model = [model, ...c.fallbackModels].find((m) => !left(m)) ?? model;
  const record = model === null ? undefined : c.costByModel[model];
  return record && record.attempts > 0 ? record.avgCostUsd : c.stats.avgCostUsd;
}

/** Turns a candidate into one that can take `req`, keeping its scoring inputs (tier, stats, type). */
function makeEligible(c: RoutingCandidate, req: RoutingRequest): RoutingCandidate {
  return {
    ...c,
    tenantId: req.tenantId,
    status: "active",
    maintenance: false,
    runnerHealthy: true,
    capabilities: [...new Set([...c.capabilities, ...(req.requiredCapabilities as Capability[])])],
    running: Math.min(c.running, c.maxConcurrent - 1),
    breaker: closedBreaker(),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("computeRoute (properties)", () => {
  it("the independent breaker rule agrees with breakerAdmits", () => {
    fc.assert(
      fc.property(breakerArb, (b) => {
        expect(breakerAdmits(b, NOW)).toBe(!breakerBlocks(b, NOW));
      }),
      RUNS,
    );
  });

  it("(a) chooses only an eligible agent, and excludes exactly the ineligible ones", () => {
    fc.assert(
      fc.property(worldArb, ({ req, candidates }) => {
        const d = computeRoute(req, candidates, NOW);
        const eligible = candidates.filter((c) => isEligible(c, req, NOW));
        expect(d.excluded.map((e) => e.agentId).sort()).toEqual(
          candidates
            .filter((c) => !eligible.includes(c))
            .map((c) => c.id)
            .sort(),
        );
        if (eligible.length === 0) {
          expect(d.agentId).toBeNull();
          return;
        }
        expect(d.agentId).not.toBeNull();
        const chosen = candidates.find((c) => c.id === d.agentId)!;
        expect(eligible).toContain(chosen);
        for (const cap of req.requiredCapabilities) expect(chosen.capabilities).toContain(cap);
        expect(chosen.status).toBe("active");
        expect(chosen.maintenance).toBe(false);
        expect(chosen.tenantId).toBe(req.tenantId);
        expect(chosen.runnerHealthy).toBe(true);
        expect(chosen.running).toBeLessThan(chosen.maxConcurrent);
      }),
      RUNS,
    );
  });

  it("(b) never chooses, nor offers as an alternative, an agent whose breaker does not admit now", () => {
    fc.assert(
      fc.property(worldArb, ({ req, candidates }) => {
        const d = computeRoute(req, candidates, NOW);
        const blocked = new Set(candidates.filter((c) => !breakerAdmits(c.breaker, NOW)).map((c) => c.id));
        if (d.agentId !== null) {
          expect(blocked.has(d.agentId)).toBe(false);
          for (const a of d.alternatives) expect(blocked.has(a.agentId)).toBe(false);
        }
        // A breaker is checked right after tenant, status and maintenance, so those agents are excluded for it.
        for (const c of candidates)
          if (blocked.has(c.id) && c.tenantId === req.tenantId && c.status === "active" && !c.maintenance)
            expect(d.excluded.find((e) => e.agentId === c.id)?.why).toMatch(/^circuit breaker (open until |half-open)/);
      }),
      RUNS,
    );
  });

  it("(c) an eligible preferred agent always wins", () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), ({ req, candidates }, pick) => {
        fc.pre(candidates.length > 0);
        const i = pick % candidates.length;
        const preferred = makeEligible(candidates[i]!, req);
        const world = candidates.map((c, j) => (j === i ? preferred : c));
        const d = computeRoute({ ...req, preferredAgentId: preferred.id }, world, NOW);
        expect(d.agentId).toBe(preferred.id);
        if (d.agentId !== null) expect(d.score.affinity).toBe(1);
      }),
      RUNS,
    );
  });

  it("(d) the total is the weighted sum of its terms, each in [0, 1] and as the spec defines it", () => {
    const tierScore = { ELITE: 1, STANDARD: 0.7, PROBATION: 0.4 };
    const fitting = {
      planning: "architect",
      review: "reviewer",
      debug: "debugger",
      integration: "integrator",
      execution: "implementer",
    };
    fc.assert(
      fc.property(worldArb, ({ req, candidates }) => {
        const d = computeRoute(req, candidates, NOW);
        if (d.agentId === null) return;
        const maxCost = Math.max(...candidates.filter((c) => isEligible(c, req, NOW)).map((c) => expectedCost(c, req)));
        for (const { agentId, score: s } of [{ agentId: d.agentId, score: d.score }, ...d.alternatives]) {
          const c = candidates.find((x) => x.id === agentId)!;
          expect(s.tier).toBe(tierScore[c.tier]);
          expect(s.load).toBeCloseTo(1 - c.running / c.maxConcurrent, 12);
          expect(s.cost).toBeCloseTo(maxCost > 0 ? 1 - expectedCost(c, req) / maxCost : 1, 12);
          expect(s.affinity).toBe(c.id === req.preferredAgentId || c.type === fitting[req.type] ? 1 : 0);
          // Laplace-smoothed: (succeeded + 1) / (finished + 2) over the required capabilities, overall when none.
          const counts = req.requiredCapabilities.length
            ? req.requiredCapabilities.map((cap) => c.stats.perCapability[cap] ?? { finished: 0, succeeded: 0 })
            : [c.stats];
          const finished = counts.reduce((n, x) => n + x.finished, 0);
          const succeeded = counts.reduce((n, x) => n + x.succeeded, 0);
          expect(s.capabilitySuccess).toBeCloseTo((succeeded + 1) / (finished + 2), 12);
          for (const term of [s.tier, s.capabilitySuccess, s.load, s.cost, s.affinity]) {
            expect(term).toBeGreaterThanOrEqual(0);
            expect(term).toBeLessThanOrEqual(1);
          }
          const sum = 0.35 * s.tier + 0.25 * s.capabilitySuccess + 0.2 * s.load + 0.1 * s.cost + 0.1 * s.affinity;
          // The documented weights, written out: a change to ROUTING_WEIGHTS must change domain.md too.
          expect(Math.abs(s.total - sum)).toBeLessThanOrEqual(1e-9);
        }
      }),
      RUNS,
    );
  });

  it("(e) the choice scores at least every alternative unless preferred; at most 3 alternatives, best first, never the choice", () => {
    fc.assert(
      fc.property(worldArb, ({ req, candidates }) => {
        const d = computeRoute(req, candidates, NOW);
        if (d.agentId === null) return;
        const eligible = candidates.filter((c) => isEligible(c, req, NOW));
        expect(d.alternatives.length).toBe(Math.min(3, eligible.length - 1));
        const ids = d.alternatives.map((a) => a.agentId);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).not.toContain(d.agentId);
        for (const id of ids) expect(eligible.map((c) => c.id)).toContain(id);
        if (d.agentId !== req.preferredAgentId)
          for (const a of d.alternatives) expect(d.score.total).toBeGreaterThanOrEqual(a.score.total);
        for (let k = 1; k < d.alternatives.length; k++)
          expect(d.alternatives[k - 1]!.score.total).toBeGreaterThanOrEqual(d.alternatives[k]!.score.total);
      }),
      RUNS,
    );
  });

  it("(e) equal totals go to the least recently assigned agent (never assigned first)", () => {
    // Twins: the same agent under two ids, assigned at different times, so totals tie exactly.
    fc.assert(
      fc.property(worldArb, fc.option(fc.integer({ min: 0, max: 5 })), ({ req, candidates }, hoursAgo) => {
        const request = { ...req, preferredAgentId: null };
        const twins = candidates.flatMap((c) => {
          const base = makeEligible(c, request);
          const older = hoursAgo === null ? null : new Date(NOW.getTime() - (hoursAgo + 1) * 3_600_000).toISOString();
          return [
            { ...base, lastAssignedAt: new Date(NOW.getTime() - (hoursAgo ?? 0) * 3_600_000).toISOString() },
            { ...base, id: `${c.id}-twin`, name: `${c.name}-twin`, lastAssignedAt: older },
          ];
        });
        const d = computeRoute(request, twins, NOW);
        if (d.agentId === null) {
          expect(twins).toEqual([]);
          return;
        }
        const ranked = [{ agentId: d.agentId, score: d.score }, ...d.alternatives];
        const assigned = (id: string) => twins.find((c) => c.id === id)!.lastAssignedAt ?? "";
        for (let k = 1; k < ranked.length; k++)
          if (ranked[k - 1]!.score.total === ranked[k]!.score.total)
            expect(assigned(ranked[k - 1]!.agentId) <= assigned(ranked[k]!.agentId)).toBe(true);
        // The best agent's twin is assigned earlier (or never), so the twin is the one chosen.
        expect(d.agentId).toMatch(/-twin$/);
      }),
      RUNS,
    );
  });

  it("(f) with no eligible candidate, agentId is null and every candidate is excluded with a reason", () => {
    const spoilers: ((c: RoutingCandidate) => RoutingCandidate)[] = [
      (c) => ({ ...c, tenantId: TENANTS[1] }),
      (c) => ({ ...c, status: "draining" }),
      (c) => ({ ...c, status: "offline" }),
      (c) => ({ ...c, maintenance: true }),
      (c) => ({ ...c, runnerHealthy: false }),
      (c) => ({ ...c, running: c.maxConcurrent }),
      (c) => ({
        ...c,
        breaker: {
          ...c.breaker,
          state: "open",
          openedAt: NOW.toISOString(),
          cooldownSeconds: 60,
          trialInFlight: false,
        },
      }),
      (c) => ({ ...c, breaker: { ...c.breaker, state: "half_open", trialInFlight: true } }),
      (c) => ({ ...c, capabilities: c.capabilities.filter((cap) => cap !== CAPS[0]) }),
    ];
    fc.assert(
      fc.property(
        worldArb,
        fc.array(fc.nat({ max: spoilers.length - 1 }), { minLength: 7, maxLength: 7 }),
        ({ req, candidates }, which) => {
          const request = { ...req, requiredCapabilities: [...new Set([CAPS[0]!, ...req.requiredCapabilities])] };
          const world = candidates.map((c, i) => spoilers[which[i]!]!(c));
          const d = computeRoute(request, world, NOW);
          expect(d.agentId).toBeNull();
          expect(d.excluded.map((e) => e.agentId)).toEqual(world.map((c) => c.id));
          for (const e of d.excluded) {
            expect(e.why.length).toBeGreaterThan(0);
            expect(e.agentName).toBe(world.find((c) => c.id === e.agentId)!.name);
          }
          expect(d.reason).toMatch(/^waiting for an agent/);
          if (world.length === 0) expect(d.reason).toMatch(/no agents registered$/);
        },
      ),
      RUNS,
    );
  });

  it("(g) is deterministic, ignores the candidates' order for its choice, and mutates nothing", () => {
    fc.assert(
      fc.property(worldArb, fc.nat(), ({ req, candidates }, shift) => {
        const before = structuredClone({ req, candidates });
        deepFreeze(req);
        deepFreeze(candidates);
        const first = computeRoute(req, candidates, NOW);
        const again = computeRoute(req, candidates, new Date(NOW.getTime()));
        expect(again).toEqual(first);
        expect({ req, candidates }).toEqual(before);
        // Rotating the list changes only the order of `excluded`.
        const k = candidates.length ? shift % candidates.length : 0;
        const rotated = computeRoute(req, [...candidates.slice(k), ...candidates.slice(0, k)], NOW);
        expect(rotated.agentId).toBe(first.agentId);
        if (rotated.agentId !== null && first.agentId !== null) {
          expect(rotated.alternatives).toEqual(first.alternatives);
          expect(rotated.score).toEqual(first.score);
        }
        expect([...rotated.excluded].sort((a, b) => a.agentId.localeCompare(b.agentId))).toEqual(
          [...first.excluded].sort((a, b) => a.agentId.localeCompare(b.agentId)),
        );
      }),
      RUNS,
    );
  });
});
