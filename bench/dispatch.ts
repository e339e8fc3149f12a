import { randomUUID } from "node:crypto";
import {
  CAPABILITIES,
  computeDispatchKey,
  DEFAULT_RETRY_POLICY,
  emptyAgentStats,
  emptySessionMetrics,
} from "@industrial/core";
import { bypassTenantWall, claimQueued, createDatabase, migrate, type Database } from "@industrial/db";
import { databaseUrl, withAdmin } from "@industrial/testkit";
import { percentile } from "./percentile";

export const TENANT = "00000000-0000-4000-8000-000000000000";

export async function freshDatabase(name: string): Promise<Database> {
  await withAdmin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  const db = await createDatabase({ kind: "postgres", url: databaseUrl(name), poolSize: 4 });
  await migrate(db);
  return db;
}

/** N queued sessions inserted in bulk, with dispatch keys as admission would set them (`required`: the capabilities each needs). */
export async function seedQueued(
  db: Database,
  n: number,
  required: readonly string[] = [],
  now = new Date(),
): Promise<void> {
  for (let start = 0; start < n; start += 500) {
    const rows = Array.from({ length: Math.min(500, n - start) }, (_, i) => {
      const priority = (["critical", "high", "medium", "low", "deferred"] as const)[(start + i) % 5]!;
      return [randomUUID(), priority, computeDispatchKey(priority, now).toISOString()];
    });
    const shared = rows.length * 3;
    const values = rows.map(
      (_, i) =>
        `($${i * 3 + 1}, '${TENANT}', 'bench', 'p', 'execution', $${i * 3 + 2}, 'queued', '{}'::jsonb, 3600, $${shared + 1}::jsonb, $${shared + 2}::jsonb, now(), $${i * 3 + 3}::timestamptz, $${shared + 3}::text[])`,
    );
    await db.query(
      `INSERT INTO sessions (id, tenant_id, title, prompt, type, priority, status, workspace, max_duration_seconds, retry_policy, metrics, queued_at, dispatch_key, required_capabilities) VALUES ${values.join(",")}`,
      [...rows.flat(), JSON.stringify(DEFAULT_RETRY_POLICY), JSON.stringify(emptySessionMetrics()), [...required]],
    );
  }
}

export async function seedAgents(
  db: Database,
  count: number,
  maxConcurrent: number,
  capabilities: readonly string[] = CAPABILITIES,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(randomUUID());
    await db.query(
      `INSERT INTO agents (id, tenant_id, name, type, capabilities, max_concurrent, stats, breaker) VALUES ($1, $2, $3, 'implementer', $4, $5, $6::jsonb, $7::jsonb)`,
      [
        ids[i],
        TENANT,
        `bench-${randomUUID().slice(0, 8)}`,
        [...capabilities],
        maxConcurrent,
        JSON.stringify(emptyAgentStats()),
        JSON.stringify({ state: "closed", consecutiveFailures: 0, openedAt: null, cooldownSeconds: 60 }),
      ],
    );
  }
  return ids;
}

/** Runs `claim` on `workers` concurrent loops until it returns 0; returns claims per second. */
export async function drain(
  workers: number,
  claim: () => Promise<number>,
): Promise<{ claimed: number; perSecond: number }> {
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

/** The baseline's claim: a bare `FOR UPDATE SKIP LOCKED` of the queue's head, 50 at a time, that only flips the status; how many it took. */
export async function bareClaim(db: Database): Promise<number> {
  const rows = await db.query(
    `UPDATE sessions SET status = 'running', started_at = now() WHERE id IN
       (SELECT id FROM sessions WHERE status = 'queued' ORDER BY dispatch_key, id LIMIT 50 FOR UPDATE SKIP LOCKED) RETURNING id`,
  );
  return rows.length;
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
    // The quota bounds sessions running at once, at dispatch: room for all of them.
    await db.query("UPDATE tenants SET max_concurrent_sessions = 10000 WHERE id = $1", [TENANT]);
    await seedQueued(db, n);
    const baseline = await drain(2, () => bareClaim(db));
    await db.query("DELETE FROM sessions");
    await seedQueued(db, n);
    const ours = await drain(
      2,
      async () =>
        (
          await claimQueued(bypassTenantWall(db, "bench: dispatch as the scheduler does"), {
            replica: "bench",
            limit: 50,
            runnerHealthy: () => true,
            now: new Date(),
          })
        ).length,
    );
    if (ours.claimed !== n) throw new Error(`claimed ${ours.claimed} of ${n}`);
    const [dupes] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM (SELECT session_id FROM attempts GROUP BY session_id HAVING count(*) > 1) d",
    );
    if (dupes!.n !== 0) throw new Error(`${dupes!.n} sessions dispatched twice`);
    return { baseline: baseline.perSecond, ours: ours.perSecond };
  } finally {
    await db.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "orch_bench_dispatch" WITH (FORCE)`));
  }
}

/**
 * Head-of-line: how long one dispatch round takes to start a session an idle
 * agent can take when `blocked` sessions that only a busy specialist can take
 * are queued ahead of it (older, higher priority), against the same round
 * with nothing ahead of it — the baseline, measured in the same run.
 */
export async function benchHeadOfLine(blocked: number, rounds = 20): Promise<{ baselineMs: number; behindMs: number }> {
  const db = await freshDatabase("orch_bench_hol");
  const scheduler = bypassTenantWall(db, "bench: dispatch as the scheduler does");
  try {
    await db.query("UPDATE tenants SET max_concurrent_sessions = 10000 WHERE id = $1", [TENANT]);
    const [specialist] = await seedAgents(db, 1, 1, ["security_audit"]);
    await seedAgents(db, 1, 1000, ["code_generation"]);
    // The specialist is busy: one session of its own runs.
    await seedQueued(db, 1, ["security_audit"], new Date(Date.now() - 3_600_000));
    await db.query("UPDATE sessions SET status = 'running', agent_id = $1", [specialist]);
    const round = async (): Promise<number> => {
      await seedQueued(db, 1, ["code_generation"], new Date(Date.now() + 3_600_000));
      const t0 = performance.now();
      const claims = await claimQueued(scheduler, {
        replica: "bench",
        limit: 20,
        runnerHealthy: () => true,
        now: new Date(),
      });
      const ms = performance.now() - t0;
      if (claims.length !== 1 || claims[0]!.session.requiredCapabilities[0] !== "code_generation")
        throw new Error(`head-of-line: claimed ${claims.length}`);
      return ms;
    };
    const median = async () => {
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) times.push(await round());
      return percentile(times, 50);
    };
    const baselineMs = await median();
    await seedQueued(db, blocked, ["security_audit"]);
    const behindMs = await median();
    return { baselineMs, behindMs };
  } finally {
    await db.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "orch_bench_hol" WITH (FORCE)`));
  }
}

/**
 * How a dispatch round's time grows with the queue: the median round that
 * starts one session, with `small` sessions queued (the baseline) and with
 * `large` queued, on the same database in the same run. Flat is the target:
 * the round reads the queue's head on an index, whatever lies behind it.
 */
export async function benchQueueDepth(
  small: number,
  large: number,
  rounds = 20,
): Promise<{ smallMs: number; largeMs: number }> {
  const db = await freshDatabase("orch_bench_depth");
  const scheduler = bypassTenantWall(db, "bench: dispatch as the scheduler does");
  try {
    await db.query("UPDATE tenants SET max_concurrent_sessions = 100000 WHERE id = $1", [TENANT]);
    await seedAgents(db, 1, 100_000);
    const median = async (depth: number) => {
      await db.query("DELETE FROM session_events");
      await db.query("DELETE FROM attempts");
      await db.query("DELETE FROM sessions");
      await seedQueued(db, depth + rounds);
      await db.query("ANALYZE sessions");
      const times: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const t0 = performance.now();
        const claims = await claimQueued(scheduler, {
          replica: "bench",
          limit: 1,
          runnerHealthy: () => true,
          now: new Date(),
        });
        times.push(performance.now() - t0);
        if (claims.length !== 1) throw new Error(`queue depth ${depth}: claimed ${claims.length}`);
      }
      return percentile(times, 50);
    };
    const smallMs = await median(small);
    const largeMs = await median(large);
    return { smallMs, largeMs };
  } finally {
    await db.close();
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "orch_bench_depth" WITH (FORCE)`));
  }
}
