import { Writable } from "node:stream";
import { DEFAULT_TENANT_ID, defaultNotifyPolicy, type Notice, type NotifyPolicy } from "@industrial/core";
import { bypassTenantWall } from "@industrial/db";
import { createTestDatabase, waitFor, type TestDatabase } from "@industrial/testkit";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createNotifyWebhook, type NotifyResult, type NotifyWebhook } from "./runtime/notify-webhook";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";

// The notify webhook's queue on its own (README, "Notifications"): bounded, a few POSTs at once, each with a
// time limit and a bounded number of tries; a full queue drops its oldest with a warning; stop never waits on
// a receiver. A real receiver on loopback, a real database for the tenant's (unset) webhook.
let t: TestDatabase;
let receiver: WebhookReceiver;
let notify: NotifyWebhook | null = null;
beforeAll(async () => {
  t = await createTestDatabase();
  receiver = await startWebhookReceiver();
});
afterEach(async () => {
  await notify?.stop();
  notify = null;
  receiver.answer = () => 200;
});
afterAll(async () => {
  await receiver?.close();
  await t?.drop();
});

function start(policy: Partial<NotifyPolicy>) {
  const counts: Record<NotifyResult, number> = { delivered: 0, retried: 0, failed: 0, dropped: 0 };
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  notify = createNotifyWebhook({
    db: bypassTenantWall(t.db, "test: the default tenant's webhook"),
    fallback: { url: receiver.url, secret: "queue-test-secret-0123" },
    openSecret: () => null,
    count: (r) => counts[r]++,
    log: pino({ level: "debug" }, sink),
    policy: { ...defaultNotifyPolicy(), ...policy },
    userAgent: "test",
    random: () => 0.5,
  });
  return { notify, counts, lines };
}

const task = (n: number): Notice => ({
  type: "task.completed",
  taskId: `00000000-0000-4000-8000-00000000000${n}`,
  at: new Date().toISOString(),
  data: { n },
});
const postsOf = (n: number) => receiver.received.filter((r) => r.body.data.n === n);

describe("notify webhook queue", () => {
  it("drops the oldest waiting notification when full, with a warning and the counter, and stop aborts what hangs at once", async () => {
    receiver.answer = () => "hang";
    const { notify, counts, lines } = start({ queueLimit: 2, concurrency: 1 });
    notify.taskNotices(DEFAULT_TENANT_ID, [task(1)]);
    await waitFor(() => receiver.hanging() === 1 || null, "the first POST in flight");
    // 1 is in flight; 2, 3 wait; 4 pushes 2 (the oldest waiting) out.
    notify.taskNotices(DEFAULT_TENANT_ID, [task(2), task(3), task(4)]);
    expect(notify.waiting()).toBe(2);
    expect(counts.dropped).toBe(1);
    expect(lines.filter((l) => l.level === 40 && l.msg.includes("queue full"))).toHaveLength(1);
    const started = Date.now();
    await notify.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    // The two still waiting are dropped at shutdown, said once; the one in flight was aborted, not counted.
    expect(counts).toEqual({ delivered: 0, retried: 0, failed: 0, dropped: 3 });
    expect(postsOf(2)).toEqual([]);
  });

  it("gives up after the bounded tries on a receiver that never answers in time, with a warning", async () => {
    receiver.answer = () => "hang";
    const { notify, counts, lines } = start({ maxTries: 2, timeoutMs: 300, baseDelayMs: 100 });
    notify.taskNotices(DEFAULT_TENANT_ID, [task(5)]);
    await waitFor(() => counts.failed === 1 || null, "the notification given up", { timeoutMs: 10_000 });
    expect(counts).toMatchObject({ delivered: 0, retried: 1, failed: 1 });
    expect(postsOf(5)).toHaveLength(2);
    expect(lines.find((l) => l.level === 40 && l.msg.includes("gave up"))).toMatchObject({
      reason: "no answer within 300 ms (try 2 of 2; no tries left)",
    });
  });

  it("keeps several POSTs in flight: one slow receiver call does not hold up the next", async () => {
    receiver.answer = (r) => (r.body.data.n === 6 ? "hang" : 200);
    const { notify, counts } = start({ concurrency: 2 });
    notify.taskNotices(DEFAULT_TENANT_ID, [task(6), task(7)]);
    await waitFor(() => counts.delivered === 1 || null, "the second delivered while the first hangs");
    expect(receiver.hanging()).toBe(1);
  });

  it("does not retry a receiver's refusal (4xx), and a body without a tenant webhook goes to the server's default", async () => {
    receiver.answer = () => 410;
    const { notify, counts } = start({});
    notify.taskNotices(DEFAULT_TENANT_ID, [task(8)]);
    await waitFor(() => counts.failed === 1 || null, "given up on 410");
    expect(postsOf(8)).toHaveLength(1);
    expect(postsOf(8)[0]!.body).toMatchObject({
      type: "task.completed",
      tenantId: DEFAULT_TENANT_ID,
      taskId: task(8).taskId,
    });
    expect(counts.retried).toBe(0);
  });
});
