import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  chooseNotifyTarget,
  composeNotifyBody,
  computeNotifyBackoffMs,
  computeNotifySignature,
  computeSessionNotices,
  computeTaskNotices,
  decideNotifyDelivery,
  defaultNotifyPolicy,
  NOTIFY_SESSION_STATUSES,
  NOTIFY_TASK_STATUSES,
  parseNotifyWebhookUrl,
  verifyNotifySignature,
} from "./notify-webhook";
import type { SessionEvent } from "./session/session-event";
import { SESSION_STATUSES, type SessionStatus } from "./session/session-status";
import { TASK_STATUSES, type Task, type TaskStatus } from "./task/task";

const S = "11111111-1111-4111-8111-111111111111";
const T = "22222222-2222-4222-8222-222222222222";
let seq = 0;
const moved = (from: SessionStatus, to: SessionStatus, sessionId = S): SessionEvent => ({
  sessionId,
  seq: ++seq,
  attempt: 1,
  ts: "2026-05-01T10:00:00.000Z",
  type: "session.status_changed",
  payload: { from, to, reason: `${from} to ${to}` },
});

describe("which session events notify", () => {
  it("notifies each end that finishes, fails or times out, and no other status", () => {
    for (const to of SESSION_STATUSES) {
      const notices = computeSessionNotices([moved("running", to)]);
      if ((NOTIFY_SESSION_STATUSES as readonly string[]).includes(to)) {
        expect(notices).toEqual([
          {
            type: `session.${to}`,
            sessionId: S,
            at: "2026-05-01T10:00:00.000Z",
            data: { status: to, from: "running", reason: `running to ${to}` },
          },
        ]);
      } else expect(notices).toEqual([]);
    }
    // stopped, cancelled and orphaned are a person's or the operator's doing
    expect(NOTIFY_SESSION_STATUSES).toEqual(["completed", "partially_completed", "failed", "timeout"]);
  });

  it("does not notify a failure or timeout the retry policy requeues in the same commit, only the last one", () => {
    expect(computeSessionNotices([moved("running", "failed"), moved("failed", "pending")])).toEqual([]);
    expect(computeSessionNotices([moved("running", "timeout"), moved("timeout", "pending")])).toEqual([]);
    expect(computeSessionNotices([moved("running", "failed")]).map((n) => n.type)).toEqual(["session.failed"]);
  });

  it("judges each session of a batch on its own events", () => {
    const other = "33333333-3333-4333-8333-333333333333";
    const notices = computeSessionNotices([
      moved("running", "failed", S),
      moved("running", "failed", other),
      moved("failed", "pending", other),
    ]);
    expect(notices.map((n) => n.sessionId)).toEqual([S]);
  });

  it("notifies a new input request with its inbox item as data, and nothing else of the log", () => {
    const item = {
      id: "r1",
      openCodeRequestId: "per_1",
      kind: "permission" as const,
      sessionId: S,
      sessionTitle: "t",
      agentId: "a",
      createdAt: "x",
      expiresAt: null,
    };
    const asked: SessionEvent = {
      sessionId: S,
      seq: 9,
      attempt: 1,
      ts: "2026-05-01T10:01:00.000Z",
      type: "session.input_requested",
      payload: item,
    };
    const log: SessionEvent = {
      sessionId: S,
      seq: 10,
      attempt: 1,
      ts: "2026-05-01T10:01:00.000Z",
      type: "session.log",
      payload: { level: "info", text: "x", source: "orchestrator" },
    };
    expect(computeSessionNotices([asked, log])).toEqual([
      { type: "session.input_requested", sessionId: S, at: "2026-05-01T10:01:00.000Z", data: item },
    ]);
  });
});

const task = (status: TaskStatus, extra: Partial<Task> = {}): Task =>
  ({
    id: T,
    tenantId: "t",
    parentTaskId: null,
    rootTaskId: T,
    title: "Build it",
    status,
    sessionId: null,
    error: null,
    ...extra,
  }) as Task;

describe("which task ends notify", () => {
  it("notifies a move into completed, partially_completed, failed or blocked, and no other", () => {
    for (const status of TASK_STATUSES) {
      const notices = computeTaskNotices(new Map([[T, "running"]]), [task(status)], "2026-05-01T11:00:00.000Z");
      expect(notices.length).toBe(
        status !== "running" && (NOTIFY_TASK_STATUSES as readonly string[]).includes(status) ? 1 : 0,
      );
    }
  });

  it("carries the task, its session when it has one, and the error message", () => {
    const leaf = task("failed", { id: "leaf", parentTaskId: T, sessionId: S, error: { message: "merge conflict" } });
    expect(computeTaskNotices(new Map([["leaf", "running"]]), [leaf], "at")).toEqual([
      {
        type: "task.failed",
        taskId: "leaf",
        sessionId: S,
        at: "at",
        data: {
          status: "failed",
          from: "running",
          title: "Build it",
          rootTaskId: T,
          parentTaskId: T,
          error: "merge conflict",
        },
      },
    ]);
  });

  it("does not notify a task that was already in its end before the step", () => {
    expect(computeTaskNotices(new Map([[T, "completed"]]), [task("completed")], "at")).toEqual([]);
  });
});

describe("body and signature", () => {
  it("keeps a stable key order and leaves absent ids out", () => {
    const body = composeNotifyBody(
      { type: "session.completed", sessionId: S, at: "a", data: { status: "completed" } },
      "ten",
    );
    expect(body).toBe(
      `{"type":"session.completed","tenantId":"ten","sessionId":"${S}","at":"a","data":{"status":"completed"}}`,
    );
    expect(
      Object.keys(JSON.parse(composeNotifyBody({ type: "task.failed", taskId: T, at: "a", data: {} }, "ten"))),
    ).toEqual(["type", "tenantId", "taskId", "at", "data"]);
  });

  it("signs the raw body with HMAC-SHA256 as sha256=<hex>", () => {
    const body = '{"a":1}';
    expect(computeNotifySignature(body, "k".repeat(32))).toBe(
      `sha256=${createHmac("sha256", "k".repeat(32)).update(body).digest("hex")}`,
    );
    expect(computeNotifySignature(body, "k".repeat(32))).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it("verifies a matching header only", () => {
    const sig = computeNotifySignature("body", "secret-secret-16");
    expect(verifyNotifySignature("body", "secret-secret-16", sig)).toBe(true);
    expect(verifyNotifySignature("body ", "secret-secret-16", sig)).toBe(false);
    expect(verifyNotifySignature("body", "another-secret-1", sig)).toBe(false);
    expect(verifyNotifySignature("body", "secret-secret-16", sig.slice(0, -1))).toBe(false);
    expect(verifyNotifySignature("body", "secret-secret-16", undefined)).toBe(false);
  });
});

describe("target", () => {
  const fallback = { url: "https://ops.example/hook", secret: "operator-secret!" };
  it("prefers the tenant's URL with the tenant's own secret, never the operator's", () => {
    expect(chooseNotifyTarget({ url: "https://t.example/h", secret: "tenant-secret-123" }, fallback)).toEqual({
      url: "https://t.example/h",
      secret: "tenant-secret-123",
    });
    expect(chooseNotifyTarget({ url: "https://t.example/h", secret: null }, fallback)).toEqual({
      url: "https://t.example/h",
      secret: null,
    });
  });
  it("falls back to the server's default, else nowhere", () => {
    expect(chooseNotifyTarget({ url: null, secret: "tenant-secret-123" }, fallback)).toBe(fallback);
    expect(chooseNotifyTarget({ url: null, secret: null }, null)).toBeNull();
  });
});

describe("backoff and retries", () => {
  const policy = defaultNotifyPolicy();
  it("doubles from the base up to the cap, jitter within ±20 %", () => {
    expect([1, 2, 3, 4, 5].map((n) => computeNotifyBackoffMs(n, policy, 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16_000,
    ]);
    expect(computeNotifyBackoffMs(20, policy, 0.5)).toBe(60_000);
    expect(computeNotifyBackoffMs(1, policy, 0)).toBe(800);
    expect(computeNotifyBackoffMs(1, policy, 0.999999)).toBe(1200);
  });

  it("bounds the whole schedule: six tries within about two minutes", () => {
    const total = [1, 2, 3, 4, 5].reduce((s, n) => s + computeNotifyBackoffMs(n, policy, 0.999999), 0);
    expect(policy.maxTries).toBe(6);
    expect(total).toBeLessThan(40_000);
  });

  it("delivers on 2xx", () => {
    for (const status of [200, 201, 204])
      expect(decideNotifyDelivery({ result: { status }, tries: 1, policy, random: 0.5 })).toEqual({
        kind: "delivered",
      });
  });

  it("retries no answer, 408, 429 and 5xx with backoff until the last try", () => {
    for (const result of [
      { error: "ECONNREFUSED" },
      { status: 408 },
      { status: 429 },
      { status: 500 },
      { status: 503 },
    ])
      expect(decideNotifyDelivery({ result, tries: 2, policy, random: 0.5 })).toEqual({ kind: "retry", delayMs: 2000 });
    expect(decideNotifyDelivery({ result: { status: 500 }, tries: 6, policy, random: 0.5 })).toEqual({
      kind: "failed",
      reason: "answered 500 (try 6 of 6; no tries left)",
    });
    expect(decideNotifyDelivery({ result: { error: "timed out" }, tries: 6, policy, random: 0.5 })).toMatchObject({
      kind: "failed",
    });
  });

  it("gives up at once on the receiver's refusal and on a redirect", () => {
    expect(decideNotifyDelivery({ result: { status: 400 }, tries: 1, policy, random: 0.5 })).toEqual({
      kind: "failed",
      reason: "answered 400",
    });
    expect(decideNotifyDelivery({ result: { status: 404 }, tries: 1, policy, random: 0.5 })).toMatchObject({
      kind: "failed",
    });
    expect(decideNotifyDelivery({ result: { status: 302 }, tries: 1, policy, random: 0.5 })).toEqual({
      kind: "failed",
      reason: "answered 302 (redirects are not followed)",
    });
  });
});

describe("webhook URL", () => {
  it("takes http(s) URLs, paths and queries included", () => {
    expect(parseNotifyWebhookUrl("https://hooks.example.com/T0/B1?x=1")).toEqual({
      ok: true,
      url: "https://hooks.example.com/T0/B1?x=1",
    });
    expect(parseNotifyWebhookUrl("http://127.0.0.1:9000/hook")).toEqual({
      ok: true,
      url: "http://127.0.0.1:9000/hook",
    });
  });
  it("refuses other schemes, credentials, fragments and non-URLs, saying why", () => {
    expect(parseNotifyWebhookUrl("ftp://x/y")).toEqual({ ok: false, reason: "must be an http(s) URL" });
    expect(parseNotifyWebhookUrl("https://u:p@x/y")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("user or password"),
    });
    expect(parseNotifyWebhookUrl("https://x/y#z")).toEqual({ ok: false, reason: "must have no fragment" });
    expect(parseNotifyWebhookUrl("not a url")).toEqual({ ok: false, reason: "is not a URL" });
  });
});
