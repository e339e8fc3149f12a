import type { ChildProcess } from "node:child_process";
import { createApiClient } from "@industrial/contracts";
import { bearer, createTestDatabase, tempDir, waitFor, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperatorRunner, type OperatorRunner } from "./testing/operator-runner";
import { scripted } from "./testing/harness";
import { startServerProcess, stopProcess } from "./testing/server-process";

// Two orchestrator processes on one PostgreSQL sharing one remote OpenCode
// runner: PostgreSQL only (PGlite is one process by design).
let db: TestDatabase;
let remote: OperatorRunner;
const dataDirs = [tempDir("orch-p1-"), tempDir("orch-p2-")];
// One plain directory for every session: they work in it in place, so OpenCode builds one
// instance for all of them (a new directory costs it seconds of CPU; see README, Performance).
const shared = tempDir("orch-shared-");
const servers: { child: ChildProcess; url: string }[] = [];

beforeAll(async () => {
  db = await createTestDatabase("postgres");
  remote = await startOperatorRunner();
  for (const [i, dir] of dataDirs.entries())
    servers.push(
      await startServerProcess({
        DATABASE_URL: db.url!,
        ORCHESTRATOR_DATA_DIR: dir.path,
        ORCHESTRATOR_DEFAULT_MODEL: "scripted/scripted-model",
        ORCHESTRATOR_MANAGED_RUNNERS: "0",
        ORCHESTRATOR_REMOTE_RUNNERS: remote.runner.url,
        ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: "8",
        ORCHESTRATOR_REPLICA_ID: `replica-${i + 1}`,
        LOG_LEVEL: "warn",
      }),
    );
  await db.db.query("UPDATE tenants SET max_concurrent_sessions = 16");
}, 120_000);

afterAll(async () => {
  for (const s of servers) expect(await stopProcess(s.child)).toBe(0);
  await remote?.close();
  await db?.drop();
  for (const d of [shared, ...dataDirs]) d.remove();
});

describe("two scheduler processes on one PostgreSQL", () => {
  // 40: two and a half times what both may run at once (16), so both keep competing for the queue to its end.
  it("dispatches each of 40 queued sessions exactly once", async () => {
    const api = createApiClient({ baseUrl: servers[0]!.url, headers: bearer() });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++)
      ids.push(
        (
          await api.call("createSession", {
            body: {
              title: `s${i}`,
              prompt: scripted(`instant ${i}`, [{ text: `done ${i}` }]),
              directory: shared.path,
              start: false,
              retry: { maxAttempts: 1 },
            },
          })
        ).id,
      );
    // Release them all at once so both schedulers compete for the same queue.
    await db.db.query("UPDATE sessions SET held = false WHERE id = ANY($1::uuid[])", [ids]);
    await waitFor(
      async () =>
        (
          await db.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM sessions WHERE status IN ('completed','failed') AND id = ANY($1::uuid[])",
            [ids],
          )
        )[0]!.n === 40,
      "40 sessions to finish",
      { timeoutMs: 280_000, intervalMs: 500 },
    );
    const attempts = await db.db.query<{ session_id: string; n: number }>(
      "SELECT session_id, count(*)::int AS n FROM attempts WHERE session_id = ANY($1::uuid[]) GROUP BY session_id",
      [ids],
    );
    expect(attempts).toHaveLength(40);
    expect(attempts.every((a) => a.n === 1)).toBe(true);
    const byReplica = await db.db.query<{ replica: string; n: number }>(
      `SELECT payload->>'replica' AS replica, count(*)::int AS n FROM session_events
       WHERE session_id = ANY($1::uuid[]) AND type = 'session.attempt' GROUP BY 1 ORDER BY 1`,
      [ids],
    );
    // Both processes took work, and the starts add up to exactly one per session.
    expect(byReplica.map((r) => r.replica)).toEqual(["replica-1", "replica-2"]);
    expect(byReplica.reduce((a, r) => a + r.n, 0)).toBe(40);
    const statuses = await db.db.query<{ status: string; n: number }>(
      "SELECT status, count(*)::int AS n FROM sessions WHERE id = ANY($1::uuid[]) GROUP BY status",
      [ids],
    );
    expect(statuses).toEqual([{ status: "completed", n: 40 }]);
  }, 300_000);

  it("never runs more sessions on an agent than its maxConcurrent, whichever process dispatches (from the event log)", async () => {
    const api = createApiClient({ baseUrl: servers[1]!.url, headers: bearer() });
    const [remote] = await db.db.query<{ id: string }>(
      "SELECT id FROM runners WHERE kind = 'remote' AND deleted_at IS NULL",
    );
    const narrow = await api.call("createAgent", {
      body: {
        name: "narrow",
        type: "optimizer",
        maxConcurrent: 2,
        runnerId: remote!.id,
        model: "scripted/scripted-model",
      },
    });
    // Only the narrow agent may take these sessions.
    const others = (await api.call("listAgents", { query: {} })).items.filter((a) => a.id !== narrow.id);
    for (const a of others)
      await api.call("maintenanceAgent", {
        params: { id: a.id },
        body: { enabled: true, reason: "test: one agent only" },
      });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++)
      ids.push(
        (
          await api.call("createSession", {
            body: {
              title: `n${i}`,
              prompt: scripted(`slow ${i}`, [{ sleep_ms: 700 }, { text: `done ${i}` }]),
              directory: shared.path,
              requiredCapabilities: ["scaling"],
              start: false,
              retry: { maxAttempts: 1 },
            },
          })
        ).id,
      );
    // Four at once: the agent's two slots are contended. Then one at a time, started through each
    // process in turn (a start pokes the scheduler it reaches): a replica that finishes a session pokes
    // itself and would otherwise win every freed slot of a full queue.
    await db.db.query("UPDATE sessions SET held = false WHERE id = ANY($1::uuid[])", [ids.slice(0, 4)]);
    const apis = servers.map((s) => createApiClient({ baseUrl: s.url, headers: bearer() }));
    for (const [i, id] of ids.slice(4).entries()) {
      await new Promise((r) => setTimeout(r, 350));
      await apis[i % apis.length]!.call("startSession", { params: { id } });
    }
    await waitFor(
      async () =>
        (
          await db.db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM sessions WHERE status IN ('completed','failed') AND id = ANY($1::uuid[])",
            [ids],
          )
        )[0]!.n === 12,
      "12 sessions to finish",
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    const rows = await db.db.query<{ session_id: string; to: string; at: Date; replica: string | null }>(
      `SELECT session_id, payload->>'to' AS to, created_at AS at, NULL AS replica FROM session_events
       WHERE session_id = ANY($1::uuid[]) AND type = 'session.status_changed' AND payload->>'from' IN ('queued', 'running', 'degraded')
       UNION ALL
       SELECT session_id, 'attempt', created_at, payload->>'replica' FROM session_events WHERE session_id = ANY($1::uuid[]) AND type = 'session.attempt'`,
      [ids],
    );
    // Sweep over the run intervals: +1 when a session starts running, −1 when it leaves running; ends first on a tie.
    const marks = rows
      .filter((r) => r.to !== "attempt")
      .map((r) => ({ t: new Date(r.at).getTime(), d: r.to === "running" ? 1 : -1 }))
      .sort((a, b) => a.t - b.t || a.d - b.d);
    let now = 0;
    let peak = 0;
    for (const m of marks) peak = Math.max(peak, (now += m.d));
    expect(marks.filter((m) => m.d === 1)).toHaveLength(12);
    expect(now).toBe(0);
    expect(peak).toBe(2);
    // Both processes dispatched to it.
    expect(new Set(rows.filter((r) => r.to === "attempt").map((r) => r.replica))).toEqual(
      new Set(["replica-1", "replica-2"]),
    );
    const sessions = await db.db.query<{ status: string; agent_id: string }>(
      "SELECT status, agent_id FROM sessions WHERE id = ANY($1::uuid[])",
      [ids],
    );
    expect(sessions.every((s) => s.status === "completed" && s.agent_id === narrow.id)).toBe(true);
  }, 180_000);
});
