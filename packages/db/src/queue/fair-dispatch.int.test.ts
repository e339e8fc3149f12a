import { randomUUID } from "node:crypto";
import { DEFAULT_AGENT_SANDBOX, type Capability } from "@industrial/core";
import { createTestDatabase, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertAgent, softDeleteAgent } from "../agents";
import { insertSession } from "../sessions";
import { bypassTenantWall } from "../tenant-wall";
import { insertTenant } from "../tenants";
import { newSession, newTenant } from "../testing/two-tenants";
import { admitPending } from "./admit-pending";
import { claimQueued } from "./claim-queued";
import { unqueueUnserved, unqueueUnservedEverywhere } from "./unqueue-unserved";
import { ROUTABLE_QUEUED_SQL, TENANTS_WITH_QUEUED_SQL } from "./queued-reads";

// Dispatch without head-of-line blocking, the quota applied at dispatch, fair
// shares between tenants (README, "Scheduling"), on real PostgreSQL and PGlite.
let t: TestDatabase;
const scheduler = () => bypassTenantWall(t.db, "tests drive the scheduler's queue operations");
const admit = () => admitPending(scheduler(), { now: new Date(Date.now() + 1000), limit: 1000 });
const claim = (limit: number) =>
  claimQueued(scheduler(), { replica: "r1", limit, runnerHealthy: () => true, now: new Date() });

async function tenant(slug: string, over: { maxConcurrentSessions?: number; weight?: number } = {}): Promise<string> {
  const row = await insertTenant(
    t.db,
    newTenant(`${slug}-${randomUUID().slice(0, 8)}`, {
      name: slug,
      maxConcurrentSessions: over.maxConcurrentSessions ?? 100,
      weight: over.weight ?? 1,
    }),
  );
  return row.id;
}

async function agent(
  tenantId: string,
  name: string,
  capabilities: Capability[],
  maxConcurrent: number,
): Promise<string> {
  const a = await insertAgent(
    t.db,
    {
      tenantId,
      name,
      type: "implementer",
      capabilities,
      model: null,
      openCodeAgent: "build",
      systemPrompt: null,
      temperature: null,
      permissions: [],
      maxConcurrent,
      runnerId: null,
      sandbox: DEFAULT_AGENT_SANDBOX,
    },
    60,
  );
  return a.id;
}

async function queue(
  tenantId: string,
  n: number,
  over: { requiredCapabilities?: string[]; priority?: "critical" | "low"; title?: string } = {},
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const { session } = await t.db.transaction((tx) =>
      insertSession(
        tx,
        newSession(tenantId, {
          title: over.title ?? "s",
          priority: over.priority ?? "medium",
          requiredCapabilities: over.requiredCapabilities ?? [],
        }),
      ),
    );
    ids.push(session.id);
  }
  await admit();
  return ids;
}

const statusOf = async (id: string) =>
  (
    await t.db.query<{ status: string; status_reason: string | null }>(
      "SELECT status, status_reason FROM sessions WHERE id = $1",
      [id],
    )
  )[0]!;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.drop());

describe(`dispatch on ${process.env.ORCHESTRATOR_TEST_DB}`, () => {
  it("a session another agent can take is dispatched while 25 that only a busy specialist can take wait ahead of it, and they do not use up the quota", async () => {
    const id = await tenant("hol", { maxConcurrentSessions: 3 });
    await agent(id, "auditor", ["security_audit"], 1);
    await agent(id, "coder", ["code_generation"], 5);
    const [busy] = await queue(id, 1, { requiredCapabilities: ["security_audit"] });
    expect((await claim(10)).map((c) => c.session.id)).toEqual([busy]);

    const waiting = await queue(id, 25, { requiredCapabilities: ["security_audit"], priority: "critical" });
    const [routable] = await queue(id, 1, { requiredCapabilities: ["code_generation"], priority: "low" });
    // Queued, not held pending by a quota the 25 would fill.
    expect((await statusOf(routable!)).status).toBe("queued");
    const claims = await claim(4);
    expect(claims.map((c) => [c.session.id, c.agent.name])).toEqual([[routable, "coder"]]);
    for (const w of waiting) expect((await statusOf(w)).status).toBe("queued");

    // Two running = the quota of 3 less one: one more routable session runs, the next waits at dispatch, saying why.
    const [second] = await queue(id, 1, { requiredCapabilities: ["code_generation"] });
    const [third] = await queue(id, 1, { requiredCapabilities: ["code_generation"] });
    expect((await claim(4)).map((c) => c.session.id)).toEqual([second]);
    expect(await claim(4)).toEqual([]);
    expect((await statusOf(third!)).status).toBe("queued");
    // The head of the tenant's queue (the first 20 in dispatch order; admission keeps a batch in creation order) says why.
    expect(await statusOf(waiting[0]!)).toEqual({
      status: "queued",
      status_reason: "waiting: tenant quota of 3 running sessions reached",
    });
  });

  it("in one round, reads on past what waits for an agent that filled up: the other agent's session goes too", async () => {
    const id = await tenant("round");
    await agent(id, "x-agent", ["code_review"], 1);
    await agent(id, "y-agent", ["documentation"], 2);
    const xs = [];
    for (let i = 0; i < 3; i++) xs.push(...(await queue(id, 1, { requiredCapabilities: ["code_review"] })));
    const [y] = await queue(id, 1, { requiredCapabilities: ["documentation"] });
    const claims = await claim(3);
    expect(claims.map((c) => [c.session.id, c.agent.name])).toEqual([
      [xs[0], "x-agent"],
      [y, "y-agent"],
    ]);
    // The head of what waits says why: routing's reason against the loads after the round.
    expect((await statusOf(xs[1]!)).status_reason).toMatch(/^waiting for an agent with code_review: 1 full/);
  });

  it("keeps a session no active agent could ever take pending, with the reason, and queues it once one could", async () => {
    const id = await tenant("never");
    await agent(id, "coder", ["code_generation"], 2);
    const [lonely] = await queue(id, 1, { requiredCapabilities: ["deployment"] });
    expect(await statusOf(lonely!)).toEqual({
      status: "pending",
      status_reason: "waiting: no active agent of the tenant has deployment",
    });
    await agent(id, "deployer", ["deployment", "configuration"], 1);
    await admit();
    expect((await statusOf(lonely!)).status).toBe("queued");
    expect((await claim(2)).map((c) => [c.session.id, c.agent.name])).toEqual([[lonely, "deployer"]]);
  });

  it("sends queued sessions back to pending, with the reason, when the only agent that could take them goes; the rest stay queued", async () => {
    const id = await tenant("gone");
    await agent(id, "coder", ["code_generation"], 1);
    const deployer = await agent(id, "deployer", ["deployment"], 1);
    const stranded = await queue(id, 2, { requiredCapabilities: ["deployment"] });
    const [plain] = await queue(id, 1);
    expect((await statusOf(stranded[0]!)).status).toBe("queued");
    await softDeleteAgent(t.db, id, deployer);
    const events = await unqueueUnserved(t.db, id);
    expect(events.filter((e) => e.type === "session.status_changed").map((e) => [e.sessionId, e.payload])).toEqual(
      stranded.map((s) => [
        s,
        { from: "queued", to: "pending", reason: "waiting: no active agent of the tenant has deployment" },
      ]),
    );
    for (const s of stranded)
      expect(await statusOf(s)).toEqual({
        status: "pending",
        status_reason: "waiting: no active agent of the tenant has deployment",
      });
    expect((await statusOf(plain!)).status).toBe("queued");
    // Admission leaves them pending (no agent), and a second look changes nothing.
    await admit();
    expect((await statusOf(stranded[0]!)).status).toBe("pending");
    expect(await unqueueUnserved(t.db, id)).toEqual([]);
    // A change whose own look never ran (a crash in between): the scheduler's look over every tenant finds them.
    const second = await agent(id, "deployer-2", ["deployment"], 1);
    await admit();
    expect((await statusOf(stranded[0]!)).status).toBe("queued");
    await softDeleteAgent(t.db, id, second);
    expect((await unqueueUnservedEverywhere(scheduler())).map((e) => e.sessionId).sort()).toEqual([...stranded].sort());
    // The coder's session is still dispatched (and nothing of this tenant is left in the queue for the next test).
    expect((await claim(5)).map((c) => c.session.id)).toEqual([plain]);
  });

  it("tenant A queued 200, B then 5: B's go in the next free slots; weights share the slots while both have work", async () => {
    const a = await tenant("fair-a");
    const b = await tenant("fair-b");
    await agent(a, "a-agent", [], 50);
    await agent(b, "b-agent", [], 50);
    await queue(a, 200);
    const first = await claim(10);
    expect(first).toHaveLength(10);
    expect(first.every((c) => c.session.tenantId === a)).toBe(true);
    const bIds = await queue(b, 5);
    const next = await claim(3);
    expect(next.every((c) => c.session.tenantId === b)).toBe(true);
    // Now A runs 10, B 3: B's last two go before A's next.
    const rest = await claim(2);
    expect([...next, ...rest].map((c) => c.session.id).sort()).toEqual([...bIds].sort());

    // Weights: with C at 2 and D at 1 and nothing running, six slots go four and two.
    const c = await tenant("weight-c", { weight: 2 });
    const d = await tenant("weight-d");
    await agent(c, "c-agent", [], 50);
    await agent(d, "d-agent", [], 50);
    await queue(c, 10);
    await queue(d, 10);
    const shares = await claimQueued(scheduler(), {
      replica: "r1",
      limit: 6,
      runnerHealthy: () => true,
      now: new Date(),
    });
    const counts = (tid: string) => shares.filter((s) => s.session.tenantId === tid).length;
    // A (10 running) and B (5) are ahead of C and D (0) in running share: C and D take the slots, two to one.
    expect([counts(c), counts(d)]).toEqual([4, 2]);
  });

  it("reads the queue on the per-tenant index: the tenants by skipping, a tenant's head in dispatch order without sorting", async () => {
    const plan = async (sql: string, params: unknown[]) =>
      t.db.transaction(async (tx) => {
        // The tables are small here: take the planner's choice of a sequential scan away to show the index serves the query.
        await tx.query("SET LOCAL enable_seqscan = off");
        return (await tx.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, params))
          .map((r) => r["QUERY PLAN"])
          .join("\n");
      });
    const someTenant = (await t.db.query<{ id: string }>("SELECT id FROM tenants LIMIT 1"))[0]!.id;
    const tenants = await plan(TENANTS_WITH_QUEUED_SQL, []);
    expect(tenants).toContain("sessions_queued_tenant_idx");
    const head = await plan(ROUTABLE_QUEUED_SQL, [someTenant, JSON.stringify([["code_generation"]]), 10]);
    expect(head).toContain("sessions_queued_tenant_idx");
    expect(head).not.toMatch(/Seq Scan on sessions|\bSort\b/);
  });
});
