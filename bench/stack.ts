import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient, type ApiClient } from "@industrial/contracts";
import { DEFAULT_TENANT_ID, FINISHED_STATUSES, type SessionStatus } from "@industrial/core";
import {
  computeOpenCodeConfig,
  createManagedRunner,
  createOpenCodeClient,
  subscribeEvents,
} from "@industrial/opencode";
import { appendEvents, lockSession } from "@industrial/db";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import { startOrchestrator, type Orchestrator } from "@industrial/server";
import WebSocket from "ws";

export interface BenchSession {
  id: string;
  t0: number;
  seenDoneAt: number;
  workspacePath: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** What the session benches share: the scripted model, one `opencode serve`, and an orchestrator driving it. */
export interface BenchStack {
  root: string;
  model: ScriptedModel;
  runnerUrl: string;
  api: ApiClient;
  /** The orchestrator's base URL, and the admin key its API takes (for clients other than `api`, e.g. a load generator). */
  url: string;
  adminKey: string;
  /** Runs a session to its end through the API, watching its WebSocket; when the end was seen, where it worked, when it was queued, started and finished. */
  runSession(body: Record<string, unknown>, timeoutMs?: number): Promise<BenchSession>;
  stop(): Promise<void>;
}

/** The bench calls the API as the default tenant's admin, with a key made for this run. */
export const benchAdminKey = (): string => `bench-${randomBytes(24).toString("hex")}`;

/** What every bench orchestrator runs with: its data dir under `root`, port 0, that admin key, quiet unless BENCH_LOG_LEVEL says. */
export function benchOrchestratorEnv(root: string, adminKey: string): Record<string, string | undefined> {
  return {
    ORCHESTRATOR_ADMIN_KEY: adminKey,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: "0",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent",
    ORCHESTRATOR_DATA_DIR: join(root, "orc"),
    // The bench calls far faster than a person.
    ORCHESTRATOR_RATE_LIMIT: "0",
  };
}

export async function startBenchStack(prefix: string, env: Record<string, string> = {}): Promise<BenchStack> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const model = await createScriptedModel({ port: 0 });
  // A remote runner as an operator may run one, without a password: ORCHESTRATOR_REMOTE_RUNNERS names none.
  const runner = await createManagedRunner({
    stateDir: join(root, "runner"),
    config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }),
    isolate: true,
    authenticate: false,
  });
  const adminKey = benchAdminKey();
  const orc = await startOrchestrator({
    env: {
      ...benchOrchestratorEnv(root, adminKey),
      ORCHESTRATOR_WORKSPACE_ROOTS: root,
      ORCHESTRATOR_MANAGED_RUNNERS: "0",
      ORCHESTRATOR_REMOTE_RUNNERS: runner.url,
      ORCHESTRATOR_DEFAULT_MODEL: "scripted/scripted-model",
      ...env,
    },
  });
  const api = createApiClient({ baseUrl: orc.url, headers: { authorization: `Bearer ${adminKey}` } });
  return {
    root,
    model,
    runnerUrl: runner.url,
    api,
    url: orc.url,
    adminKey,
    async runSession(body, timeoutMs) {
      const t0 = Date.now();
      const s = await api.call("createSession", { body: { retry: { maxAttempts: 1 }, ...body } as never });
      // The end arrives on the session's WebSocket (its log replayed from the start): no polling loop sharing the orchestrator's event loop.
      const seenDoneAt = await untilEnded(
        `${orc.url.replace(/^http/, "ws")}/ws/sessions/${s.id}?after=0`,
        adminKey,
        timeoutMs,
      );
      const cur = await api.call("getSession", { params: { id: s.id } });
      if (cur.status !== "completed") throw new Error(`bench session ${cur.status}: ${cur.error?.message ?? ""}`);
      return {
        id: s.id,
        t0,
        seenDoneAt,
        workspacePath: cur.workspace.path,
        createdAt: cur.createdAt,
        startedAt: cur.startedAt,
        finishedAt: cur.finishedAt,
      };
    },
    async stop() {
      await orc.stop();
      await runner.stop();
      await model.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * One session driven straight through OpenCode in `dir` — subscribe, create,
 * prompt, wait for idle, read the messages: the baseline the orchestrator adds
 * its work to. Times are wall-clock ms (Date.now), as the scripted model's log.
 */
export async function driveDirect(
  url: string,
  dir: string,
  prompt: string,
): Promise<{ openedAt: number; subscribedAt: number; doneAt: number }> {
  const openedAt = Date.now();
  const client = createOpenCodeClient({ baseUrl: url, directory: dir });
  let idle!: () => void;
  const done = new Promise<void>((r) => (idle = r));
  let id = "";
  let busy = false;
  const sub = subscribeEvents({
    baseUrl: url,
    directory: dir,
    onEvent: (e) => {
      const p = e.properties as { sessionID?: string; status?: { type?: string } };
      if (p.sessionID !== id) return;
      if (e.type === "session.status" && p.status?.type === "busy") busy = true;
      if (e.type === "session.idle" && busy) idle();
    },
  });
  await sub.ready;
  const subscribedAt = Date.now();
  id = (await client.createSession({ title: "bench" })).id;
  await client.promptAsync(id, { text: prompt });
  await done;
  await client.messages(id);
  const doneAt = Date.now();
  sub.close();
  return { openedAt, subscribedAt, doneAt };
}

/** Resolves with the time the session's status changed to a finished one on its WebSocket; gives up after `timeoutMs`. */
function untilEnded(url: string, key: string, timeoutMs = 120_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { authorization: `Bearer ${key}` } });
    const timer = setTimeout(() => {
      reject(new Error(`the session did not finish within ${timeoutMs} ms`));
      socket.terminate();
    }, timeoutMs);
    socket.on("message", (data) => {
      const f = JSON.parse(data.toString()) as { type: string; payload?: { to?: SessionStatus } };
      if (f.type !== "session.status_changed" || !f.payload?.to || !FINISHED_STATUSES.includes(f.payload.to)) return;
      clearTimeout(timer);
      resolve(Date.now());
      socket.close();
    });
    socket.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`the session's WebSocket closed (${code}) before its end`));
    });
  });
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.email=bench@example.com", "-c", "user.name=bench", ...args], { cwd });

/** A one-commit repository at `<root>/repo` for sessions to be cut from; returns its path. */
export function makeBenchRepo(root: string): string {
  const repo = join(root, "repo");
  mkdirSync(repo);
  writeFileSync(join(repo, "README.md"), "bench\n");
  git(repo, "init", "--quiet");
  git(repo, "add", "--all");
  git(repo, "commit", "--quiet", "-m", "base");
  return repo;
}

/** A new clone of it: a directory OpenCode has never seen, for the direct baseline. */
export function cloneBenchRepo(repo: string, dir: string): void {
  git(repo, "clone", "--quiet", repo, dir);
}

/**
 * Writes `texts` as log lines of a default-tenant session the way its attempt
 * does (appended to the log under the session's lock, then published on the
 * bus): what a live client of the session receives.
 */
export async function appendLogLines(orc: Orchestrator, sessionId: string, texts: string[]): Promise<void> {
  const events = await orc.db.transaction(async (tx) =>
    appendEvents(
      tx,
      await lockSession(tx, sessionId, { tenantId: DEFAULT_TENANT_ID }),
      texts.map((text) => ({
        type: "session.log" as const,
        payload: { level: "info" as const, source: "assistant" as const, text },
      })),
      null,
    ),
  );
  orc.bus.publish(events);
}
