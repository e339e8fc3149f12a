import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bypassTenantWall, claimQueued, createDatabase, migrate, type Database } from "@industrial/db";
import { databaseUrl, withAdmin } from "@industrial/testkit";
import { bareClaim, drain, freshDatabase, seedAgents, seedQueued, TENANT } from "./dispatch";

/** The scheduler's full claim, 50 at a time, as `replica`; how many it took. */
const fullClaim = async (db: Database, replica: string): Promise<number> =>
  (
    await claimQueued(bypassTenantWall(db, "bench: dispatch as the scheduler does"), {
      replica,
      limit: 50,
      runnerHealthy: () => true,
      now: new Date(),
    })
  ).length;

/** Each claimer on a loop of its own until the queue is empty, all at once: claims per second, all together. */
async function drainEach(claims: (() => Promise<number>)[]): Promise<{ claimed: number; perSecond: number }> {
  const t0 = performance.now();
  const each = await Promise.all(claims.map((claim) => drain(1, claim)));
  const claimed = each.reduce((sum, d) => sum + d.claimed, 0);
  return { claimed, perSecond: claimed / ((performance.now() - t0) / 1000) };
}

/** Every session dispatched exactly once: `n` attempts, no session with two. */
async function assertOnce(db: Database, claimed: number, n: number): Promise<void> {
  if (claimed !== n) throw new Error(`claimed ${claimed} of ${n}`);
  const [dupes] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM (SELECT session_id FROM attempts GROUP BY session_id HAVING count(*) > 1) d",
  );
  if (dupes!.n !== 0) throw new Error(`${dupes!.n} sessions dispatched twice`);
}

/** 100 agents of 50 slots and a quota with room for every session, as benchDispatch sets them. */
async function seedFleet(db: Database): Promise<void> {
  await seedAgents(db, 100, 50);
  await db.query("UPDATE tenants SET max_concurrent_sessions = 10000 WHERE id = $1", [TENANT]);
}

/**
 * Dispatch throughput with `schedulers` schedulers on one PostgreSQL: as many
 * claimers, each with a connection pool of its own and its own replica name,
 * as separate orchestrator processes have, draining `n` queued sessions
 * together with the scheduler's full claim (the scheduler's claim loop runs
 * one claim at a time, so one claimer is one scheduler). Baseline: the same
 * claimers with the bare `SKIP LOCKED` status flip of benchDispatch.
 */
export async function benchDispatchSchedulers(
  n: number,
  schedulers: number,
): Promise<{ baseline: number; ours: number }> {
  const name = "orch_bench_schedulers";
  const first = await freshDatabase(name);
  const pools = [first];
  try {
    for (let i = 1; i < schedulers; i++)
      pools.push(await createDatabase({ kind: "postgres", url: databaseUrl(name), poolSize: 4 }));
    await seedFleet(first);
    await seedQueued(first, n);
    const baseline = await drainEach(pools.map((db) => () => bareClaim(db)));
    await first.query("DELETE FROM sessions");
    await seedQueued(first, n);
    const ours = await drainEach(pools.map((db, i) => () => fullClaim(db, `bench-${i + 1}`)));
    await assertOnce(first, ours.claimed, n);
    return { baseline: baseline.perSecond, ours: ours.perSecond };
  } finally {
    for (const db of pools) await db.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }
}

/**
 * Dispatch throughput on the embedded database (PGlite, on disk, as an
 * orchestrator without DATABASE_URL keeps it): one scheduler — an embedded
 * orchestrator is one process — draining `n` queued sessions with the full
 * claim. Baseline: the bare `SKIP LOCKED` status flip on the same database.
 */
export async function benchDispatchPglite(n: number): Promise<{ baseline: number; ours: number }> {
  const dir = mkdtempSync(join(tmpdir(), "orch-bench-pglite-"));
  const db = await createDatabase({ kind: "pglite", dataDir: join(dir, "db") });
  try {
    await migrate(db);
    await seedFleet(db);
    await seedQueued(db, n);
    const baseline = await drain(1, () => bareClaim(db));
    await db.query("DELETE FROM sessions");
    await seedQueued(db, n);
    const ours = await drain(1, () => fullClaim(db, "bench"));
    await assertOnce(db, ours.claimed, n);
    return { baseline: baseline.perSecond, ours: ours.perSecond };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
