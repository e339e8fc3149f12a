import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@industrial/testkit";
import {
  appendCheckpoint,
  appendEvents,
  bypassTenantWall,
  changedKeysSince,
  createDatabase,
  findContext,
  findSession,
  findTenant,
  forTenant,
  listAgents,
  listCheckpoints,
  listEvents,
  listRunnerPage,
  listTenants,
  loadTree,
  lockContext,
  lockRoot,
  lockSession,
  readTenantUsage,
  recentAttemptsOfAgent,
  saveContext,
  tenantScopeOf,
  tierHistory,
  transitionSession,
  updateAgent,
  updateTask,
  type Database,
} from "./index";
import { emptyManualCheckpoint, seedTenant, type TenantRows } from "./testing/two-tenants";

// The repository functions work unchanged through a tenant-scoped database
// (locks FOR NO KEY UPDATE, transitions, events, checkpoints, contexts, tasks),
// and the second wall catches a first-wall mistake: the wrong tenant id finds nothing.

let t: TestDatabase;
let a: TenantRows;
let b: TenantRows;
let asA: Database;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedTenant(t.db, "tenant-a");
  b = await seedTenant(t.db, "tenant-b");
  asA = forTenant(t.db, a.tenantId);
});
afterAll(async () => t?.drop());

describe(`repositories through forTenant on ${process.env.ORCHESTRATOR_TEST_DB}`, () => {
  it("transitions a locked session, appends events and a checkpoint, and reads them back", async () => {
    await asA.transaction(async (tx) => {
      const s = await lockSession(tx, a.sessionId, { tenantId: a.tenantId });
      await transitionSession(tx, s, "queued", "admitted");
      await appendEvents(
        tx,
        s,
        [{ type: "session.log", payload: { level: "info", source: "orchestrator", text: "through the wall" } }],
        null,
      );
      await appendCheckpoint(tx, s, emptyManualCheckpoint());
    });
    const events = await listEvents(asA, a.tenantId, a.sessionId, 0, 100);
    expect(events.map((e) => e.type)).toEqual(["session.created", "session.status_changed", "session.log"]);
    expect((await listCheckpoints(asA, a.tenantId, a.sessionId)).map((c) => c.seq)).toEqual([1, 2]);
    expect((await findSession(asA, a.tenantId, a.sessionId))?.status).toBe("queued");
  });

  it("finds nothing of B even when handed B's tenant id (the first wall's mistake)", async () => {
    expect(await findSession(asA, b.tenantId, b.sessionId)).toBeNull();
    expect(await listEvents(asA, b.tenantId, b.sessionId, 0, 100)).toEqual([]);
    expect(await findContext(asA, b.tenantId, b.contextId)).toBeNull();
    expect((await loadTree(asA, b.tenantId, b.taskIds[0])).tasks).toEqual([]);
    expect(await findTenant(asA, b.tenantId)).toBeNull();
    await expect(asA.transaction((tx) => lockSession(tx, b.sessionId, { tenantId: b.tenantId }))).rejects.toMatchObject(
      { code: "NOT_FOUND" },
    );
    // …which the owner connection does see: the test is not vacuous.
    expect(await findSession(t.db, b.tenantId, b.sessionId)).not.toBeNull();
  });

  it("writes contexts with their change log and reads what changed since", async () => {
    const saved = await asA.transaction(async (tx) => {
      const c = (await lockContext(tx, a.tenantId, a.contextId))!;
      return saveContext(tx, c, { owner: "tenant-a", added: 1 }, "patch");
    });
    expect(saved.version).toBe(2);
    expect(await changedKeysSince(asA, a.tenantId, a.contextId, 1)).toEqual(["added"]);
    expect(await changedKeysSince(asA, b.tenantId, b.contextId, 0)).toEqual([]);
  });

  it("locks a task tree's root and updates its tasks", async () => {
    await asA.transaction(async (tx) => {
      expect(await lockRoot(tx, a.tenantId, a.taskIds[0])).toBeNull();
      await updateTask(tx, a.tenantId, a.taskIds[1], { status: "ready" });
    });
    const tree = await loadTree(asA, a.tenantId, a.taskIds[0]);
    expect(tree.tasks).toHaveLength(3);
    expect(tree.dependencies).toHaveLength(1);
    expect(tree.tasks.find((x) => x.id === a.taskIds[1])?.status).toBe("ready");
  });

  it("reads and writes the fleet: agents, tier history, runners, usage", async () => {
    await updateAgent(asA, a.tenantId, a.agentId, { maxConcurrent: 3 });
    expect((await listAgents(asA, a.tenantId)).map((x) => [x.id, x.maxConcurrent])).toEqual([[a.agentId, 3]]);
    expect(await tierHistory(asA, a.tenantId, a.agentId)).toHaveLength(1);
    expect((await recentAttemptsOfAgent(asA, a.tenantId, a.agentId)).map((x) => x.sessionId)).toEqual([a.sessionId]);
    expect((await listRunnerPage(asA, { tenantId: a.tenantId, limit: 10 })).items.map((r) => r.id)).toEqual([
      a.runnerId,
    ]);
    expect((await readTenantUsage(asA, a.tenantId)).queued).toBe(1);
    // A cross-tenant listing needs the owner: through the wall it is the tenant's own row only.
    expect(
      (await listTenants(bypassTenantWall(t.db, "test: every tenant"), { limit: 50 })).items.map((x) => x.id),
    ).toEqual(expect.arrayContaining([a.tenantId, b.tenantId]));
  });
});

describe("forTenant and bypassTenantWall", () => {
  it("validates the tenant id and never turns a scoped database back into the owner", () => {
    expect(() => forTenant(t.db, "not-a-uuid")).toThrow(TypeError);
    expect(() => forTenant(t.db, "00000000-0000-4000-8000-000000000000'; RESET ROLE; --")).toThrow(TypeError);
    expect(forTenant(asA, a.tenantId)).toBe(asA);
    expect(() => forTenant(asA, b.tenantId)).toThrow(/already scoped/);
    expect(() => bypassTenantWall(asA, "test")).toThrow(/owner connection/);
    expect(tenantScopeOf(asA)).toBe(a.tenantId);
    expect(tenantScopeOf(t.db)).toBeNull();
  });

  it("leaves the connection as it found it: after a scoped transaction, failed or not, the owner sees every tenant", async () => {
    // One connection, so the owner's next query runs where the scoped transaction ran.
    const one = t.url ? await createDatabase({ kind: "postgres", url: t.url, poolSize: 1 }) : t.db;
    try {
      const scoped = forTenant(one, a.tenantId);
      expect(await scoped.query("SELECT id FROM sessions")).toHaveLength(1);
      await expect(scoped.transaction(async (tx) => tx.query("SELECT 1/0"))).rejects.toThrow();
      await scoped.close();
      const [who] = await one.query<{ role: string; tenant: string | null }>(
        "SELECT current_user AS role, NULLIF(current_setting('app.tenant_id', true), '') AS tenant",
      );
      expect(who).toEqual({ role: "postgres", tenant: null });
      expect((await one.query("SELECT id FROM sessions")).length).toBeGreaterThanOrEqual(2);
    } finally {
      if (one !== t.db) await one.close();
    }
  });
});
