import { createHmac, timingSafeEqual } from "node:crypto";
import { parseHttpUrl } from "./http-url";
import type { SessionEvent } from "./session/session-event";
import type { SessionStatus } from "./session/session-status";
import type { Task, TaskStatus } from "./task/task";

/**
 * The notify webhook (docs/input-requests.md §3, "Notify webhook"; the
 * README's "Notifications"): the replica that committed an event POSTs one
 * signed JSON body per new input request and per session or task that
 * finishes, fails or times out. The decisions are here, pure; the queue that
 * sends them is apps/server's runtime/notify-webhook.ts.
 */

/** Session ends that notify. `stopped` and `cancelled` are a person's doing, `orphaned` the operator's: nobody needs telling. */
export const NOTIFY_SESSION_STATUSES = [
  "completed",
  "partially_completed",
  "failed",
  "timeout",
] as const satisfies readonly SessionStatus[];
/** Task ends that notify: finished (a parent rolls up to partially_completed) or failed (blocked: a prerequisite can never be met). Cancelled and skipped are a person's doing. */
export const NOTIFY_TASK_STATUSES = [
  "completed",
  "partially_completed",
  "failed",
  "blocked",
] as const satisfies readonly TaskStatus[];

export type NotifyType =
  | "session.input_requested"
  | `session.${(typeof NOTIFY_SESSION_STATUSES)[number]}`
  | `task.${(typeof NOTIFY_TASK_STATUSES)[number]}`;

/** A notification before its tenant (and, for a session, its task and title) is read. */
export interface Notice {
  type: NotifyType;
  sessionId?: string;
  taskId?: string;
  /** When it happened (the event's time), not when it is sent. */
  at: string;
  data: Record<string, unknown>;
}

/** The body receivers get, in this key order (README, "Notifications"). */
export interface NotifyBody {
  type: NotifyType;
  tenantId: string;
  sessionId?: string;
  taskId?: string;
  at: string;
  data: Record<string, unknown>;
}

export const NOTIFY_SIGNATURE_HEADER = "x-orchestrator-signature";
/** The same id on every try of one notification: a receiver that got it already can skip it. */
export const NOTIFY_DELIVERY_HEADER = "x-orchestrator-delivery";

/**
 * What one committed batch of session events notifies. A session that fails
 * or times out and is requeued by its retry policy in the same transaction
 * (`failed → pending` later in the batch) is not finished: only its last
 * failure notifies.
 */
export function computeSessionNotices(events: readonly SessionEvent[]): Notice[] {
  const out: Notice[] = [];
  events.forEach((e, i) => {
    if (e.type === "session.input_requested") {
      out.push({ type: "session.input_requested", sessionId: e.sessionId, at: e.ts, data: { ...e.payload } });
      return;
    }
    if (e.type !== "session.status_changed") return;
    const { from, to, reason } = e.payload;
    if (!(NOTIFY_SESSION_STATUSES as readonly SessionStatus[]).includes(to)) return;
    const movedOn = events
      .slice(i + 1)
      .some((l) => l.sessionId === e.sessionId && l.type === "session.status_changed" && l.payload.from === to);
    if (!movedOn)
      out.push({
        type: `session.${to as (typeof NOTIFY_SESSION_STATUSES)[number]}`,
        sessionId: e.sessionId,
        at: e.ts,
        data: { status: to, from, reason },
      });
  });
  return out;
}

/** The tasks one step of a tree's execution brought to a notified end: `before` is each task's status when the step began. */
export function computeTaskNotices(
  before: ReadonlyMap<string, TaskStatus>,
  after: readonly Task[],
  at: string,
): Notice[] {
  return after.flatMap((t): Notice[] => {
    const from = before.get(t.id) ?? null;
    if (from === t.status || !(NOTIFY_TASK_STATUSES as readonly TaskStatus[]).includes(t.status)) return [];
    const data = {
      status: t.status,
      from,
      title: t.title,
      rootTaskId: t.rootTaskId,
      parentTaskId: t.parentTaskId,
      error: t.error?.message ?? null,
    };
    return [
      {
        type: `task.${t.status as (typeof NOTIFY_TASK_STATUSES)[number]}`,
        taskId: t.id,
        ...(t.sessionId ? { sessionId: t.sessionId } : {}),
        at,
        data,
      },
    ];
  });
}

/** The raw body: what is signed and sent, byte for byte; absent ids are left out. */
export function composeNotifyBody(n: Notice, tenantId: string): string {
  const body: NotifyBody = {
    type: n.type,
    tenantId,
    ...(n.sessionId ? { sessionId: n.sessionId } : {}),
    ...(n.taskId ? { taskId: n.taskId } : {}),
    at: n.at,
    data: n.data,
  };
  return JSON.stringify(body);
}

/** `sha256=<hex HMAC-SHA256 of the raw body keyed by the secret>`: the signature header's value. */
export function computeNotifySignature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** A receiver's check (and the tests'): the header matches the body and secret, compared in constant time. */
export function verifyNotifySignature(body: string, secret: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const want = Buffer.from(computeNotifySignature(body, secret));
  const got = Buffer.from(header);
  return got.length === want.length && timingSafeEqual(got, want);
}

export interface NotifyTarget {
  url: string;
  /** Null: the body goes unsigned (no signature header). */
  secret: string | null;
}

/**
 * Where a tenant's notifications go: its own URL (with its own secret, never
 * the operator's) when it set one, else the server's default (every tenant's,
 * the operator's receiver), else nowhere.
 */
export function chooseNotifyTarget(
  tenant: { url: string | null; secret: string | null },
  fallback: NotifyTarget | null,
): NotifyTarget | null {
  if (tenant.url) return { url: tenant.url, secret: tenant.secret };
  return fallback;
}

export interface NotifyPolicy {
  /** Tries of one notification, the first included. */
  maxTries: number;
  /** Wait before the second try; doubled for each one after, up to `maxDelayMs`, ±20 % jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One try's limit: a receiver that does not answer by then counts as a failed try. */
  timeoutMs: number;
  /** Notifications waiting (to be sent or retried); a full queue drops its oldest. */
  queueLimit: number;
  /** POSTs in flight at once: a slow receiver holds at most this many. */
  concurrency: number;
}

export function defaultNotifyPolicy(): NotifyPolicy {
  return { maxTries: 6, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 10_000, queueLimit: 1000, concurrency: 4 };
}

/** The wait before try `tries + 1` after `tries` failed ones: base·2^(tries−1), capped, times 0.8–1.2 from `random` ∈ [0, 1). */
export function computeNotifyBackoffMs(
  tries: number,
  policy: Pick<NotifyPolicy, "baseDelayMs" | "maxDelayMs">,
  random: number,
): number {
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, tries - 1));
  return Math.round(raw * (0.8 + 0.4 * random));
}

/** How one try ended: the receiver's HTTP status, or no answer (refused, reset, timed out). */
export type NotifyTryResult = { status: number } | { error: string };

export type NotifyDecision =
  { kind: "delivered" } | { kind: "retry"; delayMs: number } | { kind: "failed"; reason: string };

/**
 * After try number `tries`: 2xx is delivered; no answer, 408, 429 and 5xx
 * are tried again until `maxTries`; any other status is the receiver's
 * refusal and is not (a redirect is not followed: it could lead anywhere).
 */
export function decideNotifyDelivery(input: {
  result: NotifyTryResult;
  tries: number;
  policy: Pick<NotifyPolicy, "maxTries" | "baseDelayMs" | "maxDelayMs">;
  random: number;
}): NotifyDecision {
  const { result, tries, policy } = input;
  let why: string;
  if ("status" in result) {
    if (result.status >= 200 && result.status < 300) return { kind: "delivered" };
    why = `answered ${result.status}`;
    const transient = result.status === 408 || result.status === 429 || result.status >= 500;
    if (!transient)
      return {
        kind: "failed",
        reason: `${why}${result.status >= 300 && result.status < 400 ? " (redirects are not followed)" : ""}`,
      };
  } else why = result.error;
  if (tries >= policy.maxTries)
    return { kind: "failed", reason: `${why} (try ${tries} of ${policy.maxTries}; no tries left)` };
  return { kind: "retry", delayMs: computeNotifyBackoffMs(tries, policy, input.random) };
}

export type NotifyUrlResult = { ok: true; url: string } | { ok: false; reason: string };

/**
 * A webhook URL as config and the tenant setting take it: http(s), without
 * a user or password (a tenant's URL is shown to its members; the signature
 * authenticates the sender) and without a fragment.
 */
export function parseNotifyWebhookUrl(text: string): NotifyUrlResult {
  const parsed = parseHttpUrl(text);
  if (!parsed.ok) return parsed;
  const { url } = parsed;
  if (url.username || url.password)
    return {
      ok: false,
      reason: "must not carry a user or password (the signature header authenticates the orchestrator)",
    };
  if (url.hash) return { ok: false, reason: "must have no fragment" };
  return { ok: true, url: url.toString() };
}
