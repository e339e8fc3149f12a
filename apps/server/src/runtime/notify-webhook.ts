import { randomUUID } from "node:crypto";
import {
  chooseNotifyTarget,
  coerceError,
  composeNotifyBody,
  computeNotifySignature,
  computeSessionNotices,
  decideNotifyDelivery,
  defaultNotifyPolicy,
  NOTIFY_DELIVERY_HEADER,
  NOTIFY_SIGNATURE_HEADER,
  type Notice,
  type NotifyPolicy,
  type NotifyTarget,
  type NotifyTryResult,
  type SessionEvent,
} from "@industrial/core";
import {
  bypassTenantWall,
  findSessionNotifyTarget,
  findTenantNotifyWebhook,
  type CrossTenantDatabase,
  type Database,
  type TenantNotifyWebhook,
} from "@industrial/db";
import type { EventBus } from "@industrial/scheduler";
import type { Logger } from "pino";
import { openSecret } from "../auth/secret-box";
import type { ServerSecret } from "../auth/server-secret";
import type { Config } from "../config";
import type { Metrics } from "../metrics/registry";

/** `orchestrator_notify_webhook_total{result}`: delivered; retried (a try failed, another is due); failed (given up); dropped (a full queue's oldest, or left at shutdown). */
export type NotifyResult = "delivered" | "retried" | "failed" | "dropped";

export interface NotifyWebhookDeps {
  /** Reads the tenant (and its webhook) of a session event, whatever its tenant: events name only their session. */
  db: CrossTenantDatabase;
  /** The server's default receiver (ORCHESTRATOR_NOTIFY_WEBHOOK_URL and _SECRET); null: only tenants with their own URL are notified. */
  fallback: NotifyTarget | null;
  /** A tenant's stored (sealed) secret, opened; null when this server secret cannot open it. */
  openSecret(sealed: string): string | null;
  count(result: NotifyResult): void;
  log: Logger;
  policy: NotifyPolicy;
  userAgent: string;
  random?: () => number;
}

export interface NotifyWebhook {
  /** A committed batch of this replica's session events (never another replica's: each commit is posted once). */
  sessionEvents(events: readonly SessionEvent[]): void;
  /** Tasks one committed step of the task executor brought to an end. */
  taskNotices(tenantId: string, notices: readonly Notice[]): void;
  /** Notifications waiting to be sent or retried (not those in flight). */
  waiting(): number;
  /** Aborts the POSTs in flight and drops what waits: shutdown never waits on a receiver. */
  stop(): Promise<void>;
}

type Item = {
  /** Creation order: the queue is kept in it, and a full queue drops the lowest. */
  seq: number;
  /** The delivery id, the same on every try. */
  id: string;
  notice: Notice;
  tenantId: string | null;
  tries: number;
  dueAt: number;
  /** Read once, at the first try: every retry sends the same bytes to the same receiver. */
  resolved?: { url: string; secret: string | null; body: string } | null;
};

/** Where a log line may say the receiver is: its origin only (a URL's path or query may hold a token). */
const originOf = (url: string) => new URL(url).origin;

/**
 * The notify webhook's sender (README, "Notifications"; docs/input-requests.md
 * §3): a bounded in-memory queue, a few POSTs at once, each with a time
 * limit, retried with backoff (core's decideNotifyDelivery). Callers only
 * enqueue — nothing here is awaited on an attempt's or a request's path, so a
 * slow or dead receiver never holds up a session. What waits is lost when the
 * process ends (at-most-once across a restart; a receiver can skip repeats by
 * the delivery id).
 */
export function createNotifyWebhook(deps: NotifyWebhookDeps): NotifyWebhook {
  const { policy, log } = deps;
  const random = deps.random ?? Math.random;
  let queue: Item[] = [];
  let seq = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();

  function enqueue(item: Item): void {
    if (stopped) return;
    const at = queue.findIndex((q) => q.seq > item.seq);
    queue.splice(at === -1 ? queue.length : at, 0, item);
    while (queue.length > policy.queueLimit) {
      const oldest = queue.shift()!;
      deps.count("dropped");
      log.warn(
        {
          type: oldest.notice.type,
          sessionId: oldest.notice.sessionId,
          taskId: oldest.notice.taskId,
          limit: policy.queueLimit,
        },
        "notify webhook queue full: its oldest notification is dropped",
      );
    }
    pump();
  }

  function add(notice: Notice, tenantId: string | null): void {
    enqueue({ seq: ++seq, id: randomUUID(), notice, tenantId, tries: 0, dueAt: 0 });
  }

  function pump(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    while (!stopped && inFlight.size < policy.concurrency) {
      const now = Date.now();
      const i = queue.findIndex((q) => q.dueAt <= now);
      if (i === -1) {
        if (queue.length) timer = setTimeout(pump, Math.max(0, Math.min(...queue.map((q) => q.dueAt)) - now)).unref();
        return;
      }
      const [item] = queue.splice(i, 1);
      const run = deliver(item!).catch((e: unknown) =>
        log.error({ err: coerceError(e).message }, "notify webhook: a delivery failed unexpectedly"),
      );
      inFlight.add(run);
      void run.finally(() => {
        inFlight.delete(run);
        pump();
      });
    }
  }

  /** The receiver and body of a notification, or null when it goes nowhere (no URL for its tenant, or its session is gone). */
  async function resolve(item: Item): Promise<Item["resolved"]> {
    const { notice } = item;
    let tenantId = item.tenantId;
    let webhook: TenantNotifyWebhook | null;
    let extra: Partial<Notice> = {};
    if (tenantId === null) {
      const s = await findSessionNotifyTarget(deps.db, notice.sessionId!);
      if (!s) return null;
      tenantId = s.tenantId;
      webhook = s.webhook;
      // An input request's data is the inbox item, which has the title already.
      extra = {
        ...(s.taskId ? { taskId: s.taskId } : {}),
        ...(notice.type !== "session.input_requested" ? { data: { ...notice.data, title: s.title } } : {}),
      };
    } else webhook = await findTenantNotifyWebhook(deps.db, tenantId);
    if (!webhook) return null;
    const target = chooseNotifyTarget(
      { url: webhook.url, secret: webhook.sealedSecret === null ? null : deps.openSecret(webhook.sealedSecret) },
      deps.fallback,
    );
    if (!target) return null;
    return { url: target.url, secret: target.secret, body: composeNotifyBody({ ...notice, ...extra }, tenantId) };
  }

  async function post(to: NonNullable<Item["resolved"]>, id: string): Promise<NotifyTryResult> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": deps.userAgent,
      [NOTIFY_DELIVERY_HEADER]: id,
    };
    if (to.secret !== null) headers[NOTIFY_SIGNATURE_HEADER] = computeNotifySignature(to.body, to.secret);
    try {
      // Redirects are not followed: the URL passed the address check, where it points to would not have.
      const res = await fetch(to.url, {
        method: "POST",
        headers,
        body: to.body,
        redirect: "manual",
        signal: AbortSignal.any([AbortSignal.timeout(policy.timeoutMs), abort.signal]),
      });
      await res.body?.cancel().catch(() => {});
      return { status: res.status };
    } catch (e) {
      const err = coerceError(e);
      if (err.name === "TimeoutError") return { error: `no answer within ${policy.timeoutMs} ms` };
      // fetch says "fetch failed"; the reason (ECONNREFUSED, ECONNRESET, …) is its cause.
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { error: cause?.code ?? cause?.message ?? err.message };
    }
  }

  async function deliver(item: Item): Promise<void> {
    let result: NotifyTryResult;
    if (item.resolved === undefined) {
      try {
        item.resolved = await resolve(item);
      } catch (e) {
        // The database away: this try failed, the backoff applies as for a receiver that did not answer.
        result = { error: `reading its tenant failed: ${coerceError(e).message}` };
      }
    }
    if (item.resolved === null) return;
    if (item.resolved !== undefined) result = await post(item.resolved, item.id);
    if (stopped) return;
    item.tries++;
    const decision = decideNotifyDelivery({ result: result!, tries: item.tries, policy, random: random() });
    const where = item.resolved ? originOf(item.resolved.url) : null;
    const about = {
      type: item.notice.type,
      sessionId: item.notice.sessionId,
      taskId: item.notice.taskId,
      receiver: where,
      delivery: item.id,
      tries: item.tries,
    };
    switch (decision.kind) {
      case "delivered":
        deps.count("delivered");
        log.debug(about, "notify webhook delivered");
        return;
      case "retry":
        deps.count("retried");
        log.info({ ...about, result: result!, retryInMs: decision.delayMs }, "notify webhook try failed; trying again");
        enqueue({ ...item, dueAt: Date.now() + decision.delayMs });
        return;
      case "failed":
        deps.count("failed");
        log.warn({ ...about, reason: decision.reason }, "notify webhook gave up on a notification");
        return;
    }
  }

  return {
    sessionEvents(events) {
      try {
        for (const n of computeSessionNotices(events)) add(n, null);
      } catch (e) {
        // Never into the publisher: its commit is done, a notification is a courtesy.
        log.error({ err: coerceError(e).message }, "notify webhook: events not taken");
      }
    },
    taskNotices(tenantId, notices) {
      for (const n of notices) add(n, tenantId);
    },
    waiting: () => queue.length,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      abort.abort();
      if (queue.length) {
        for (let i = 0; i < queue.length; i++) deps.count("dropped");
        log.warn(
          { notifications: queue.length },
          "notify webhook: notifications still waiting are dropped at shutdown",
        );
      }
      queue = [];
      await Promise.allSettled([...inFlight]);
    },
  };
}

/**
 * `bus` whose publishes also go to the notify webhook. Give it the bus of
 * this replica's own publishes (main.ts `own`): events from other replicas
 * (Redis fan-out) are theirs to post.
 */
export function notifyingBus(bus: EventBus, notify: Pick<NotifyWebhook, "sessionEvents">): EventBus {
  return {
    publish(events) {
      bus.publish(events);
      notify.sessionEvents(events);
    },
    subscribe: (key, listener) => bus.subscribe(key, listener),
  };
}

/** The notify webhook as this server's configuration sets it up (main.ts). */
export function startNotifyWebhook(input: {
  config: Config;
  db: Database;
  secret: ServerSecret;
  metrics: Metrics;
  logger: Logger;
  version: string;
}): NotifyWebhook {
  const { config } = input;
  const log = input.logger.child({ component: "notify-webhook" });
  const url = config.ORCHESTRATOR_NOTIFY_WEBHOOK_URL;
  if (url)
    log.info(
      { receiver: originOf(url), signed: config.ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET !== undefined },
      "notifications are posted to the server's default webhook",
    );
  return createNotifyWebhook({
    db: bypassTenantWall(input.db, "notify webhook: a session event's tenant and that tenant's webhook"),
    fallback: url ? { url, secret: config.ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET ?? null } : null,
    openSecret(sealed) {
      try {
        return openSecret(input.secret.encryption, sealed);
      } catch {
        log.warn(
          "a tenant's webhook secret cannot be opened with this server secret (was ORCHESTRATOR_SECRET changed?); its notifications go unsigned",
        );
        return null;
      }
    },
    count: (result) => input.metrics.notifyWebhook.inc({ result }),
    log,
    policy: { ...defaultNotifyPolicy(), timeoutMs: config.ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS * 1000 },
    userAgent: `industrial-orchestrator/${input.version}`,
  });
}
