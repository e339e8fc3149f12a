import { waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { replicaMetric, startReplicaPair, type ReplicaPair } from "./testing/replicas";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";

// The notify webhook with two replicas on one database and Redis fan-out (README, "Notifications"):
// only the replica that committed a change posts it; the other, which gets the same events through
// Redis for its WebSocket rooms, does not.
let replicas: ReplicaPair;
let a: TestOrchestrator;
let b: TestOrchestrator;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  replicas = await startReplicaPair({
    ORCHESTRATOR_NOTIFY_WEBHOOK_URL: receiver.url,
    ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: "replicas-secret-0123456789",
  });
  ({ a, b } = replicas);
}, 120_000);

afterAll(async () => {
  await replicas?.close();
  await receiver?.close();
});

const delivered = (h: TestOrchestrator) =>
  replicaMetric(h, "orchestrator_notify_webhook_total", { result: "delivered" });

describe("notify webhook across replicas", () => {
  it("posts a session's end once, from the replica that ran it, not from the one that heard it through Redis", async () => {
    const sessions = await Promise.all(
      [1, 2, 3].map((i) =>
        b.api.call("createSession", { body: { prompt: scripted(`across ${i}`, [{ text: "done" }]) } }),
      ),
    );
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
