import { setTimeout as delay } from "node:timers/promises";
import { z } from "zod";
import { type BackoffOptions, computeBackoffDelay } from "./backoff";
import { createSseParser } from "./sse-parser";

/**
 * OpenCode's per-directory event stream, `GET /event?directory=D`: SSE with
 * `data: {type, properties}` only — no ids, so no resume. The first event of
 * every connection is `server.connected`; `server.heartbeat` follows every
 * ~10 s. Events missed while disconnected are gone: after a reconnect the
 * caller resyncs (GET /session/status, GET /session/{id}/message).
 */

/** The envelope every event must have; the payload stays for the caller to parse. */
export const OpenCodeEventEnvelope = z.object({
  id: z.string().optional(),
  type: z.string().min(1),
  properties: z.record(z.string(), z.unknown()),
});
export type OpenCodeEvent = z.infer<typeof OpenCodeEventEnvelope>;

export type EventStreamStatus = "connected" | "reconnecting";

export interface EventStreamStatusDetail {
  /** Connection attempts that failed before this one (0 when the first try worked). */
  attempt: number;
  /** True for a connection after a drop: events may have been missed, resync now. */
  reconnected: boolean;
  /** Why the stream dropped (with "reconnecting"). */
  error?: string;
}

/** Something on the stream that could not be delivered; reported, never thrown. */
export interface EventStreamProblem {
  kind: "unparseable-json" | "invalid-envelope" | "listener-error";
  data: string;
  error: string;
}

export interface SubscribeEventsOptions {
  /** The server URL, or a getter so reconnects follow a restarted runner's new URL. */
  baseUrl: string | (() => string);
  directory: string;
  /** Stops the subscription. */
  signal?: AbortSignal;
  /** Every valid event, `server.connected` and heartbeats included. */
  onEvent: (event: OpenCodeEvent) => void;
  /** "reconnecting" once when the stream drops (not per retry), "connected" on every `server.connected`. */
  onStatus?: (status: EventStreamStatus, detail: EventStreamStatusDetail) => void;
  onInvalid?: (problem: EventStreamProblem) => void;
  /** `ready` rejects (and the subscription stops) if the first `server.connected` takes longer. Default 10 s. */
  connectTimeoutMs?: number;
  /** Silence this long means a dead connection (heartbeats come every ~10 s). Default 30 s. */
  idleTimeoutMs?: number;
  /**
   * Per connection attempt: no `server.connected` this soon means try again.
   * A request to a server in its first ~250 ms hangs, and a restarted runner
   * often gets the same port (port 0 tries 4096 first). Default 5 s.
   */
  handshakeTimeoutMs?: number;
  reconnect?: BackoffOptions;
  /** Extra headers (a runner's basic auth), or a getter asked at every connection, like `baseUrl`. */
  headers?: Record<string, string> | (() => Record<string, string> | undefined);
}

export interface EventSubscription {
  /** Resolves on the first `server.connected`: prompt only after it, or early events are lost. */
  ready: Promise<void>;
  /** Resolves when the subscription has stopped. */
  done: Promise<void>;
  close(): void;
}

const DEFAULT_RECONNECT: BackoffOptions = { baseMs: 250, maxMs: 5_000, jitter: 0.2 };

/** Subscribes to a directory's events, reconnecting until closed or aborted. */
export function subscribeEvents(options: SubscribeEventsOptions): EventSubscription {
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const baseUrl = typeof options.baseUrl === "function" ? options.baseUrl : () => options.baseUrl as string;
  const headers =
    typeof options.headers === "function"
      ? options.headers
      : () => options.headers as Record<string, string> | undefined;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5_000;

  let markReady!: () => void;
  let failReady!: (e: Error) => void;
  let isReady = false;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = () => {
      isReady = true;
      resolve();
    };
    failReady = reject;
  });
  ready.catch(() => {}); // callers that never await `ready` must not see an unhandled rejection
  const connectTimer = setTimeout(() => {
    if (isReady) return;
    failReady(new Error(`no server.connected from ${baseUrl()}/event within ${options.connectTimeoutMs ?? 10_000} ms`));
    stop.abort();
  }, options.connectTimeoutMs ?? 10_000);

  let attempt = 0;
  let everConnected = false;

  // Set by deliver() when this connection's server.connected arrives.
  let handshaken = false;

  const deliver = (data: string) => {
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (e) {
      options.onInvalid?.({ kind: "unparseable-json", data, error: (e as Error).message });
      return;
    }
    const parsed = OpenCodeEventEnvelope.safeParse(json);
    if (!parsed.success) {
      options.onInvalid?.({ kind: "invalid-envelope", data, error: parsed.error.message });
      return;
    }
    const event = parsed.data;
    if (event.type === "server.connected") {
      handshaken = true;
      options.onStatus?.("connected", { attempt, reconnected: everConnected });
      everConnected = true;
      attempt = 0;
      if (!isReady) markReady();
    }
    try {
      options.onEvent(event);
    } catch (e) {
      options.onInvalid?.({ kind: "listener-error", data, error: e instanceof Error ? e.message : String(e) });
    }
  };

  async function readOnce(): Promise<Error> {
    const connection = new AbortController();
    const cancel = () => connection.abort();
    stop.signal.addEventListener("abort", cancel, { once: true });
    let idle: NodeJS.Timeout | undefined;
    handshaken = false;
    const touch = () => {
      clearTimeout(idle);
      const ms = handshaken ? idleTimeoutMs : handshakeTimeoutMs;
      idle = setTimeout(
        () => connection.abort(new Error(handshaken ? `no data for ${ms} ms` : `no server.connected within ${ms} ms`)),
        ms,
      );
    };
    try {
      touch();
      const url = `${baseUrl()}/event?directory=${encodeURIComponent(options.directory)}`;
      const res = await fetch(url, {
        signal: connection.signal,
        headers: { accept: "text/event-stream", ...headers() },
      });
      if (!res.ok || !res.body) return new Error(`GET /event → ${res.status}`);
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      const parser = createSseParser(deliver);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return new Error("the event stream ended");
        parser.push(decoder.decode(value, { stream: true }));
        // Bytes alone do not prove a live server before the handshake: only
        // server.connected switches the timer from handshake to idle.
        if (handshaken) touch();
      }
    } catch (e) {
      const reason = connection.signal.reason;
      return reason instanceof Error && !stop.signal.aborted ? reason : e instanceof Error ? e : new Error(String(e));
    } finally {
      clearTimeout(idle);
      connection.abort();
      stop.signal.removeEventListener("abort", cancel);
    }
  }

  async function run(): Promise<void> {
    while (!stop.signal.aborted) {
      const error = await readOnce();
      if (stop.signal.aborted) break;
      // Once per outage: the caller marks its sessions degraded until "connected".
      if (attempt === 0)
        options.onStatus?.("reconnecting", { attempt: 1, reconnected: everConnected, error: error.message });
      try {
        await delay(computeBackoffDelay(attempt, options.reconnect ?? DEFAULT_RECONNECT), undefined, {
          signal: stop.signal,
        });
      } catch {
        break;
      }
      attempt += 1;
    }
  }

  const done = run().finally(() => {
    clearTimeout(connectTimer);
    options.signal?.removeEventListener("abort", onAbort);
    if (!isReady) failReady(new Error("event subscription closed before server.connected"));
  });

  return { ready, done, close: () => stop.abort() };
}
