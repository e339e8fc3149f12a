import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createTestDatabase,
  startTcpProxy,
  testAuthEnv,
  throughProxy,
  waitFor,
  type TcpProxy,
  type TestDatabase,
} from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { TestWsClient } from "./testing/ws-client";

// PostgreSQL is shared by every test running now: the outage is a proxy of this file's own that
// cuts and refuses its connections, which is what a restart looks like from the orchestrator's side.
let db: TestDatabase;
let proxy: TcpProxy;
let h: TestOrchestrator;

beforeAll(async () => {
  db = await createTestDatabase("postgres");
  const target = new URL(db.url!);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  h = await startTestOrchestrator({
    dbUrl: throughProxy(db.url!, proxy),
    // Renewals fall inside the outage (every 2 s instead of 10 s): a failed one must not cost the attempt.
    env: { ...testAuthEnv(), ORCHESTRATOR_LEASE_RENEW_MS: "2000" },
  });
}, 120_000);

afterAll(async () => {
  await proxy?.restore();
  await h?.close();
  await proxy?.close();
  await db?.drop();
});

type Answer = { status: number; code: string | null; message: string; retryAfter: string | null };

async function call(path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${h.orc.url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${testAuthEnv().ORCHESTRATOR_ADMIN_KEY}`,
      "content-type": "application/json",
      ...init.headers,
    },
  });
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  return {
    status: res.status,
    code: body.error?.code ?? null,
    message: body.error?.message ?? "",
    retryAfter: res.headers.get("retry-after"),
  };
}

describe("PostgreSQL restarted under a running session", () => {
  it("answers 503 UNAVAILABLE meanwhile, resumes within 5 s of its return, and loses nothing of the session", async () => {
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("outlive a database restart", [
          { tool: "write", input: { filePath: "before.txt", content: "before\n" } },
          { tool: "bash", input: { command: "sleep 8", description: "sleep across the outage" } },
          { tool: "write", input: { filePath: "after.txt", content: "after\n" } },
          { text: "outlived it" },
        ]),
        retry: { maxAttempts: 1 },
      },
    });
    await waitFor(
      async () =>
        (await allEvents(h.api, s.id)).some(
          (e) => e.type === "session.tool" && e.payload.tool === "bash" && e.payload.status === "running",
        ),
      "the sleep to start",
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const workspace = (await h.api.call("getSession", { params: { id: s.id } })).workspace.path!;
    const seqBefore = (await allEvents(h.api, s.id)).at(-1)!.seq;

    // 3.5 s into the 8 s sleep, for 6 s: the sleep ends, the next steps run and the turn may end while the database is away.
    await new Promise((r) => setTimeout(r, 3500));
    await h.api.call("getSession", { params: { id: s.id } });
    await proxy.cut();
    const cutAt = Date.now();
    // At once: the key's verdict is still cached (half a second), so the room itself cannot be read — also "later".
    const early = await TestWsClient.connect(`${h.orc.url}/ws/sessions/${s.id}`);
    const earlyClosed = await early.closed;
    const answers: Answer[] = [];
    const readiness: { status: number; database: { status: string; detail?: string } | undefined }[] = [];
    let socket: { code: number; frame: unknown } | null = null;
    while (Date.now() - cutAt < 6000) {
      // Past the half-second a key's verdict is cached: the upgrade cannot check the key and says "later", not "sign in".
      if (!socket && Date.now() - cutAt > 1000) {
        const ws = await TestWsClient.connect(`${h.orc.url}/ws/sessions/${s.id}`);
        const closed = await ws.closed;
        socket = { code: closed.code, frame: ws.frames[0] };
      }
      answers.push(
        await call(`/api/v1/sessions/${s.id}`),
        await call("/api/v1/sessions"),
        await call(`/api/v1/sessions/${s.id}/events?after=0`),
        await call("/api/v1/sessions", {
          method: "POST",
          body: JSON.stringify({ prompt: "refused while the database is away" }),
        }),
      );
      const ready = await fetch(`${h.orc.url}/health/ready`);
      readiness.push({
        status: ready.status,
        database: ((await ready.json()) as { components: Record<string, { status: string; detail?: string }> })
          .components.database,
      });
      await new Promise((r) => setTimeout(r, 250));
    }
    await proxy.restore();
    const restoredAt = Date.now();

    // Within 5 s of its return the API answers again.
    await waitFor(async () => (await call(`/api/v1/sessions/${s.id}`)).status === 200, "the API to answer again", {
      timeoutMs: 5000,
      intervalMs: 100,
    });
    const apiBackMs = Date.now() - restoredAt;

    // Meanwhile: 503 UNAVAILABLE with Retry-After and a message that names the database — never a 500.
    expect(answers.length).toBeGreaterThan(8);
    for (const a of answers)
      expect(a, JSON.stringify(a)).toMatchObject({ status: 503, code: "UNAVAILABLE", retryAfter: "2" });
    expect(answers[0]!.message).toMatch(/^the database cannot be reached right now \(/);
    expect(socket).toMatchObject({ code: 1013, frame: { type: "error", payload: { code: "UNAVAILABLE" } } });
    expect({ code: earlyClosed.code, frame: early.frames[0] }).toMatchObject({
      code: 1013,
      frame: { type: "error", payload: { code: "UNAVAILABLE" } },
    });
    for (const r of readiness) {
      expect(r.status).toBe(503);
      expect(r.database).toMatchObject({ status: "down" });
      expect(r.database!.detail).toMatch(/^unreachable: /);
    }

    // The running attempt kept its OpenCode turn and completes, every event in the log.
    const done = await waitForStatus(h.api, s.id, ["completed", "failed", "timeout"], 60_000);
    expect(done.status, done.statusReason ?? "").toBe("completed");
    const events = await allEvents(h.api, s.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const after = events.filter((e) => e.seq > seqBefore);
    // The buffered writes resumed within 5 s of the database's return (event times are the database's clock).
    const firstWrittenAfterReturn = Math.min(...after.map((e) => Date.parse(e.ts)).filter((t) => t >= restoredAt));
    const writesBackMs = firstWrittenAfterReturn - restoredAt;
    expect(writesBackMs).toBeLessThan(5000);
    const tool = (name: string, status: string, input?: string) =>
      events.filter(
        (e) =>
          e.type === "session.tool" &&
          e.payload.tool === name &&
          e.payload.status === status &&
          (!input || String(e.payload.input ?? "").includes(input)),
      );
    expect(tool("bash", "completed")).toHaveLength(1);
    expect(tool("write", "completed", "before.txt")).toHaveLength(1);
    expect(tool("write", "completed", "after.txt")).toHaveLength(1);
    expect(events.filter((e) => e.type === "session.checkpoint").length).toBeGreaterThanOrEqual(3);
    // One attempt from start to end: not failed, not adopted, not retried.
    const attempts = events.flatMap((e) => (e.type === "session.attempt" ? [e.payload] : []));
    expect(attempts.map((a) => [a.attempt, a.action])).toEqual([[1, "started"]]);
    expect(readFileSync(join(workspace, "before.txt"), "utf8")).toBe("before\n");
    expect(readFileSync(join(workspace, "after.txt"), "utf8")).toBe("after\n");
    expect(existsSync(join(workspace, ".git"))).toBe(true);
    expect((await h.api.call("verifyCheckpoints", { params: { id: s.id } })).intact).toBe(true);

    // No session was created behind a 503.
    expect((await h.api.call("listSessions", { query: { limit: 200 } })).items.map((x) => x.id)).toEqual([s.id]);
    console.info(
      `postgres outage: ${answers.length} API calls during ${6000} ms, all 503; API back ${apiBackMs} ms and session writes back ${writesBackMs} ms after the database returned`,
    );
  }, 150_000);
});
