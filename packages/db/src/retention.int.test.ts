import { randomUUID } from "node:crypto";
import { FINISHED_STATUSES } from "@industrial/core";
import { createTestDatabase, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  batchDeleteExpiredAuditEntries,
  batchDeleteExpiredEvents,
  bypassTenantWall,
  createDatabase,
  forTenant,
  insertRunner,
  insertSession,
  listOpenCodePruneCandidates,
  listRetentionTenants,
  markOpenCodeSessionsPruned,
  readDatabaseBytes,
  readFirstRetainedSeq,
  updateTenant,
  type CrossTenantDatabase,
} from "./index";
import { newSession, seedTenant, type TenantRows } from "./testing/two-tenants";

let t: TestDatabase;
let db: CrossTenantDatabase;
let a: TenantRows;
let b: TenantRows;
beforeAll(async () => {
  t = await createTestDatabase();
  db = bypassTenantWall(t.db, "retention test");
  a = await seedTenant(t.db, `ret-a-${randomUUID().slice(0, 6)}`);
  b = await seedTenant(t.db, `ret-b-${randomUUID().slice(0, 6)}`);
});
afterAll(async () => t?.drop());

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY);

/** A session of `tenantId` whose log holds events aged as given (seq 1 is the oldest unless the ages say otherwise). */
async function sessionWithEvents(tenantId: string, agesInDays: number[]): Promise<string> {
  const { session } = await t.db.transaction((tx) => insertSession(tx, newSession(tenantId)));
  // insertSession wrote seq 1 (session.created): age it like the first entry, then add the rest.
  await t.db.query("UPDATE session_events SET created_at = $2 WHERE session_id = $1 AND seq = 1", [
    session.id,
    daysAgo(agesInDays[0]!).toISOString(),
  ]);
  for (const [i, age] of agesInDays.slice(1).entries())
    await t.db.query(
      `INSERT INTO session_events (session_id, seq, type, attempt, payload, created_at) VALUES ($1, $2, 'session.log', null, '{"level":"info","text":"x","source":"orchestrator"}', $3)`,
      [session.id, i + 2, daysAgo(age).toISOString()],
    );
  await t.db.query("UPDATE sessions SET last_event_seq = $2 WHERE id = $1", [session.id, agesInDays.length]);
  return session.id;
}

const seqs = async (sessionId: string) =>
  (
    await t.db.query<{ seq: number }>("SELECT seq FROM session_events WHERE session_id = $1 ORDER BY seq", [sessionId])
  ).map((r) => r.seq);

describe(`retention SQL (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("lists tenants with a retention (default 90 days; null keeps forever)", async () => {
    await updateTenant(t.db, b.tenantId, { retentionDays: null });
    const listed = await listRetentionTenants(db);
    expect(listed.find((x) => x.id === a.tenantId)?.retentionDays).toBe(90);
    expect(listed.find((x) => x.id === b.tenantId)).toBeUndefined();
  });

  it("deletes a tenant's expired events oldest first in batches, always a prefix of each log, never another tenant's", async () => {
    // The 3rd event is older than the 2nd (clocks of two writers): deleting it takes the 2nd with it.
    const s1 = await sessionWithEvents(a.tenantId, [10, 9, 12, 8, 0.1]);
    const s2 = await sessionWithEvents(a.tenantId, [11, 0.2]);
    const other = await sessionWithEvents(b.tenantId, [30, 20]);
    const cutoff = daysAgo(1);

    const first = await batchDeleteExpiredEvents(db, { tenantId: a.tenantId, cutoff, floor: null, limit: 2 });
    // The two oldest are s1's seq 3 (12 days) and s2's seq 1 (11 days): s1 loses 1–3.
    expect(first).toMatchObject({ selected: 2, deleted: 4 });
    expect(first!.newestSelectedAt!.getTime()).toBeCloseTo(daysAgo(11).getTime(), -4);
    expect(await seqs(s1)).toEqual([4, 5]);
    expect(await seqs(s2)).toEqual([2]);

    const second = await batchDeleteExpiredEvents(db, {
      tenantId: a.tenantId,
      cutoff,
      floor: first!.newestSelectedAt,
      limit: 2,
    });
    expect(second).toMatchObject({ selected: 1, deleted: 1 });
    expect(await seqs(s1)).toEqual([5]);
    expect(await batchDeleteExpiredEvents(db, { tenantId: a.tenantId, cutoff, floor: cutoff, limit: 2 })).toMatchObject(
      { selected: 0, deleted: 0, newestSelectedAt: null },
    );
    // Another tenant's old events, and the seed session's recent ones, are untouched.
    expect(await seqs(other)).toEqual([1, 2]);
    expect((await seqs(a.sessionId)).length).toBeGreaterThan(0);
  });

  it("a floor skips what is older than it (the search starts where the last one stopped)", async () => {
    const s = await sessionWithEvents(a.tenantId, [40, 5]);
    expect(
      await batchDeleteExpiredEvents(db, { tenantId: a.tenantId, cutoff: daysAgo(1), floor: daysAgo(20), limit: 10 }),
    ).toMatchObject({ selected: 1 });
    // Seq 1 (40 days) lay below the floor, but seq 2 was selected: the prefix rule takes seq 1 too.
    expect(await seqs(s)).toEqual([]);
  });

  it("says which seq a log starts at: 1, the first kept, or the last + 1 when nothing is kept", async () => {
    const whole = await sessionWithEvents(a.tenantId, [0.1, 0.1]);
    const cut = await sessionWithEvents(a.tenantId, [50, 50, 0.1]);
    const gone = await sessionWithEvents(a.tenantId, [60, 60]);
    await batchDeleteExpiredEvents(db, { tenantId: a.tenantId, cutoff: daysAgo(1), floor: null, limit: 100 });
    expect(await readFirstRetainedSeq(t.db, a.tenantId, whole)).toBe(1);
    expect(await readFirstRetainedSeq(t.db, a.tenantId, cut)).toBe(3);
    expect(await readFirstRetainedSeq(t.db, a.tenantId, gone)).toBe(3);
    // Through the tenant wall too, and never for another tenant's session.
    expect(await readFirstRetainedSeq(forTenant(t.db, a.tenantId), a.tenantId, cut)).toBe(3);
    expect(await readFirstRetainedSeq(t.db, b.tenantId, cut)).toBeNull();
  });

  it("deletes a tenant's expired audit entries in batches, oldest first", async () => {
    for (const age of [5, 4, 3, 0]) {
      await t.db.query(
        "INSERT INTO audit_log (id, tenant_id, at, actor, action, target, status, request_id) VALUES ($1, $2, $3, 'anonymous', 'x', 'y', 200, 'r')",
        [randomUUID(), a.tenantId, daysAgo(age).toISOString()],
      );
    }
    const before = async (tenantId: string) =>
      Number(
        (
          await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND at < $2", [
            tenantId,
            daysAgo(1).toISOString(),
          ])
        )[0]!.n,
      );
    expect(await before(a.tenantId)).toBe(3);
    const bOld = await before(b.tenantId);
    expect(await batchDeleteExpiredAuditEntries(db, { tenantId: a.tenantId, cutoff: daysAgo(1), limit: 2 })).toBe(2);
    const oldest = await t.db.query<{ at: Date }>("SELECT at FROM audit_log WHERE tenant_id = $1 AND at < $2", [
      a.tenantId,
      daysAgo(1).toISOString(),
    ]);
    expect(oldest.length).toBe(1);
    expect(new Date(oldest[0]!.at).getTime()).toBeGreaterThan(daysAgo(3.5).getTime());
    expect(await batchDeleteExpiredAuditEntries(db, { tenantId: a.tenantId, cutoff: daysAgo(1), limit: 2 })).toBe(1);
    expect(await before(a.tenantId)).toBe(0);
    expect(await before(b.tenantId)).toBe(bOld);
  });

  it.runIf(process.env.ORCHESTRATOR_TEST_DB === "postgres")(
    "a batch while another replica holds the retention lock does nothing and says so",
    async () => {
      const other = await createDatabase({ kind: "postgres", url: t.url! });
      try {
        const s = await sessionWithEvents(a.tenantId, [70, 0.1]);
        let release!: () => void;
        const held = new Promise<void>((r) => (release = r));
        let locked!: () => void;
        const isLocked = new Promise<void>((r) => (locked = r));
        const holder = other.transaction(async (tx) => {
          await tx.query("SELECT pg_advisory_xact_lock(7310010)");
          locked();
          await held;
        });
        await isLocked;
        expect(
          await batchDeleteExpiredEvents(db, { tenantId: a.tenantId, cutoff: daysAgo(1), floor: null, limit: 10 }),
        ).toBeNull();
        expect(
          await batchDeleteExpiredAuditEntries(db, { tenantId: a.tenantId, cutoff: daysAgo(1), limit: 10 }),
        ).toBeNull();
        expect(await seqs(s)).toEqual([1, 2]);
        release();
        await holder;
        expect(
          await batchDeleteExpiredEvents(db, { tenantId: a.tenantId, cutoff: daysAgo(1), floor: null, limit: 10 }),
        ).toMatchObject({ selected: 1 });
      } finally {
        await other.close();
      }
    },
  );

  it("finds ended attempts whose OpenCode session is on this data dir's managed runners, once", async () => {
    const mine = await insertRunner(t.db, {
      tenantId: a.tenantId,
      name: `managed-me-${randomUUID().slice(0, 6)}`,
      kind: "managed",
      url: null,
      ownerReplica: "me",
      health: "healthy",
    });
    const theirs = await insertRunner(t.db, {
      tenantId: a.tenantId,
      name: `managed-them-${randomUUID().slice(0, 6)}`,
      kind: "managed",
      url: null,
      ownerReplica: "them",
      health: "healthy",
    });
    /** One attempt (number 1) of a new session; `sessionAttempt` 2 makes it an earlier attempt. */
    const attempt = async (
      status: string,
      opts: {
        runner: string;
        sessionAttempt?: number;
        sessionStatus?: string;
        endedDaysAgo?: number | null;
        deleted?: boolean;
      },
    ) => {
      const { session } = await t.db.transaction((tx) => insertSession(tx, newSession(a.tenantId)));
      const number = 1;
      await t.db.query("UPDATE sessions SET status = $2, attempt = $3, deleted_at = $4 WHERE id = $1", [
        session.id,
        opts.sessionStatus ?? "completed",
        opts.sessionAttempt ?? number,
        opts.deleted ? new Date().toISOString() : null,
      ]);
      const id = randomUUID();
      const ended = opts.endedDaysAgo === null ? null : daysAgo(opts.endedDaysAgo ?? 1).toISOString();
      await t.db.query(
        "INSERT INTO attempts (id, session_id, number, fencing_token, runner_id, status, opencode_session_id, finished_at) VALUES ($1, $2, $3, 1, $4, $5, $6, $7)",
        [id, session.id, number, opts.runner, status, `ses_${id.slice(0, 8)}`, ended],
      );
      return id;
    };
    const done = await attempt("succeeded", { runner: mine.id });
    const otherReplica = await attempt("succeeded", { runner: theirs.id });
    const recent = await attempt("succeeded", { runner: mine.id, endedDaysAgo: 0 });
    const waitingRetry = await attempt("failed", { runner: mine.id, sessionStatus: "pending" });
    // An earlier attempt (number 1 of a session now on attempt 2) is found whatever the session does.
    const superseded = await attempt("failed", { runner: mine.id, sessionStatus: "running", sessionAttempt: 2 });
    const deleted = await attempt("failed", { runner: mine.id, sessionStatus: "failed", deleted: true });
    const paused = await attempt("paused", { runner: mine.id, sessionStatus: "paused", endedDaysAgo: null });

    const found = async () =>
      (
        await listOpenCodePruneCandidates(db, {
          owners: ["me"],
          endedBefore: daysAgo(0.5),
          finishedStatuses: FINISHED_STATUSES,
          limit: 100,
        })
      ).map((c) => c.attemptId);
    const ids = await found();
    expect(ids).toEqual(expect.arrayContaining([done, superseded, deleted]));
    for (const kept of [otherReplica, recent, waitingRetry, paused]) expect(ids).not.toContain(kept);
    const rows = await listOpenCodePruneCandidates(db, {
      owners: ["me"],
      endedBefore: daysAgo(0.5),
      finishedStatuses: FINISHED_STATUSES,
      limit: 100,
    });
    expect(rows.find((r) => r.attemptId === superseded)).toMatchObject({
      latestAttempt: false,
      sessionStatus: "running",
      attemptStatus: "failed",
    });
    expect(rows.find((r) => r.attemptId === done)).toMatchObject({
      latestAttempt: true,
      sessionStatus: "completed",
      sessionDeleted: false,
    });

    await markOpenCodeSessionsPruned(db, [done, superseded, deleted]);
    const after = await found();
    for (const gone of [done, superseded, deleted]) expect(after).not.toContain(gone);
  });

  it("reads the database's size", async () => {
    expect(await readDatabaseBytes(t.db)).toBeGreaterThan(1_000_000);
  });
});
