import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { createApiClient } from "@industrial/contracts";
import {
  bearer,
  createTestDatabase,
  tempDir,
  testAuthEnv,
  testBackend,
  waitFor,
  type TestDatabase,
} from "@industrial/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { scripted, waitForStatus } from "./testing/harness";

const ROOT = resolve(import.meta.dirname, "../../..");
let child: ChildProcess | null = null;
let closed: Promise<void> = Promise.resolve();
let db: TestDatabase | null = null;
const dir = tempDir("orch-logs-");
afterAll(async () => {
  // npm runs the server as its child: the whole process group goes.
  if (child?.pid) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await closed;
  }
  await db?.drop();
  dir.remove();
});

/** npm's own banner (`> pkg start`, `> tsx …`, blank lines) is npm's, not the orchestrator's. */
const isNpmBanner = (line: string) => line.trim() === "" || line.startsWith("> ");

describe(`LOG_LEVEL=info npm start (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("prints one JSON object per line on stdout; every line of a request, and the events it writes, carry its request id", async () => {
    if (testBackend() === "postgres") db = await createTestDatabase("postgres");
    child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: "info",
        PORT: "0",
        ORCHESTRATOR_DEMO: "1",
        ORCHESTRATOR_DASHBOARD: "off",
        ORCHESTRATOR_DATA_DIR: dir.path,
        ORCHESTRATOR_POLL_INTERVAL_MS: "50",
        DATABASE_URL: db?.url ?? "",
        LOG_FORMAT: "",
        ORCHESTRATOR_RATE_LIMIT: "0",
        ...testAuthEnv(),
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const c = child;
    closed = new Promise((r) => c.once("close", () => r()));
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (b) => (stdout += String(b)));
    child.stderr!.on("data", (b) => (stderr += String(b)));
    const url = await waitFor(
      () => /orchestrator listening on (http:\/\/\S+)/.exec(stderr)?.[1] ?? null,
      "the server to listen",
      { timeoutMs: 60_000 },
    );
    const api = createApiClient({ baseUrl: url, headers: bearer() });

    const created = await fetch(`${url}/api/v1/sessions`, {
      method: "POST",
      headers: { ...bearer(), "content-type": "application/json", "x-request-id": "req-create-1" },
      body: JSON.stringify({ title: "logged", prompt: scripted("log me", [{ text: "done" }]) }),
    });
    expect(created.status).toBe(201);
    const session = (await created.json()) as { id: string };
    const bad = await fetch(`${url}/api/v1/sessions`, {
      method: "POST",
      headers: { ...bearer(), "content-type": "application/json", "x-request-id": "req-bad-1" },
      body: "{}",
    });
    expect(bad.status).toBe(400);
    const generated = (await fetch(`${url}/health`)).headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    await waitForStatus(api, session.id, ["completed"], 60_000);

    // The events the request wrote carry its id; the scheduler's do not.
    const events = (await api.call("sessionEvents", { params: { id: session.id }, query: {} })).items;
    expect(events.find((e) => e.type === "session.created")?.requestId).toBe("req-create-1");
    const started = events.find((e) => e.type === "session.status_changed" && e.payload.to === "running");
    expect(started?.requestId ?? null).toBeNull();

    await waitFor(() => stdout.includes('"route":"/api/v1/sessions/:id/events"'), "the events request's log line", {
      timeoutMs: 10_000,
    });
    // Ctrl-C in a terminal signals the whole foreground group (npm and the server); stdout closes when the server has exited.
    process.kill(-child.pid!, "SIGTERM");
    await closed;
    child = null;
    expect(stderr).toMatch(/SIGTERM: stopping[\s\S]*\nstopped\n/);

    const lines = stdout.split("\n").filter((l) => !isNpmBanner(l));
    expect(lines.length).toBeGreaterThan(5);
    const objects = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line on stdout: ${line}`);
      }
    });
    for (const o of objects) {
      expect(typeof o.time).toBe("string");
      expect(typeof o.level).toBe("number");
      expect(typeof o.msg).toBe("string");
    }
    const ofRequest = (id: string) => objects.filter((o) => o.requestId === id);
    // The create request: the service's line and the request line, both with its id.
    expect(ofRequest("req-create-1").map((o) => o.msg)).toEqual(expect.arrayContaining(["session created", "request"]));
    expect(ofRequest("req-create-1").find((o) => o.msg === "request")).toMatchObject({
      method: "POST",
      route: "/api/v1/sessions",
      status: 201,
    });
    expect(ofRequest("req-bad-1").find((o) => o.msg === "request")).toMatchObject({ status: 400 });
    expect(ofRequest(generated!)).toHaveLength(1);
    // Runner lines name the session and attempt they are about.
    expect(
      objects.some(
        (o) =>
          o.component === "scheduler" && o.sessionId === session.id && o.attempt === 1 && o.msg === "attempt started",
      ),
    ).toBe(true);
    // Request lines use route templates, never raw ids.
    for (const o of objects.filter((x) => x.msg === "request")) expect(String(o.route)).not.toContain(session.id);
  }, 180_000);
});
