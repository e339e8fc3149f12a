import { execFileSync } from "node:child_process";
import { createTestDatabase, tempDir, waitFor, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOperatorRunner, type OperatorRunner } from "./testing/operator-runner";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// Two replicas (in this process, to look inside their schedulers) on one PostgreSQL,
// sharing one remote OpenCode runner: PostgreSQL only (PGlite is one process by design).
let db: TestDatabase;
let remote: OperatorRunner;
// One work remote for both, as replicas of a cluster share one.
const workRemote = tempDir("orch-shared-work-remote-");
const orcs: TestOrchestrator[] = [];

beforeAll(async () => {
  execFileSync("git", ["init", "--quiet", "--bare", workRemote.path]);
  db = await createTestDatabase("postgres");
  remote = await startOperatorRunner();
  for (let i = 0; i < 2; i++)
    orcs.push(
      await startTestOrchestrator({
        dbUrl: db.url,
        env: {
          ORCHESTRATOR_DEMO: "",
          ORCHESTRATOR_DEFAULT_MODEL: "scripted/scripted-model",
          ORCHESTRATOR_MANAGED_RUNNERS: "0",
          ORCHESTRATOR_REMOTE_RUNNERS: remote.runner.url,
          ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: "8",
          ORCHESTRATOR_REPLICA_ID: `replica-${i + 1}`,
          ORCHESTRATOR_WORK_REMOTE: workRemote.path,
        },
      }),
    );
  await db.db.query("UPDATE tenants SET max_concurrent_sessions = 16");
}, 120_000);

afterAll(async () => {
  for (const o of orcs) await o.close();
  await remote?.close();
  await db?.drop();
  workRemote.remove();
});

describe("fencing between two replicas on one PostgreSQL", () => {
  it("rejects the writes of a replica whose lease was taken over (stale fencing token)", async () => {
    const [a, b] = orcs as [TestOrchestrator, TestOrchestrator];
    const s = await a.api.call("createSession", {
      body: {
        prompt: scripted("long", [{ sleep_ms: 4000 }, { text: "finished by the adopter" }]),
        retry: { maxAttempts: 1 },
      },
    });
    await waitForStatus(a.api, s.id, ["running"]);
    // Let the holder get its OpenCode session going (recorded before its first prompt).
    await waitFor(
      async () =>
        (
          await db.db.query<{ id: string }>(
            "SELECT id FROM attempts WHERE session_id = $1 AND opencode_session_id IS NOT NULL",
            [s.id],
          )
        ).length === 1,
      "OpenCode session",
      { timeoutMs: 20_000 },
    );
    await new Promise((r) => setTimeout(r, 500));
    const [att] = await db.db.query<{ id: string; lease_owner: string; fencing_token: number }>(
      "SELECT id, lease_owner, fencing_token FROM attempts WHERE session_id = $1",
      [s.id],
    );
    const holder = att!.lease_owner === a.orc.replica ? a : b;
    const other = holder === a ? b : a;
    // The holder "stalls": its lease runs out under it; the other replica adopts with a newer token.
    // Expired again at every poll: a renewal by the holder in between (a busy machine) must not hide the stall.
    await waitFor(
      async () => {
        await db.db.query(
          "UPDATE attempts SET lease_expires_at = now() - interval '1 second' WHERE id = $1 AND lease_owner = $2",
          [att!.id, holder.orc.replica],
        );
        return (
          (await db.db.query<{ lease_owner: string }>("SELECT lease_owner FROM attempts WHERE id = $1", [att!.id]))[0]!
            .lease_owner === other.orc.replica
        );
      },
      "adoption",
      { timeoutMs: 20_000 },
    );
    const [after] = await db.db.query<{ fencing_token: number }>("SELECT fencing_token FROM sessions WHERE id = $1", [
      s.id,
    ]);
    expect(after!.fencing_token).toBe(att!.fencing_token + 1);
    const done = await waitForStatus(other.api, s.id, ["completed", "failed"], 30_000);
    expect(done.status).toBe("completed");
    // The old holder noticed the stale token and let go: it supervises nothing for this session any more.
    await waitFor(() => holder.orc.scheduler?.local(s.id) === undefined, "old holder to detach", { timeoutMs: 15_000 });
    const events = await db.db.query<{ seq: number }>(
      "SELECT seq FROM session_events WHERE session_id = $1 ORDER BY seq",
      [s.id],
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // The shared work remote took the adopter's checkpoints: nothing the old holder pushed made it give up.
    await waitFor(
      async () =>
        (await other.api.call("verifyCheckpoints", { params: { id: s.id } })).remote?.notYetPushed.length === 0 || null,
      "checkpoints on the work remote",
      { timeoutMs: 20_000 },
    );
    const v = await other.api.call("verifyCheckpoints", { params: { id: s.id } });
    expect(v.remote).toMatchObject({ reachable: true, missing: [] });
    expect(v.remote!.pushed).toBe(v.checked);
    expect((await other.orc.metrics.staleWrites.get()).values.find((m) => m.labels.kind === "git")?.value ?? 0).toBe(0);
  }, 90_000);
});
