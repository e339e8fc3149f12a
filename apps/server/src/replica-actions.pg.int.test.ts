import { execFileSync } from "node:child_process";
import { realpathSync } from "node:fs";
import type { ApiClient } from "@industrial/contracts";
import { sessionShortId } from "@industrial/core";
import { createTestDatabase, tempDir, waitFor, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// Actions on a replica that did not run the session (separate data dirs, one PostgreSQL,
// one work remote): B serves the API only (no scheduler), so it never holds a workspace
// unless an action makes it recreate one; A runs every attempt. PostgreSQL only.
let db: TestDatabase;
let a: TestOrchestrator;
let b: TestOrchestrator;
const remote = tempDir("orch-actions-remote-");
const dirs = [remote, tempDir("orch-actions-a-"), tempDir("orch-actions-b-"), tempDir("orch-actions-c-")];
const [, dirA, dirB, dirC] = dirs as [unknown, { path: string }, { path: string }, { path: string }];

const replica = (name: string, dataDir: string, env: Record<string, string> = {}) =>
  startTestOrchestrator({
    dbUrl: db.url,
    dataDir,
    env: { ORCHESTRATOR_WORK_REMOTE: remote.path, ORCHESTRATOR_REPLICA_ID: name, ...env },
  });

beforeAll(async () => {
  execFileSync("git", ["init", "--quiet", "--bare", remote.path]);
  db = await createTestDatabase("postgres");
  a = await replica("replica-a", dirA.path);
  b = await replica("replica-b", dirB.path, { ORCHESTRATOR_SCHEDULER: "off" });
}, 120_000);

afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.drop();
  for (const d of dirs) (d as { remove(): void }).remove();
});

const git = (...args: string[]) =>
  execFileSync("git", ["--git-dir", remote.path, ...args], { encoding: "utf8" }).trim();
// Dispatch holds everything queued while the tenant's quota is 0: what an action left can be looked at before A runs it.
const hold = () => db.db.query("UPDATE tenants SET max_concurrent_sessions = 0");
const release = () => db.db.query("UPDATE tenants SET max_concurrent_sessions = 10");

/** Lists what the workspace holds when an attempt begins, then writes three files, then waits (to be stopped). */
const LISTING = scripted("list, then three files", [
  { tool: "bash", input: { command: "ls -1 > listing.txt", description: "list the workspace" } },
  { tool: "write", input: { filePath: "one.txt", content: "one\n" } },
  // A step's checkpoint is taken while the agent goes on: a pause keeps the next file out of it on a busy machine.
  { sleep_ms: 2000 },
  { tool: "write", input: { filePath: "two.txt", content: "two\n" } },
  { sleep_ms: 2000 },
  { tool: "write", input: { filePath: "three.txt", content: "three\n" } },
  { sleep_ms: 60_000 },
  { text: "done" },
]);

/** Attempt `n` runs on A through its four steps (all checkpointed and pushed), then is stopped. */
async function runUntilStopped(id: string, n: number) {
  await waitFor(
    async () =>
      (
        await db.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM checkpoints WHERE session_id = $1 AND attempt = $2 AND pushed_at IS NOT NULL",
          [id, n],
        )
      )[0]!.n >= 4 || null,
    `attempt ${n}'s four checkpoints on the work remote`,
    { timeoutMs: 60_000 },
  );
  await a.api.call("stopSession", { params: { id } });
  await waitForStatus(a.api, id, ["stopped"], 15_000);
}

/** The checkpoint of attempt `n` whose commit holds `file` and not `next`. */
async function checkpointWith(id: string, n: number, file: string, next: string): Promise<number> {
  const rows = await db.db.query<{ seq: number; git_commit: string }>(
    "SELECT seq, git_commit FROM checkpoints WHERE session_id = $1 AND attempt = $2 ORDER BY seq",
    [id, n],
  );
  const found = rows.find((r) => {
    const files = git("ls-tree", "--name-only", r.git_commit).split("\n");
    return files.includes(file) && !files.includes(next);
  });
  if (!found) throw new Error(`no checkpoint of attempt ${n} with ${file} and without ${next}`);
  return found.seq;
}

const paths = async (api: ApiClient, id: string) =>
  (await api.call("sessionDiff", { params: { id } })).files.map((f) => f.path).sort();

/** What `ls` saw when the last attempt began (listing.txt's added lines), read through B's diff. */
async function listing(id: string): Promise<string[]> {
  const file = (await b.api.call("sessionDiff", { params: { id } })).files.find((f) => f.path === "listing.txt");
  return (file?.patch ?? "")
    .split("\n")
    .flatMap((l) => (l.startsWith("+") && !l.startsWith("+++") ? [l.slice(1)] : []))
    .sort();
}

const underB = (path: string | null) => path !== null && path.startsWith(realpathSync(dirB.path));

describe("restore, retry and checkpoints on the replica that did not run the session", () => {
  it("restore, retry fromCheckpoint and fresh: B recreates, resets and records its copy; A runs the retry from exactly there", async () => {
    const s = await b.api.call("createSession", {
      body: { title: "moved around", prompt: LISTING, retry: { maxAttempts: 1 } },
    });
    await runUntilStopped(s.id, 1);
    await hold();
    // Whatever happens here, the next test's sessions are admitted.
    onTestFinished(async () => void (await release()));
    const short = sessionShortId(s.id);

    // B holds nothing of it: the diff comes from a copy recreated from the work remote.
    expect(await paths(b.api, s.id)).toEqual(["listing.txt", "one.txt", "three.txt", "two.txt"]);

    // Restore on B: B's copy goes back, is recorded (path under B's data dir), and the branch on the work remote moves back too.
    const one = await checkpointWith(s.id, 1, "one.txt", "two.txt");
    const restored = await b.api.call("restoreCheckpoint", { params: { id: s.id, seq: one } });
    expect(restored.status).toBe("pending");
    expect(underB(restored.workspace.path)).toBe(true);
    expect(await paths(b.api, s.id)).toEqual(["listing.txt", "one.txt"]);
    const [oneCommit] = await db.db.query<{ git_commit: string }>(
      "SELECT git_commit FROM checkpoints WHERE session_id = $1 AND seq = $2",
      [s.id, one],
    );
    await waitFor(
      () => git("rev-parse", `refs/heads/orchestrator/${short}`) === oneCommit!.git_commit || null,
      "the branch moved back on the work remote",
      { timeoutMs: 15_000 },
    );

    // A runs the retry: it recreates the session at the restored checkpoint, not at its newest one.
    await release();
    await runUntilStopped(s.id, 2);
    await hold();
    expect(await listing(s.id)).toEqual(["listing.txt", "one.txt"]);

    // Retry from a checkpoint, on B: B's earlier copy is stale (A ran since) and is brought up to date, then reset.
    const two = await checkpointWith(s.id, 2, "two.txt", "three.txt");
    const retried = await b.api.call("retrySession", { params: { id: s.id }, body: { fromCheckpoint: two } });
    expect(retried.status).toBe("pending");
    expect(underB(retried.workspace.path)).toBe(true);
    expect(await paths(b.api, s.id)).toEqual(["listing.txt", "one.txt", "two.txt"]);
    // A's own copy from attempt 2 (three files) is stale too: it is reset to the checkpoint before A works in it.
    await release();
    await runUntilStopped(s.id, 3);
    await hold();
    expect(await listing(s.id)).toEqual(["listing.txt", "one.txt", "two.txt"]);

    // Fresh, on B: back to the base; A starts from an empty workspace.
    await b.api.call("retrySession", { params: { id: s.id }, body: { fresh: true } });
    expect(await paths(b.api, s.id)).toEqual([]);
    await release();
    await runUntilStopped(s.id, 4);
    expect(await listing(s.id)).toEqual(["listing.txt"]);

    // A manual checkpoint on B: from B's copy, recorded as the session's workspace, and pushed.
    const manual = await b.api.call("createCheckpoint", { params: { id: s.id }, body: {} });
    expect(manual.trigger).toBe("manual");
    expect(underB((await b.api.call("getSession", { params: { id: s.id } })).workspace.path)).toBe(true);
    await waitFor(
      async () =>
        (await b.api.call("verifyCheckpoints", { params: { id: s.id } })).remote?.notYetPushed.length === 0 || null,
      "the manual checkpoint pushed",
      { timeoutMs: 15_000 },
    );
    const v = await b.api.call("verifyCheckpoints", { params: { id: s.id } });
    expect(v.intact).toBe(true);
    expect(v.remote).toMatchObject({ reachable: true, missing: [] });
    // Four attempts, none of them lost, all on A; retries by a person are allowed past maxAttempts.
    const attempts = await db.db.query<{ lease_owner: string | null }>(
      "SELECT lease_owner FROM attempts WHERE session_id = $1",
      [s.id],
    );
    expect(attempts).toHaveLength(4);
    await release();
  }, 300_000);

  it("a follow-up message to a paused session is delivered by a replica whose runner never had its OpenCode session", async () => {
    const s = await a.api.call("createSession", {
      body: {
        title: "paused, then moved",
        prompt: scripted("a, a long step, b", [
          { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
          // Waits only in a workspace without fetched checkpoint refs: not in a copy recreated from the work remote.
          {
            tool: "bash",
            input: {
              command: "git for-each-ref refs/orchestrator/checkpoints | grep -q . || sleep 90",
              description: "a long step",
            },
          },
          { tool: "write", input: { filePath: "b.txt", content: "b\n" } },
          { text: "both written" },
        ]),
        retry: { maxAttempts: 1 },
      },
    });
    await waitFor(
      async () =>
        (await allEvents(a.api, s.id)).some(
          (e) => e.type === "session.tool" && e.payload.tool === "bash" && e.payload.status === "running",
        ) || null,
      "the long step",
      { timeoutMs: 60_000 },
    );
    await b.api.call("pauseSession", { params: { id: s.id } });
    await waitForStatus(b.api, s.id, ["paused"], 15_000);
    await waitFor(
      async () =>
        (await b.api.call("verifyCheckpoints", { params: { id: s.id } })).remote?.notYetPushed.length === 0 || null,
      "the pause checkpoint pushed",
      { timeoutMs: 15_000 },
    );
    await b.api.call("messageSession", { params: { id: s.id }, body: { text: "also mind the follow-up" } });
    // A goes away; C, a new replica with a runner of its own, resumes the session.
    await a.close();
    const c = await replica("replica-c", dirC.path);
    try {
      await b.api.call("resumeSession", { params: { id: s.id } });
      const done = await waitForStatus(c.api, s.id, ["completed", "failed"], 90_000);
      expect(done.status, done.statusReason ?? "").toBe("completed");
      expect(await paths(c.api, s.id)).toEqual(["a.txt", "b.txt"]);
      const attempts = await db.db.query<{ number: number }>("SELECT number FROM attempts WHERE session_id = $1", [
        s.id,
      ]);
      expect(attempts).toHaveLength(1);
      const events = await allEvents(c.api, s.id);
      expect(
        events.some(
          (e) =>
            e.type === "session.log" &&
            e.payload.text.includes("the paused OpenCode session is not on this replica's runner"),
        ),
      ).toBe(true);
      // The new conversation on C's runner was told the follow-up (and what was done).
      const prompts = c.orc
        .scriptedModel!.requests()
        .flatMap((r) => r.messages.filter((m) => m.role === "user").map((m) => JSON.stringify(m.content)));
      expect(
        prompts.some(
          (p) =>
            p.includes("Messages sent to you while the session was paused") && p.includes("also mind the follow-up"),
        ),
      ).toBe(true);
    } finally {
      await c.close();
    }
  }, 240_000);
});
