import { TenantSchema } from "@industrial/contracts";
import { DEFAULT_TENANT_ID, verifyNotifySignature } from "@industrial/core";
import { parsePrometheusText, promValue, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { sendJson } from "./testing/http";
import { startWebhookReceiver, type WebhookReceiver } from "./testing/webhook-receiver";
import { createAskingAgent } from "./testing/asking-agent";

// The notify webhook (README, "Notifications"; docs/input-requests.md §3) against real HTTP
// servers on loopback: the server's default receiver from the environment, a tenant's own.
const SECRET = "env-secret-0123456789abcdef";
const TENANT_SECRET = "tenant-secret-0123456789abcdef";
let h: TestOrchestrator;
let receiver: WebhookReceiver;
let tenantReceiver: WebhookReceiver;

beforeAll(async () => {
  [receiver, tenantReceiver] = await Promise.all([startWebhookReceiver(), startWebhookReceiver("/tenant-hook")]);
  h = await startTestOrchestrator({
    env: {
      ORCHESTRATOR_NOTIFY_WEBHOOK_URL: receiver.url,
      ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: SECRET,
      // A POST that gets no answer stays open for two minutes: a session that waited for one could not end sooner.
      ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS: "120",
    },
  });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([receiver?.close(), tenantReceiver?.close()]);
});

const of = (r: WebhookReceiver, sessionId: string) => r.received.filter((x) => x.body.sessionId === sessionId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const waitForPosts = (r: WebhookReceiver, sessionId: string, n: number, timeoutMs = 30_000) =>
  waitFor(() => (of(r, sessionId).length >= n ? of(r, sessionId) : null), `${n} POST(s) about session ${sessionId}`, {
    timeoutMs,
    intervalMs: 50,
  });
const doneSession = (text: string) =>
  h.api.call("createSession", { body: { prompt: scripted(text, [{ text: `${text}: done` }]) } });
const metric = async (result: string) =>
  promValue(
    parsePrometheusText(await (await fetch(`${h.orc.url}/metrics`)).text()),
    "orchestrator_notify_webhook_total",
    { result },
  );

describe(`notify webhook (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("posts one signed notification when a session completes, whose signature verifies", async () => {
    const s = await doneSession("notify me");
    await waitForStatus(h.api, s.id, ["completed"]);
    const [post] = await waitForPosts(receiver, s.id, 1);
    expect(post!.headers["content-type"]).toBe("application/json");
    expect(verifyNotifySignature(post!.raw, SECRET, post!.headers["x-orchestrator-signature"] as string)).toBe(true);
    expect(post!.headers["x-orchestrator-signature"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(post!.headers["x-orchestrator-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(Object.keys(post!.body)).toEqual(["type", "tenantId", "sessionId", "at", "data"]);
    expect(post!.body).toMatchObject({
      type: "session.completed",
      tenantId: DEFAULT_TENANT_ID,
      sessionId: s.id,
      data: { status: "completed", from: "running", title: s.title },
    });
    expect(Number.isNaN(Date.parse(post!.body.at))).toBe(false);
    // Nothing else of the session's life notifies (created, queued, running, logs, checkpoints): one POST.
    await sleep(1500);
    expect(of(receiver, s.id)).toHaveLength(1);
    expect(await metric("delivered")).toBeGreaterThanOrEqual(1);
  });

  it("posts each new input request with its inbox item, then the session's end once it is answered", async () => {
    const agent = await createAskingAgent(h.api, "notify-asks");
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("ask to write", [
          { tool: "write", input: { filePath: "asked.txt", content: "a\n" } },
          { text: "wrote it" },
        ]),
        preferredAgentId: agent.id,
      },
    });
    const [asked] = await waitForPosts(receiver, s.id, 1, 60_000);
    expect(asked!.body).toMatchObject({
      type: "session.input_requested",
      tenantId: DEFAULT_TENANT_ID,
      sessionId: s.id,
      data: {
        kind: "permission",
        sessionId: s.id,
        sessionTitle: s.title,
        agentId: agent.id,
        permission: { name: "edit", patterns: ["asked.txt"] },
      },
    });
    expect(verifyNotifySignature(asked!.raw, SECRET, asked!.headers["x-orchestrator-signature"] as string)).toBe(true);
    const [item] = (await h.api.call("listInbox", { query: { sessionId: s.id } })).items;
    expect(asked!.body.data.id).toBe(item!.id);
    await h.api.call("replyInputRequest", { params: { requestId: item!.id }, body: { reply: "once" } });
    await waitForStatus(h.api, s.id, ["completed"]);
    const posts = await waitForPosts(receiver, s.id, 2);
    expect(posts.map((p) => p.body.type)).toEqual(["session.input_requested", "session.completed"]);
  }, 120_000);

  it("tries again with backoff: a receiver that answers 500 twice then 200 gets it on the third try, the same bytes each time", async () => {
    receiver.answer = (r, nth) => (r.body.type === "session.completed" && nth <= 2 ? 500 : 200);
    try {
      const retriedBefore = await metric("retried");
      const s = await doneSession("flaky receiver");
      await waitForStatus(h.api, s.id, ["completed"]);
      const posts = await waitForPosts(receiver, s.id, 3);
      expect(posts.map((p) => p.raw)).toEqual([posts[0]!.raw, posts[0]!.raw, posts[0]!.raw]);
      expect(new Set(posts.map((p) => p.headers["x-orchestrator-delivery"])).size).toBe(1);
      for (const p of posts)
        expect(verifyNotifySignature(p.raw, SECRET, p.headers["x-orchestrator-signature"] as string)).toBe(true);
      // 1 s then 2 s, each ±20 %.
      expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(750);
      expect(posts[2]!.at - posts[1]!.at).toBeGreaterThanOrEqual(1550);
      await sleep(1000);
      expect(of(receiver, s.id)).toHaveLength(3);
      expect((await metric("retried")) - retriedBefore).toBe(2);
    } finally {
      receiver.answer = () => 200;
    }
  });

  it("never holds up a session: with a receiver that never answers, the next session completes and is posted while the first POST still hangs", async () => {
    receiver.answer = () => "hang";
    try {
      const first = await doneSession("unanswered");
      await waitForStatus(h.api, first.id, ["completed"]);
      await waitForPosts(receiver, first.id, 1);
      const second = await doneSession("after the unanswered one");
      // Well within the POST's two minutes (a session held up by it could not be completed by then).
      await waitForStatus(h.api, second.id, ["completed"], 90_000);
      await waitForPosts(receiver, second.id, 1);
      // Both POSTs are still open, the first one on its first try: neither session waited for them.
      expect(receiver.hanging()).toBeGreaterThanOrEqual(2);
      expect(of(receiver, first.id)).toHaveLength(1);
    } finally {
      receiver.answer = () => 200;
    }
  });

  it("posts to the tenant's own webhook, signed with its own secret, instead of the server's default", async () => {
    const patched = await sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, {
      notifyWebhookUrl: tenantReceiver.url,
      notifyWebhookSecret: TENANT_SECRET,
    });
    expect(patched.status, JSON.stringify(patched.json)).toBe(200);
    const view = TenantSchema.parse(patched.json);
    expect(view).toMatchObject({ notifyWebhookUrl: tenantReceiver.url, notifyWebhookSecretSet: true });
    expect(JSON.stringify(patched.json)).not.toContain(TENANT_SECRET);
    try {
      const s = await doneSession("tenant's receiver");
      await waitForStatus(h.api, s.id, ["completed"]);
      const [post] = await waitForPosts(tenantReceiver, s.id, 1);
      expect(post!.path).toBe("/tenant-hook");
      expect(post!.body).toMatchObject({ type: "session.completed", tenantId: DEFAULT_TENANT_ID, sessionId: s.id });
      expect(verifyNotifySignature(post!.raw, TENANT_SECRET, post!.headers["x-orchestrator-signature"] as string)).toBe(
        true,
      );
      expect(verifyNotifySignature(post!.raw, SECRET, post!.headers["x-orchestrator-signature"] as string)).toBe(false);
      await sleep(1000);
      expect(of(receiver, s.id)).toEqual([]);
    } finally {
      const back = await sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, {
        notifyWebhookUrl: null,
        notifyWebhookSecret: null,
      });
      expect(TenantSchema.parse(back.json)).toMatchObject({ notifyWebhookUrl: null, notifyWebhookSecretSet: false });
    }
  });

  it("posts each task that finishes, with its session, once, from the replica that moved it", async () => {
    const root = await h.api.call("createTask", { body: { title: "Notify tree" } });
    const leaf = await h.api.call("createTask", {
      body: {
        title: "Write it",
        parentTaskId: root.id,
        description: scripted("write", [
          { tool: "write", input: { filePath: "notified.txt", content: "x\n" } },
          { text: "wrote it" },
        ]),
      },
    });
    await h.api.call("executeTask", { params: { id: root.id } });
    const byTask = (id: string) =>
      receiver.received.filter((x) => x.body.taskId === id && x.body.type.startsWith("task."));
    const [leafPost] = await waitFor(
      () => (byTask(leaf.id).length ? byTask(leaf.id) : null),
      "the leaf's task.completed",
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const [rootPost] = await waitFor(
      () => (byTask(root.id).length ? byTask(root.id) : null),
      "the root's task.completed",
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    const done = await h.api.call("getTask", { params: { id: leaf.id } });
    expect(leafPost!.body).toMatchObject({
      type: "task.completed",
      tenantId: DEFAULT_TENANT_ID,
      taskId: leaf.id,
      sessionId: done.sessionId,
      data: { status: "completed", from: "running", title: "Write it", rootTaskId: root.id },
    });
    expect(Object.keys(leafPost!.body)).toEqual(["type", "tenantId", "sessionId", "taskId", "at", "data"]);
    expect(rootPost!.body).toMatchObject({
      type: "task.completed",
      taskId: root.id,
      data: { status: "completed", rootTaskId: root.id, parentTaskId: null },
    });
    for (const p of [leafPost!, rootPost!])
      expect(verifyNotifySignature(p.raw, SECRET, p.headers["x-orchestrator-signature"] as string)).toBe(true);
    // The leaf's session is posted too, carrying its task.
    const [sessionPost] = await waitForPosts(receiver, done.sessionId!, 1);
    expect(sessionPost!.body).toMatchObject({ type: "session.completed", taskId: leaf.id });
    await sleep(1000);
    expect([byTask(leaf.id).length, byTask(root.id).length]).toEqual([1, 1]);
  }, 180_000);
});
