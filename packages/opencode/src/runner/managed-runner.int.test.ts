import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createScriptedModel, DEMO_FILE, DEMO_SIGNATURE, type ScriptedModel } from "@industrial/scripted-model";
import { createGitRepo, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribeEvents, type EventStreamStatus, type OpenCodeEvent } from "../event-stream";
import { createManagedRunner, type ManagedRunner } from "./managed-runner";
import { resolveOpenCodeBinary } from "./opencode-binary";
import { createOpenCodeClient, type OpenCodeClient, type SessionMessage } from "../opencode-client";
import { computeOpenCodeConfig } from "./opencode-config";
import { findMarkedProcesses, isProcessAlive, PIDFILE_NAME } from "./process-control";
import { computeRunnerEnv } from "./runner-env";

// The real `opencode serve` driven by the scripted model: one model and one
// runner for the whole file, one temporary git repository per test (through
// `?directory=`). OpenCode does not touch storage, so the file runs once, in
// the int-pglite project, not again in int-postgres.

const cleanups: Array<() => Promise<void> | void> = [];
let tmp: ReturnType<typeof tempDir>;
let model: ScriptedModel;
let runner: ManagedRunner;

beforeAll(async () => {
  tmp = tempDir("oc-runner-int-");
  cleanups.push(() => tmp.remove());
  model = await createScriptedModel();
  cleanups.push(() => model.close());
  runner = await createManagedRunner({
    stateDir: join(tmp.path, "runner"),
    isolate: true,
    config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }),
    restartBackoff: { baseMs: 100, maxMs: 1_000, jitter: 0 },
  });
  cleanups.push(() => runner.stop());
});

afterAll(async () => {
  // Newest first: subscriptions, runners, the model, then the temp dir.
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A fresh git repository with one commit (snapshots and revert need it). */
function newRepo(name: string): string {
  const dir = join(tmp.path, name);
  mkdirSync(dir, { recursive: true });
  createGitRepo(dir);
  return dir;
}

interface Watch {
  client: OpenCodeClient;
  events: OpenCodeEvent[];
  statuses: EventStreamStatus[];
  /** Resolves with the first event from index `from` on that matches. */
  until(
    match: (e: OpenCodeEvent) => boolean,
    what: string,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<OpenCodeEvent>;
}

/** Subscribes to a directory's events (before any prompt) and gives a client for it. */
async function watch(directory: string): Promise<Watch> {
  const events: OpenCodeEvent[] = [];
  const statuses: EventStreamStatus[] = [];
  const sub = subscribeEvents({
    baseUrl: () => runner.url,
    directory,
    headers: runner.headers(),
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    reconnect: { baseMs: 100, maxMs: 500, jitter: 0 },
    // The restarted child often reuses the port, and a request in its first ~250 ms hangs.
    handshakeTimeoutMs: 2_000,
  });
  cleanups.push(async () => {
    sub.close();
    await sub.done;
  });
  await sub.ready;
  return {
    client: createOpenCodeClient({ baseUrl: () => runner.url, directory, headers: runner.headers() }),
    events,
    statuses,
    until: (match, what, options = {}) =>
      waitFor(() => events.slice(options.from ?? 0).find(match), what, { timeoutMs: options.timeoutMs ?? 30_000 }),
  };
}

const of = (sessionID: string, type: string) => (e: OpenCodeEvent) =>
  e.type === type && e.properties.sessionID === sessionID;
const script = (steps: unknown[], prompt = "Do the scripted thing") => `${prompt}\nSCRIPT: ${JSON.stringify(steps)}`;

const statusOf = (sessionID: string, type: string) => (e: OpenCodeEvent) =>
  of(sessionID, "session.status")(e) && (e.properties.status as { type: string }).type === type;

/**
 * Prompts and waits for this turn's idle: the first idle after the turn's
 * busy status (an aborted turn sends a second, late `session.idle`, which
 * must not be taken for the end of the next one). Returns the messages.
 */
async function turn(w: Watch, sessionID: string, text: string): Promise<SessionMessage[]> {
  const from = w.events.length;
  await w.client.promptAsync(sessionID, { text });
  const busy = await w.until(statusOf(sessionID, "busy"), `busy of ${sessionID}`, { from });
  await w.until(of(sessionID, "session.idle"), `idle of ${sessionID}`, { from: w.events.indexOf(busy) });
  return w.client.messages(sessionID);
}

const toolParts = (messages: SessionMessage[]) => messages.flatMap((m) => m.parts).filter((p) => p.type === "tool");
const lastText = (messages: SessionMessage[]) =>
  messages
    .flatMap((m) => m.parts)
    .filter((p) => p.type === "text")
    .at(-1);

const suite = describe;

suite("managed runner: started", () => {
  it("serves: health, version, memory, pidfile", async () => {
    const health = await runner.health();
    expect(health).toMatchObject({ healthy: true, version: "1.18.33" });
    expect(runner.version).toBe("1.18.33");
    expect(runner.memoryBytes()).toBeGreaterThan(50 * 1024 * 1024);
    expect(JSON.parse(readFileSync(join(tmp.path, "runner", PIDFILE_NAME), "utf8")).pid).toBe(runner.pid);
  });

  it("answers only requests carrying its own password: any other process gets 401, whatever it asks", async () => {
    const wrong = { authorization: `Basic ${Buffer.from("opencode:guessed").toString("base64")}` };
    for (const path of [
      "/global/health",
      "/path",
      "/config",
      "/session",
      `/event?directory=${encodeURIComponent(tmp.path)}`,
    ]) {
      expect((await fetch(`${runner.url}${path}`, { signal: AbortSignal.timeout(5_000) })).status, path).toBe(401);
      expect(
        (await fetch(`${runner.url}${path}`, { headers: wrong, signal: AbortSignal.timeout(5_000) })).status,
        path,
      ).toBe(401);
    }
    for (const path of ["/global/health", "/path", "/config"])
      expect((await fetch(`${runner.url}${path}`, { headers: runner.headers() })).status, path).toBe(200);
    expect(runner.headers().authorization).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  });
});

// Sequential on purpose: each test's first prompt bootstraps an OpenCode
// instance for its directory (1–3 s of CPU); on 2 cores running them
// concurrently only made every one of them slower.
suite("scripted turns on the real OpenCode", () => {
  it("writes a file through a scripted write, resolving a relative path into the session directory, with usage and cost", async () => {
    const repo = newRepo("write");
    const w = await watch(repo);
    const session = await w.client.createSession({ title: "write" });
    const messages = await turn(
      w,
      session.id,
      script([{ tool: "write", input: { filePath: "sub/hello.txt", content: "hello\n" } }, { text: "Wrote it." }]),
    );
    expect(readFileSync(join(repo, "sub/hello.txt"), "utf8")).toBe("hello\n");
    const [write] = toolParts(messages);
    expect(write).toMatchObject({
      tool: "write",
      state: { status: "completed", input: { filePath: join(repo, "sub/hello.txt") } },
    });
    expect(lastText(messages)).toMatchObject({ text: "Wrote it." });
    const assistants = messages.map((m) => m.info).filter((i) => i.role === "assistant");
    expect(assistants.map((a) => a.finish)).toEqual(["tool-calls", "stop"]);
    for (const a of assistants) {
      expect(a.tokens.input).toBeGreaterThan(1000); // ~9.6k characters of system prompt / 4
      expect(a.tokens.output).toBeGreaterThan(0);
      expect(a.cost).toBeGreaterThan(0);
    }
    const agentCalls = model.requests().filter((r) => r.workingDirectory === repo && r.tools.length > 0);
    expect(agentCalls.map((r) => r.reply.kind)).toEqual(["tools", "text"]);
  });

  it("plays parallel tool calls in one step", async () => {
    const repo = newRepo("parallel");
    const w = await watch(repo);
    const session = await w.client.createSession({ title: "parallel" });
    const steps = [
      {
        tools: [
          { tool: "write", input: { filePath: "p1.txt", content: "one\n" } },
          { tool: "write", input: { filePath: "p2.txt", content: "two\n" } },
        ],
      },
      { text: "Both." },
    ];
    const messages = await turn(w, session.id, script(steps));
    expect(readFileSync(join(repo, "p1.txt"), "utf8")).toBe("one\n");
    expect(readFileSync(join(repo, "p2.txt"), "utf8")).toBe("two\n");
    const firstStep = messages.find((m) => m.info.role === "assistant");
    expect(firstStep?.parts.filter((p) => p.type === "tool")).toHaveLength(2);
  });

  it("plays the default demo without a script: writes ORCHESTRATOR_DEMO.md, runs ls, says it is not an LLM", async () => {
    const repo = newRepo("demo");
    const w = await watch(repo);
    const session = await w.client.createSession({ title: "demo" });
    const messages = await turn(w, session.id, "Show me what you can do");
    const demo = readFileSync(join(repo, DEMO_FILE), "utf8");
    expect(demo).toContain("> Show me what you can do");
    expect(demo).toContain(DEMO_SIGNATURE);
    const bash = toolParts(messages).find((p) => p.tool === "bash");
    expect(bash?.state).toMatchObject({ status: "completed", input: { command: "ls" } });
    expect(bash?.state.status === "completed" && bash.state.output).toContain(DEMO_FILE);
    expect(lastText(messages)?.type === "text" && lastText(messages)).toMatchObject({
      text: expect.stringMatching(/scripted model.*not an LLM/),
    });
  });

  it("answers the tool-less title request with a title without consuming a step", async () => {
    const repo = newRepo("title");
    const w = await watch(repo);
    const session = await w.client.createSession({});
    const messages = await turn(
      w,
      session.id,
      script([{ tool: "write", input: { filePath: "t.txt", content: "t\n" } }, { text: "Titled." }], "Add the t file"),
    );
    expect(existsSync(join(repo, "t.txt"))).toBe(true);
    expect(lastText(messages)).toMatchObject({ text: "Titled." });
    await waitFor(async () => (await w.client.getSession(session.id))?.title === "Add the t file", "generated title");
    const mine = model
      .requests()
      .filter((r) => r.messages.some((m) => typeof m.content === "string" && m.content.startsWith("Add the t file")));
    expect(mine.filter((r) => r.tools.length === 0).map((r) => r.reply)).toEqual([
      { kind: "title", text: "Add the t file" },
    ]);
    expect(
      mine
        .filter((r) => r.tools.length > 0)
        .map((r) => (r.reply.kind === "title" ? -1 : r.reply.kind === "invalid-script" ? -2 : r.reply.call)),
    ).toEqual([0, 1]);
  });

  it("client: answers a permission ask, reverts and unreverts a turn, lists models, reports 404s, disposes the instance", async () => {
    const repo = newRepo("client");
    const perm = join(repo, "perm.txt");
    const w = await watch(repo);
    const session = await w.client.createSession({
      title: "client",
      permission: [{ permission: "edit", pattern: "*", action: "ask" }],
    });
    const from = w.events.length;
    await w.client.promptAsync(session.id, {
      text: script([{ tool: "write", input: { filePath: "perm.txt", content: "p\n" } }, { text: "ok" }]),
    });
    const asked = await w.until(of(session.id, "permission.asked"), "permission.asked", { from });
    expect(existsSync(perm)).toBe(false);
    await w.client.replyPermission(String(asked.properties.id), "once");
    await w.until(of(session.id, "session.idle"), "idle", { from });
    expect(readFileSync(perm, "utf8")).toBe("p\n");

    const userMessage = (await w.client.messages(session.id)).find((m) => m.info.role === "user");
    const reverted = await w.client.revert(session.id, userMessage!.info.id);
    expect(reverted.revert?.messageID).toBe(userMessage!.info.id);
    expect(existsSync(perm)).toBe(false);
    await w.client.unrevert(session.id);
    expect(readFileSync(perm, "utf8")).toBe("p\n");

    expect(await w.client.models()).toEqual({
      available: [
        "scripted/scripted-model",
        "scripted/scripted-model-large",
        "scripted/scripted-overloaded",
        "scripted/scripted-unavailable",
      ],
      defaultModel: "scripted/scripted-model",
    });
    expect((await w.client.configProviders()).providers.map((p) => p.id)).toEqual(["scripted"]);
    expect(await w.client.getSession("ses_doesnotexist")).toBeNull();
    await expect(w.client.messages("ses_doesnotexist")).rejects.toMatchObject({
      status: 404,
      errorName: "NotFoundError",
    });
    await w.client.disposeInstance();
    expect(await w.client.getSession(session.id)).toMatchObject({ id: session.id, directory: repo });
  });

  it("fails the session at once on a 400 step, even when its message has retryable wording", async () => {
    const repo = newRepo("fatal");
    const w = await watch(repo);
    const session = await w.client.createSession({ title: "fatal" });
    await turn(w, session.id, script([{ error: { status: 400, message: "rate limit exceeded, server_error 503" } }]));
    const error = await w.until(of(session.id, "session.error"), "session.error");
    expect(error.properties.error).toMatchObject({ name: "APIError", data: { statusCode: 400, isRetryable: false } });
    expect(w.events.some(statusOf(session.id, "retry"))).toBe(false);
  });

  it("makes OpenCode retry a 503 step", async () => {
    const repo = newRepo("retry");
    const w = await watch(repo);
    const session = await w.client.createSession({ title: "retry" });
    const from = w.events.length;
    await w.client.promptAsync(session.id, { text: script([{ error: { status: 503, message: "try later" } }]) });
    const retry = await w.until(statusOf(session.id, "retry"), "retry status", { from });
    expect(retry.properties.status).toMatchObject({ type: "retry", attempt: 1 });
    expect(await w.client.sessionStatus()).toHaveProperty(session.id);
    await w.client.abort(session.id);
    await w.until(of(session.id, "session.idle"), "idle after abort", { from });
  });
});

suite("abort, restart, stop", () => {
  it("aborts a sleeping call within a second, and a continuation prompt replays the interrupted step", async () => {
    const repo = newRepo("sleep");
    const w = await watch(repo);
    const session = await w.client.createSession({ title: "sleep" });
    const steps = [
      { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
      { sleep_ms: 2_500 },
      { tool: "write", input: { filePath: "b.txt", content: "b\n" } },
      { text: "Finished." },
    ];
    const from = w.events.length;
    await w.client.promptAsync(session.id, { text: script(steps) });
    const sleeping = () =>
      model
        .requests()
        .find(
          (r) =>
            r.workingDirectory === repo &&
            r.reply.kind === "tools" &&
            r.reply.waitMs === 2_500 &&
            r.outcome === "pending",
        );
    await waitFor(sleeping, "the scripted model to sleep");
    const t0 = performance.now();
    await w.client.abort(session.id);
    await w.until(of(session.id, "session.idle"), "idle after abort", { from });
    expect(performance.now() - t0).toBeLessThan(1_000);
    await waitFor(
      () => model.requests().find((r) => r.workingDirectory === repo && r.outcome === "client-closed"),
      "the model to see the disconnect",
      { timeoutMs: 1_000 },
    );
    expect(existsSync(join(repo, "a.txt"))).toBe(true);
    expect(existsSync(join(repo, "b.txt"))).toBe(false);

    const messages = await turn(w, session.id, "continue");
    expect(readFileSync(join(repo, "b.txt"), "utf8")).toBe("b\n");
    expect(lastText(messages)).toMatchObject({ text: "Finished." });
    // The aborted call left an empty assistant message OpenCode does not send back, so call 1 was replayed.
    const calls = model
      .requests()
      .filter((r) => r.workingDirectory === repo && r.reply.kind !== "title")
      .map((r) => (r.reply.kind === "tools" || r.reply.kind === "text" ? r.reply.step : null));
    expect(calls).toEqual([0, 2, 2, 3]);
  });

  it("restarts the child after SIGKILL; the event stream reconnects and the new child serves", async () => {
    const repo = newRepo("restart");
    const w = await watch(repo);
    const oldPid = runner.pid;
    expect(oldPid).not.toBeNull();
    const restarted = new Promise<{ url: string; pid: number }>((resolve) => runner.on("restart", resolve));
    process.kill(oldPid!, "SIGKILL");
    const { pid } = await restarted;
    expect(pid).not.toBe(oldPid);
    expect(runner.pid).toBe(pid);
    expect(runner.restarts).toBe(1);
    expect(await runner.health()).toMatchObject({ healthy: true });
    // The new child keeps the runner's password: callers that followed it still hold the right one.
    expect((await fetch(`${runner.url}/path`)).status).toBe(401);
    await waitFor(() => w.statuses.at(-1) === "connected" && w.statuses.length > 1, "reconnected event stream");
    expect(w.statuses).toEqual(["connected", "reconnecting", "connected"]);
    // Served by the new child, with the same config (a prompt here would only add an instance bootstrap).
    expect(await w.client.models()).toMatchObject({ defaultModel: "scripted/scripted-model" });
    const session = await w.client.createSession({ title: "after restart" });
    expect(await w.client.getSession(session.id)).toMatchObject({ id: session.id, directory: repo });
  });

  it("stop leaves no process behind, running bash tools included", async () => {
    const stateDir = join(tmp.path, "runner");
    const repo = newRepo("stop");
    const w = await watch(repo);
    const session = await w.client.createSession({ title: "stop" });
    await w.client.promptAsync(session.id, {
      text: script([{ tool: "bash", input: { command: "sleep 41.5", description: "Wait a while" } }]),
    });
    // OpenCode runs bash tools in sessions of their own: a group signal misses them.
    const tool = await waitFor(
      () => findMarkedProcesses(stateDir).find((pid) => readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("41.5")),
      "the bash tool to run",
    );
    const pid = runner.pid!;
    await runner.stop();
    expect(runner.state).toBe("stopped");
    expect(isProcessAlive(pid)).toBe(false);
    expect(isProcessAlive(tool)).toBe(false);
    expect(findMarkedProcesses(stateDir)).toEqual([]);
    expect(processesIn(stateDir)).toEqual([]);
    expect(existsSync(join(stateDir, PIDFILE_NAME))).toBe(false);
  });

  it("kills a stale child recorded in the pidfile (its parent died with -9) on the next start", async () => {
    const stateDir = join(tmp.path, "stale");
    mkdirSync(stateDir, { recursive: true });
    const config = computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl });
    // What a runner whose parent was SIGKILLed leaves: a live child in the state dir and its pidfile.
    const orphan = spawn(resolveOpenCodeBinary(), ["serve", "--hostname", "127.0.0.1", "--port", "0"], {
      cwd: stateDir,
      env: computeRunnerEnv({ base: process.env, config, stateDir, isolate: true }),
      detached: true,
      stdio: "ignore",
    });
    orphan.unref();
    cleanups.push(() => {
      if (orphan.pid && isProcessAlive(orphan.pid)) process.kill(-orphan.pid, "SIGKILL");
    });
    writeFileSync(
      join(stateDir, PIDFILE_NAME),
      JSON.stringify({ pid: orphan.pid, startedAt: new Date().toISOString() }),
    );
    await waitFor(() => processesIn(stateDir).length > 0, "orphan running");
    // It need not be serving: a live process in the state dir named in the pidfile is what a -9'd parent leaves.
    const next = await createManagedRunner({ stateDir, isolate: true, config, stopGraceMs: 2_000 });
    cleanups.push(() => next.stop());
    expect(next.headers().authorization).not.toBe(runner.headers().authorization); // a password of its own
    expect(isProcessAlive(orphan.pid!)).toBe(false);
    expect(processesIn(stateDir)).toEqual([next.pid]);
    await next.stop();
    expect(processesIn(stateDir)).toEqual([]);
  });
});

/** Pids of live processes whose cwd is `dir` (runner children start there). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/cwd`) === dir && isProcessAlive(Number(entry))) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}
