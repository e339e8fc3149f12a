import { WS_VERSION, type WsServerMessageType, type WsServerPayloads } from "@industrial/contracts";
import type { SessionEvent } from "@industrial/core";

/**
 * One serialised frame: its UTF-8 bytes, encoded once and shared by every
 * socket it goes to (server frames are not masked, so ws never writes into it),
 * and their count (what the send buffer limit counts).
 */
export interface Frame {
  data: Buffer;
  bytes: number;
}

export function toFrame(text: string): Frame {
  const data = Buffer.from(text);
  return { data, bytes: data.length };
}

/** A server frame `{v, type, seq?, ts, payload}`, serialised. */
export function frame<K extends WsServerMessageType>(
  type: K,
  payload: WsServerPayloads[K],
  meta: { seq?: number; ts?: string } = {},
): Frame {
  return toFrame(
    JSON.stringify({
      v: WS_VERSION,
      type,
      ...(meta.seq === undefined ? {} : { seq: meta.seq }),
      ts: meta.ts ?? new Date().toISOString(),
      payload,
    }),
  );
}

export interface EventFrames {
  frames: Frame[];
  bytes: number;
}

const cache = new WeakMap<SessionEvent, EventFrames>();

/**
 * The frames of one session event: its own (its seq, its ts, its payload with
 * `sessionId` and `attempt`), followed by `session.completed` or
 * `session.failed` when a status change ends a run. Cached per event object:
 * the bus hands the same object to every subscriber, so a session watched by
 * 100 clients is serialised once.
 */
export function sessionEventFrames(e: SessionEvent): EventFrames {
  const hit = cache.get(e);
  if (hit) return hit;
  const frames = [
    toFrame(
      JSON.stringify({
        v: WS_VERSION,
        type: e.type,
        seq: e.seq,
        ts: e.ts,
        payload: { ...e.payload, sessionId: e.sessionId, attempt: e.attempt },
      }),
    ),
  ];
  if (e.type === "session.status_changed") {
    const { to, reason } = e.payload;
    const base = { sessionId: e.sessionId, reason, atSeq: e.seq };
    if (to === "completed" || to === "partially_completed")
      frames.push(frame("session.completed", { ...base, status: to }, { ts: e.ts }));
    if (to === "failed" || to === "timeout")
      frames.push(frame("session.failed", { ...base, status: to }, { ts: e.ts }));
  }
  const out = { frames, bytes: frames.reduce((n, f) => n + f.bytes, 0) };
  cache.set(e, out);
  return out;
}

const inboxCache = new WeakMap<SessionEvent, Frame | null>();

/**
 * The `inbox` room's frame of one session event (docs/input-requests.md §3,
 * WebSocket): `inbox.request_created` from `session.input_requested` (its
 * payload is the inbox item), `inbox.request_resolved` from
 * `session.input_replied`; null for any other event. Derived on each replica
 * from the bus, as `session.completed` is, so fan-out carries nothing new.
 */
export function inboxFrame(e: SessionEvent): Frame | null {
  const hit = inboxCache.get(e);
  if (hit !== undefined) return hit;
  let f: Frame | null = null;
  if (e.type === "session.input_requested")
    f = frame("inbox.request_created", { ...e.payload, atSeq: e.seq }, { ts: e.ts });
  if (e.type === "session.input_replied") {
    const { requestId, kind, outcome, actor, reply } = e.payload;
    f = frame(
      "inbox.request_resolved",
      {
        id: requestId,
        sessionId: e.sessionId,
        kind,
        status: outcome,
        reply,
        answeredBy: actor,
        resolvedAt: e.ts,
        atSeq: e.seq,
      },
      { ts: e.ts },
    );
  }
  inboxCache.set(e, f);
  return f;
}
