import type { ChildProcess } from "node:child_process";
import { execFileSync } from "node:child_process";
import { createApiClient, type ApiClient } from "@industrial/contracts";
import { INFRASTRUCTURE_LOST, sessionShortId } from "@industrial/core";
import { bearer, createTestDatabase, tempDir, waitFor, type TestDatabase } from "@industrial/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, waitForStatus } from "./testing/harness";
import { killReplica, startServerProcess } from "./testing/server-process";
import { TestWsClient } from "./testing/ws-client";

// Replicas as separate pods: orchestrator processes with data dirs (worktrees, managed
// runners, OpenCode stores) of their own, on one PostgreSQL, sharing one work remote
// (a bare repository). PostgreSQL only: several processes on one database.
let db: TestDatabase;
const remote = tempDir("orch-failover-remote-");
const dirs: { remove(): void }[] = [remote];
let replicas: { child: ChildProcess; dataDir: string; output: () => string }[] = [];

beforeAll(async () => {
  execFileSync("git", ["init", "--quiet", "--bare", remote.path]);
  db = await createTestDatabase("postgres");
}, 60_000);

// Every replica's whole group (and its runners) goes, whatever the test did.
afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail")
    for (const r of replicas) console.log(`--- ${r.dataDir}\n${r.output().slice(-6000)}`);
  for (const r of replicas) await killReplica(r.child, r.dataDir);
  replicas = [];
});

afterAll(async () => {
  await db?.drop();
  for (const d of dirs) d.remove();
});

async function startReplica(name: string, env: Record<string, string> = {}) {
  const dataDir = tempDir(`orch-${name}-`);
  dirs.push(dataDir);
  const s = await startServerProcess(
    {
      DATABASE_URL: db.url!,
      ORCHESTRATOR_DATA_DIR: dataDir.path,
      ORCHESTRATOR_WORK_REMOTE: remote.path,
      ORCHESTRATOR_REPLICA_ID: name,
      LOG_LEVEL: "warn",
      ...env,
    },
    ["--demo"],
    { ownGroup: true },
  );
  replicas.push({ child: s.child, dataDir: dataDir.path, output: s.output });
  return { ...s, dataDir: dataDir.path, api: createApiClient({ baseUrl: s.url, headers: bearer() }) };
}

const git = (...args: string[]) =>
  execFileSync("git", ["--git-dir", remote.path, ...args], { encoding: "utf8" }).trim();

/**
 * Three files over three checkpoints (sleeps between), then a long bash wait: the replica dies
 * during it. The wait happens only in a workspace without checkpoint refs,
 * i.e. not in one recreated from the work remote (which fetches them): the
 * adopter's new attempt replays the script (the scripted model starts it
 * over in a new conversation) without waiting again.
 */
const SCRIPT = scripted("three files, then a long step", [
  { tool: "write", input: { filePath: "one.txt", content: "one\n" } },
  { sleep_ms: 600 },
  { tool: "write", input: { filePath: "two.txt", content: "two\n" } },
  { sleep_ms: 600 },
  { tool: "write", input: { filePath: "three.txt", content: "three\n" } },
  {
    tool: "bash",
    input: {
      command: "git for-each-ref refs/orchestrator/checkpoints | grep -q . || sleep 90",
      description: "a long step",
    },
  },
  { text: "finished" },
]);

/** Running on `api`'s replica, in its long step, with its three file checkpoints on the work remote. */
async function untilInLongStep(api: ApiClient, id: string) {
  await waitFor(
    async () =>
      (await allEvents(api, id)).some(
        (e) => e.type === "session.tool" && e.payload.tool === "bash" && e.payload.status === "running",
      ) || null,
    "the long step",
    { timeoutMs: 60_000 },
  );
  await waitFor(
    async () => ((await api.call("verifyCheckpoints", { params: { id } })).remote?.pushed ?? 0) >= 3 || null,
    "three checkpoints on the work remote",
    { timeoutMs: 30_000 },
  );
}

/** When the session's attempt was adopted by `replica` (polled): ms since `t0`. */
async function adoptedAfter(
  api: ApiClient,
  id: string,
  replica: string,
  t0: number,
  timeoutMs: number,
): Promise<number> {
  await waitFor(
    async () =>
      (await allEvents(api, id)).some(
        (e) => e.type === "session.attempt" && e.payload.action === "adopted" && e.payload.replica === replica,
      ) || null,
    `adoption by ${replica}`,
    {
      timeoutMs,
      intervalMs: 100,
    },
  );
  return Date.now() - t0;
}

/** What both scenarios check once the adopter finished: the files, the work remote, the attempts. */
async function expectFinishedWithEverything(api: ApiClient, id: string) {
  const done = await waitForStatus(api, id, ["completed", "failed"], 90_000);
  expect(done.status, done.statusReason ?? "").toBe("completed");
  // The adopter's diff: every file, those written before the replica died included.
  const diff = await api.call("sessionDiff", { params: { id } });
  expect(diff.files.map((f) => f.path)).toEqual(expect.arrayContaining(["one.txt", "two.txt", "three.txt"]));
  // The lost attempt did not count against maxAttempts 1: a second attempt ran and completed.
  const attempts = await db.db.query<{ number: number; error: { code: string; retryable: boolean } | null }>(
    "SELECT number, error FROM attempts WHERE session_id = $1 ORDER BY number",
    [id],
  );
  expect(attempts.map((a) => a.number)).toEqual([1, 2]);
  expect(attempts[0]!.error).toMatchObject({ code: INFRASTRUCTURE_LOST, retryable: true });
  expect(attempts[1]!.error).toBeNull();
  const events = await allEvents(api, id);
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
  expect(
    events.some(
      (e) =>
        e.type === "session.log" && /workspace recreated from the work remote at checkpoint \d+/.test(e.payload.text),
    ),
  ).toBe(true);
  // The branch is on the work remote, and continues the first attempt's checkpoints (nothing was started over).
  const short = sessionShortId(id);
  const head = git("rev-parse", `refs/heads/orchestrator/${short}`);
  for (const f of ["one.txt", "two.txt", "three.txt"]) expect(git("show", `${head}:${f}`)).toBe(f.replace(".txt", ""));
  const firstAttempt = await db.db.query<{ git_commit: string }>(
    "SELECT git_commit FROM checkpoints WHERE session_id = $1 AND attempt = 1 AND pushed_at IS NOT NULL ORDER BY seq",
    [id],
  );
  for (const c of firstAttempt)
    execFileSync("git", ["--git-dir", remote.path, "merge-base", "--is-ancestor", c.git_commit, head]);
  await waitFor(
    async () => (await api.call("verifyCheckpoints", { params: { id } })).remote?.notYetPushed.length === 0 || null,
    "every checkpoint pushed",
    { timeoutMs: 30_000 },
  );
  return { events, firstAttempt };
}

describe("any replica serves any session (two processes, separate data dirs, one work remote)", () => {
  it("kill -9 of a replica's whole process group: the other adopts after the lease expires and finishes the session from the work remote", async () => {
    const a = await startReplica("replica-a");
    const s = await a.api.call("createSession", {
      body: { title: "survives its replica", prompt: SCRIPT, retry: { maxAttempts: 1, backoffBaseSeconds: 0.5 } },
    });
    await untilInLongStep(a.api, s.id);
    // B comes up while A works; A was the only replica when the session was claimed.
    const b = await startReplica("replica-b");
    const t0 = Date.now();
    await killReplica(a.child, a.dataDir);
    const takeover = await adoptedAfter(b.api, s.id, "replica-b", t0, 60_000);
    console.log(`kill -9: replica-b adopted the session ${(takeover / 1000).toFixed(1)} s after the kill (lease 30 s)`);
    const { firstAttempt } = await expectFinishedWithEverything(b.api, s.id);
    expect(firstAttempt.length).toBeGreaterThanOrEqual(3);
    // B never used A's copy (which still exists on this machine): its workspace is under its own data dir.
    const view = await b.api.call("getSession", { params: { id: s.id } });
    expect(
      view.workspace.path!.startsWith(b.dataDir) || view.workspace.path!.startsWith(await realDir(b.dataDir)),
    ).toBe(true);
  }, 240_000);

  it("SIGTERM: the replica checkpoints, pushes and hands the lease back; the other takes over within seconds; WebSockets get 1001; it exits within its grace", async () => {
    const a = await startReplica("replica-c", { ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS: "10" });
    const s = await a.api.call("createSession", {
      body: { title: "handed over", prompt: SCRIPT, retry: { maxAttempts: 1, backoffBaseSeconds: 0.5 } },
    });
    await untilInLongStep(a.api, s.id);
    const b = await startReplica("replica-d");
    const socket = await TestWsClient.connect(`${a.url}/ws/sessions/${s.id}`);
    const t0 = Date.now();
    const exited = new Promise<number | null>((r) => a.child.once("exit", (code) => r(code)));
    a.child.kill("SIGTERM");
    const takeover = await adoptedAfter(b.api, s.id, "replica-d", t0, 15_000);
    const code = await exited;
    const exitMs = Date.now() - t0;
    console.log(
      `SIGTERM: replica-d adopted the session ${(takeover / 1000).toFixed(1)} s after the signal; replica-c exited after ${(exitMs / 1000).toFixed(1)} s`,
    );
    expect(takeover).toBeLessThan(8_000);
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(10_000);
    expect((await socket.closed).code).toBe(1001);
    const { events } = await expectFinishedWithEverything(b.api, s.id);
    // The hand-over checkpoint: written by the first attempt as it stopped, and pushed.
    const handover = await db.db.query<{ seq: number; pushed: boolean }>(
      "SELECT seq, pushed_at IS NOT NULL AS pushed FROM checkpoints WHERE session_id = $1 AND attempt = 1 AND trigger = 'pause'",
      [s.id],
    );
    expect(handover).toHaveLength(1);
    expect(handover[0]!.pushed).toBe(true);
    expect(
      events.some(
        (e) =>
          e.type === "session.log" &&
          e.payload.text.includes(`workspace recreated from the work remote at checkpoint ${handover[0]!.seq}`),
      ),
    ).toBe(true);
  }, 240_000);
});

async function realDir(path: string): Promise<string> {
  const { realpath } = await import("node:fs/promises");
  return realpath(path);
}
