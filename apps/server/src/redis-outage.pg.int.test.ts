import { randomUUID } from "node:crypto";
import type { WsServerMessage } from "@industrial/contracts";
import { createTestDatabase, startTestRedisServer, type TestDatabase, type TestRedisServer } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { TestWsClient } from "./testing/ws-client";

// A redis-server of this file's own (the machine's Redis is shared): stopped and started again by the test.
let redis: TestRedisServer;
let db: TestDatabase;
/** Runs the session. */
let a: TestOrchestrator;
/** Serves WebSockets only, with no tail check: what it delivers came through Redis, or from the log on a gap Redis revealed. */
let b: TestOrchestrator;
/** Serves WebSockets only, with a fast tail check: it repairs lost publishes from the log while Redis is away. */
let c: TestOrchestrator;
const clients: TestWsClient[] = [];

beforeAll(async () => {
  redis = await startTestRedisServer();
  db = await createTestDatabase("postgres");
  const shared = { REDIS_URL: redis.url, ORCHESTRATOR_REDIS_PREFIX: `test-${randomUUID().slice(0, 8)}` };
  a = await startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-a" } });
  b = await startTestOrchestrator({
    dbUrl: db.url,
    env: {
      ...shared,
      ORCHESTRATOR_REPLICA_ID: "replica-b",
      ORCHESTRATOR_SCHEDULER: "off",
      ORCHESTRATOR_WS_STATS_INTERVAL_MS: "600000",
    },
  });
  c = await startTestOrchestrator({
    dbUrl: db.url,
    env: {
      ...shared,
      ORCHESTRATOR_REPLICA_ID: "replica-c",
      ORCHESTRATOR_SCHEDULER: "off",
      ORCHESTRATOR_WS_STATS_INTERVAL_MS: "500",
    },
  });
}, 120_000);

afterAll(async () => {
  try {
    for (const cl of clients) await cl.close();
    for (const h of [c, b, a]) await h?.close();
    await db?.drop();
  } finally {
    await redis?.stop();
  }
});

type Ready = {
  status: string;
  components: Record<string, { status: string; latencyMs: number | null; detail?: string }>;
};
const readiness = async (h: TestOrchestrator) => {
  const res = await fetch(`${h.orc.url}/health/ready`);
  return { status: res.status, body: (await res.json()) as Ready };
};

const room = async (h: TestOrchestrator, sessionId: string) => {
  const cl = await TestWsClient.connect(`${h.orc.url}/ws/sessions/${sessionId}?after=0`);
  clients.push(cl);
  await cl.waitFor("hello");
  return cl;
};

/** The `session.tool` frame of a completed write of `file`. */
const wrote = (file: string) => (f: WsServerMessage) =>
  f.type === "session.tool" &&
  (f.payload as { status: string }).status === "completed" &&
  String((f.payload as { input?: unknown }).input ?? "").includes(file);
const gapFree = (cl: TestWsClient) => {
  const seqs = cl.seqs();
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
};

describe("Redis stopped and started again under two replicas", () => {
  it("keeps every replica ready and the running replica's clients live; other replicas catch up from the log, then live again, without a restart", async () => {
    const session = await a.api.call("createSession", {
      body: {
        title: "through a Redis outage",
        prompt: scripted("outlive Redis", [
          { tool: "write", input: { filePath: "before.txt", content: "before\n" } },
          { sleep_ms: 7000 },
          { tool: "write", input: { filePath: "after.txt", content: "after\n" } },
          { text: "done" },
        ]),
        start: false,
        retry: { maxAttempts: 1 },
      },
    });
    const [onA, onB, onC] = [await room(a, session.id), await room(b, session.id), await room(c, session.id)];
    const agents = await TestWsClient.connect(`${b.orc.url}/ws/agents`);
    clients.push(agents);
    await agents.waitFor("hello");

    await redis.stop();
    // Every replica stays ready (200) and says Redis is degraded, with its error and latency.
    for (const h of [a, b, c]) {
      const r = await readiness(h);
      expect(r.status).toBe(200);
      expect(r.body.status).toBe("ready");
      expect(r.body.components.redis).toMatchObject({ status: "degraded" });
      expect(r.body.components.redis!.detail).toMatch(/ECONNREFUSED|closed|no answer/i);
      expect(typeof r.body.components.redis!.latencyMs).toBe("number");
      expect(r.body.components.database).toMatchObject({ status: "up" });
    }

    // A session starts and runs while Redis is away.
    await a.orc.db.query("UPDATE sessions SET held = false WHERE id = $1", [session.id]);
    a.orc.scheduler!.poke();
    // The running replica's client sees its events live (local delivery).
    const beforeOnA = await onA.waitFor("session.tool", wrote("before.txt"), { timeoutMs: 60_000 });
    const receivedAt = Date.now();
    expect(receivedAt - Date.parse(beforeOnA.ts)).toBeLessThan(1000);
    // Another replica's tail check brings them from the log while Redis is still away.
    await onC.waitFor("session.tool", wrote("before.txt"), { timeoutMs: 5000 });
    // Without a tail check, nothing reaches the third one until Redis returns.
    await new Promise((r) => setTimeout(r, 1000));
    expect(onB.frames.some(wrote("before.txt"))).toBe(false);

    await redis.start();
    // Recovery without a restart: readiness says up again, and a notice published on A reaches B through Redis.
    for (const h of [a, b])
      await expectEventually(
        async () => (await readiness(h)).body.components.redis?.status === "up",
        "Redis to be up again",
      );
    await expectEventually(async () => {
      const agent = await a.api.call("createAgent", {
        body: { name: `back-${randomUUID().slice(0, 6)}`, type: "implementer" },
      });
      return agents
        .waitFor("agent.registered", (f) => f.payload.id === agent.id, { timeoutMs: 1000 })
        .then(
          () => true,
          () => false,
        );
    }, "the fan-out to carry a notice again");

    // The next event B hears through Redis shows it what it missed: it reads that from the log, then goes on live.
    const gapsBefore = b.orc.ws.counters.gapReads;
    const afterOnB = await onB.waitFor("session.tool", wrote("after.txt"), { timeoutMs: 30_000 });
    expect(Date.now() - Date.parse(afterOnB.ts)).toBeLessThan(2000);
    await onB.waitFor("session.status_changed", (f) => f.payload.to === "completed", { timeoutMs: 30_000 });
    expect(onB.frames.some(wrote("before.txt"))).toBe(true);
    expect(b.orc.ws.counters.gapReads).toBeGreaterThan(gapsBefore);
    // C repaired from the log while Redis was away (its tail check), not only when it returned.
    expect(c.orc.ws.counters.gapReads).toBeGreaterThan(0);
    for (const cl of [onA, onB, onC]) {
      await cl.waitFor("session.status_changed", (f) => f.payload.to === "completed", { timeoutMs: 30_000 });
      gapFree(cl);
    }
    // Each room holds the whole log: the same seqs everywhere.
    const last = (await waitForStatus(a.api, session.id, ["completed"], 10_000)).lastEventSeq;
    for (const cl of [onA, onB, onC]) expect(cl.lastSeq).toBe(last);
  }, 150_000);
});

async function expectEventually(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
