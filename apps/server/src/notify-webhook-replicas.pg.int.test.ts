import { randomUUID } from "node:crypto";
import { createTestDatabase, parsePrometheusText, promValue, waitFor, type TestDatabase } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";

// The notify webhook with two replicas on one database and Redis fan-out (README, "Notifications"):
// only the replica that committed a change posts it; the other, which gets the same events through
// Redis for its WebSocket rooms, does not.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
let db: TestDatabase;
let a: TestOrchestrator;
let b: TestOrchestrator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  db = await createTestDatabase("postgres");
  receiver = await startWebhookReceiver();
  const shared = { REDIS_URL, ORCHESTRATOR_REDIS_PREFIX: `test-${randomUUID().slice(0, 8)}`, ORCHESTRATOR_NOTIFY_WEBHOOK_URL: receiver.url, ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: "replicas-secret-0123456789" };
  a = await startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-a" } });
  // B runs no sessions: it serves the API, and hears A's events through Redis.
  b = await startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-b", ORCHESTRATOR_SCHEDULER: "off" } });
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await receiver?.close();
  await db?.drop();
});

const delivered = async (h: TestOrchestrator) =>
  promValue(parsePrometheusText(await (await fetch(`${h.orc.url}/metrics`)).text()), "orchestrator_notify_webhook_total", { result: "delivered" });

describe("notify webhook across replicas", () => {
  it("posts a session's end once, from the replica that ran it, not from the one that heard it through Redis", async () => {
    const sessions = await Promise.all([1, 2, 3].map((i) => b.api.call("createSession", { body: { prompt: scripted(`across ${i}`, [{ text: "done" }]) } })));
    a.orc.scheduler!.poke();
    for (const s of sessions) await waitForStatus(b.api, s.id, ["completed"], 90_000);
    const ids = new Set(sessions.map((s) => s.id));
    const posts = () => receiver.received.filter((r) => ids.has(r.body.sessionId ?? ""));
    await waitFor(() => posts().length >= 3 || null, "a POST per session", { timeoutMs: 20_000 });
    // Long enough for a second replica's POST to have arrived, were there one.
    await new Promise((r) => setTimeout(r, 2000));
    expect(posts().map((p) => p.body.type)).toEqual(["session.completed", "session.completed", "session.completed"]);
    expect(new Set(posts().map((p) => p.body.sessionId))).toEqual(ids);
    expect(await delivered(a)).toBe(3);
    expect(await delivered(b)).toBe(0);
  }, 150_000);
});
