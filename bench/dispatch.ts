import { randomUUID } from "node:crypto";
import { CAPABILITIES, computeDispatchKey, DEFAULT_RETRY_POLICY, emptyAgentStats, emptySessionMetrics } from "@industrial/core";
import { bypassTenantWall, claimQueued, createDatabase, migrate, type Database } from "@industrial/db";
import { databaseUrl, withAdmin } from "@industrial/testkit";

const TENANT = "00000000-0000-4000-8000-000000000000";

async function freshDatabase(name: string): Promise<Database> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  const db = await createDatabase({ kind: "postgres", url: databaseUrl(name), poolSize: 4 });
  await migrate(db);
  return db;
}

/** N queued sessions inserted in bulk, with dispatch keys as admission would set them. */
async function seedQueued(db: Database, n: number): Promise<void> {
  const now = new Date();
  for (let start = 0; start < n; start += 500) {
    const rows = Array.from({ length: Math.min(500, n - start) }, (_, i) => {
      const priority = (["critical", "high", "medium", "low", "deferred"] as const)[(start + i) % 5]!;
      return [randomUUID(), priority, computeDispatchKey(priority, now).toISOString()];
    });
    const values = rows.map((_, i) => `($${i * 3 + 1}, '${TENANT}', 'bench', 'p', 'execution', $${i * 3 + 2}, 'queued', '{}'::jsonb, 3600, $${rows.length * 3 + 1}::jsonb, $${rows.length * 3 + 2}::jsonb, now(), $${i * 3 + 3}::timestamptz)`);
    await db.query(
      `INSERT INTO sessions (id, tenant_id, title, prompt, type, priority, status, workspace, max_duration_seconds, retry_policy, metrics, queued_at, dispatch_key) VALUES ${values.join(",")}`,
      [...rows.flat(), JSON.stringify(DEFAULT_RETRY_POLICY), JSON.stringify(emptySessionMetrics())],
    );
  }
}

async function seedAgents(db: Database, count: number, maxConcurrent: number): Promise<void> {
  for (let i = 0; i < count; i++)
    await db.query(
      `INSERT INTO agents (id, tenant_id, name, type, capabilities, max_concurrent, stats, breaker) VALUES ($1, $2, $3, 'implementer', $4, $5, $6::jsonb, $7::jsonb)`,
      [randomUUID(), TENANT, `bench-${i}`, [...CAPABILITIES], maxConcurrent, JSON.stringify(emptyAgentStats()), JSON.stringify({ state: "closed", consecutiveFailures: 0, openedAt: null, cooldownSeconds: 60 })],
    );
}

/** Runs `claim` on `workers` concurrent loops until it returns 0; returns claims per second. */
async function drain(workers: number, claim: () => Promise<number>): Promise<{ claimed: number; perSecond: number }> {
  let claimed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const n = await claim();
        if (n === 0) return;
        claimed += n;
      }
    }),
  );
  return { claimed, perSecond: claimed / ((performance.now() - t0) / 1000) };
}

/**
 * Dispatch throughput on PostgreSQL: the scheduler's full claim (routing,
 * agent slot reservation, attempt with lease and fencing token, transition and
 * events in one transaction) against a baseline measured in the same run: a
 * bare `FOR UPDATE SKIP LOCKED` claim that only flips the status.
 */
export async function benchDispatch(n: number): Promise<{ baseline: number; ours: number }> {
  const db = await freshDatabase("orch_bench_dispatch");
  try {
    await seedAgents(db, 100, 50);
    await seedQueued(db, n);
    const baseline = await drain(2, async () => {
      const rows = await db.query(
        `UPDATE sessions SET status = 'running', started_at = now() WHERE id IN
           (SELECT id FROM sessions WHERE status = 'queued' ORDER BY dispatch_key, id LIMIT 50 FOR UPDATE SKIP LOCKED) RETURNING id`,
      );
      return rows.length;
    });
    await db.query("DELETE FROM sessions");
    await seedQueued(db, n);
    const ours = await drain(2, async () => (await claimQueued(bypassTenantWall(db, "bench: dispatch as the scheduler does"), { replica: "bench", limit: 50, runnerHealthy: () => true, now: new Date() })).length);
    if (ours.claimed !== n) throw new Error(`claimed ${ours.claimed} of ${n}`);
    const [dupes] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM (SELECT session_id FROM attempts GROUP BY session_id HAVING count(*) > 1) d");
    if (dupes!.n !== 0) throw new Error(`${dupes!.n} sessions dispatched twice`);
    return { baseline: baseline.perSecond, ours: ours.perSecond };
  } finally {
    await db.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "orch_bench_dispatch" WITH (FORCE)`));
  }
}
