import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyTokenTotals, StaleFencingTokenError, verifyCheckpointChain } from "@industrial/core";
import { createTestDatabase, type TestDatabase } from "@industrial/testkit";
import {
  admitPending,
  adoptExpiredLeases,
  appendCheckpoint,
  claimQueued,
  ensureDefaultAgent,
  getSession,
  insertSession,
  listCheckpoints,
  listEvents,
  listSessions,
  lockSession,
  appendEvents,
  bypassTenantWall,
  renewLease,
  transitionSession,
  upsertRunner,
  type NewSession,
} from "./index";
import { newSession as fixtureSession } from "./testing/two-tenants";

const TENANT = "00000000-0000-4000-8000-000000000000";
let t: TestDatabase;
/** The scheduler's view: dispatch, admission and adoption span tenants. */
const scheduler = () => bypassTenantWall(t.db, "tests drive the scheduler's queue operations");

const newSession = (over: Partial<NewSession> = {}): NewSession => fixtureSession(TENANT, { tags: ["a"], ...over });

beforeAll(async () => {
  t = await createTestDatabase();
  const runner = await upsertRunner(t.db, {
    tenantId: TENANT,
    name: "managed",
    kind: "managed",
    url: null,
    ownerReplica: "r1",
    health: "healthy",
  });
  await ensureDefaultAgent(t.db, {
    tenantId: TENANT,
    runnerId: runner.id,
    maxConcurrent: 2,
    model: null,
    breakerCooldownSeconds: 60,
  });
});
afterAll(async () => t?.drop());

describe(`repositories on ${process.env.ORCHESTRATOR_TEST_DB}`, () => {
  it("inserts a session with its created event and lists it with keyset pages", async () => {
    for (let i = 0; i < 5; i++)
      await t.db.transaction((tx) => insertSession(tx, newSession({ title: `page ${i}`, tags: ["paging"] })));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await listSessions(
        t.db,
        { tenantId: TENANT, tag: "paging" },
        { limit: 2, cursor, sort: "-createdAt" },
      );
      expect(page.total).toBe(5);
      seen.push(...page.items.map((s) => s.title));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["page 4", "page 3", "page 2", "page 1", "page 0"]);
    // Oldest first, and a page past the end: no rows, still the total (one statement brings both).
    const oldest = await listSessions(t.db, { tenantId: TENANT, tag: "paging" }, { limit: 5, sort: "createdAt" });
    expect(oldest.items.map((s) => s.title)).toEqual(["page 0", "page 1", "page 2", "page 3", "page 4"]);
    expect(oldest.nextCursor).toBeNull();
    const none = await listSessions(
      t.db,
      { tenantId: TENANT, tag: "nothing has this tag" },
      { limit: 2, sort: "-createdAt" },
    );
    expect(none).toEqual({ items: [], total: 0, nextCursor: null });
  });

  it("assigns gap-free event seqs and refuses a stale fencing token", async () => {
    const { session } = await t.db.transaction((tx) => insertSession(tx, newSession()));
    await t.db.transaction(async (tx) => {
      const s = await lockSession(tx, session.id, { tenantId: TENANT });
      await transitionSession(tx, s, "queued", "admitted");
      await appendEvents(
        tx,
        s,
        [{ type: "session.log", payload: { level: "info", text: "hi", source: "orchestrator" } }],
        null,
      );
    });
    const events = await listEvents(t.db, TENANT, session.id, 0, 100);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.type)).toEqual(["session.created", "session.status_changed", "session.log"]);
    await expect(
      t.db.transaction((tx) => lockSession(tx, session.id, { tenantId: TENANT, fencingToken: 7 })),
    ).rejects.toBeInstanceOf(StaleFencingTokenError);
    await expect(
      t.db.transaction(async (tx) =>
        transitionSession(tx, await lockSession(tx, session.id, { tenantId: TENANT }), "completed", null),
      ),
    ).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
    expect((await getSession(t.db, TENANT, session.id)).status).toBe("queued");
  });

  it("admits, claims with a lease, renews, and lets another replica adopt an expired lease", async () => {
    const { session } = await t.db.transaction((tx) =>
      insertSession(tx, newSession({ priority: "critical", title: "claim me" })),
    );
    await admitPending(scheduler(), { now: new Date(Date.now() + 1000), limit: 100 });
    const claims = await claimQueued(scheduler(), {
      replica: "r1",
      limit: 1,
      runnerHealthy: () => true,
      now: new Date(),
    });
    expect(claims).toHaveLength(1);
    const claim = claims[0]!;
    expect(claim.session.id).toBe(session.id);
    expect(claim.attempt).toMatchObject({ number: 1, fencingToken: 1, leaseOwner: "r1" });
    expect(await renewLease(t.db, TENANT, claim.attempt, "r1")).toBe(true);
    expect(await renewLease(t.db, TENANT, claim.attempt, "r2")).toBe(false);
    await t.db.query("UPDATE attempts SET lease_expires_at = now() - interval '1 second' WHERE id = $1", [
      claim.attempt.id,
    ]);
    const adopted = await adoptExpiredLeases(scheduler(), { replica: "r2", limit: 10 });
    expect(adopted.map((a) => a.session.id)).toContain(session.id);
    const mine = adopted.find((a) => a.session.id === session.id)!;
    expect(mine.attempt.fencingToken).toBe(2);
    expect(await renewLease(t.db, TENANT, claim.attempt, "r1")).toBe(false);
    await expect(
      t.db.transaction((tx) => lockSession(tx, session.id, { tenantId: TENANT, fencingToken: 1 })),
    ).rejects.toBeInstanceOf(StaleFencingTokenError);
  });

  it("never fills an agent past maxConcurrent", async () => {
    for (let i = 0; i < 4; i++) await t.db.transaction((tx) => insertSession(tx, newSession({ title: `cap ${i}` })));
    await admitPending(scheduler(), { now: new Date(Date.now() + 1000), limit: 100 });
    const claims = await claimQueued(scheduler(), {
      replica: "r1",
      limit: 10,
      runnerHealthy: () => true,
      now: new Date(),
    });
    const [running] = await t.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM sessions WHERE status = 'running'",
    );
    expect(running!.n).toBeLessThanOrEqual(2);
    expect(claims.length).toBeLessThanOrEqual(2);
  });

  it("chains checkpoints", async () => {
    const { session } = await t.db.transaction((tx) => insertSession(tx, newSession()));
    for (let i = 0; i < 3; i++)
      await t.db.transaction((tx) =>
        appendCheckpoint(tx, session, {
          attempt: 1,
          trigger: "step",
          openCodeMessageId: `msg_${i}`,
          gitCommit: null,
          diffStat: { files: 0, additions: 0, deletions: 0 },
          tokens: emptyTokenTotals(),
          costUsd: 0.000141 * i,
        }),
      );
    const cps = await listCheckpoints(t.db, TENANT, session.id);
    expect(cps.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect(verifyCheckpointChain(cps)).toEqual({ intact: true, checked: 3 });
  });
});
