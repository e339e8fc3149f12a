import { createOpenCodeClient, type OpenCodeCallObserver } from "../opencode-client";
import { subscribeEvents, type EventSubscription, type OpenCodeEvent } from "../event-stream";
import type { OcSubscription, OcTransport } from "./ports";

type Listener = Parameters<OcTransport["subscribe"]>[0];

interface SharedStream {
  sub: EventSubscription;
  listeners: Set<Listener>;
  linger: NodeJS.Timeout | null;
  /** False while the stream reconnects: a newcomer then waits for the next connection. */
  connected: boolean;
  waiters: (() => void)[];
}

/**
 * The attempt runner's view of OpenCode, backed by the HTTP client and the
 * SSE subscription. Attempts of one process in one directory share a single
 * event stream: OpenCode sends every event of a directory to every stream,
 * so one stream per attempt multiplies its work by the number of attempts.
 * A stream with no listener lingers a moment for the next attempt.
 * `headers` gives the extra headers of a server (its basic auth: a managed
 * runner's own password, a remote runner's configured one); a stream asks
 * again at every reconnection, so a process that took over the address
 * is asked with its own.
 */
export function createOpenCodeTransport(
  options: {
    connectTimeoutMs?: number;
    lingerMs?: number;
    headers?: (baseUrl: string) => Record<string, string> | undefined;
    /** Every OpenCode call's outcome (metrics). */
    observe?: OpenCodeCallObserver;
  } = {},
): OcTransport {
  const streams = new Map<string, SharedStream>();
  const lingerMs = options.lingerMs ?? 5_000;

  const open = (baseUrl: string, directory: string, key: string): SharedStream => {
    const listeners = new Set<Listener>();
    const stream = { listeners, linger: null, connected: false, waiters: [] } as unknown as SharedStream;
    stream.sub = subscribeEvents({
      baseUrl,
      directory,
      headers: () => options.headers?.(baseUrl),
      onEvent: (event: OpenCodeEvent) => {
        for (const l of listeners) l.onEvent(event);
      },
      onStatus: (status, detail) => {
        stream.connected = status === "connected";
        if (stream.connected) for (const w of stream.waiters.splice(0)) w();
        for (const l of listeners) l.onStatus(status, detail.reconnected);
      },
      connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
    });
    // A stream that failed to connect must not be handed to the next attempt.
    stream.sub.ready.catch(() => {
      if (streams.get(key) === stream) streams.delete(key);
    });
    streams.set(key, stream);
    return stream;
  };

  return {
    client: (baseUrl, directory, opts) => {
      const headers = options.headers?.(baseUrl);
      return createOpenCodeClient({
        baseUrl,
        directory,
        ...(opts?.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        ...(headers ? { headers } : {}),
        ...(options.observe ? { observe: options.observe } : {}),
      });
    },
    subscribe(listener): OcSubscription {
      const key = `${listener.baseUrl}\n${listener.directory}`;
      const stream = streams.get(key) ?? open(listener.baseUrl, listener.directory, key);
      if (stream.linger) clearTimeout(stream.linger);
      stream.linger = null;
      stream.listeners.add(listener);
      // Events are only delivered while connected: a newcomer during a reconnect waits for it.
      const ready = stream.connected
        ? Promise.resolve()
        : stream.sub.ready.then(() =>
            stream.connected ? undefined : new Promise<void>((r) => stream.waiters.push(r)),
          );
      return {
        ready,
        close() {
          stream.listeners.delete(listener);
          if (stream.listeners.size > 0 || stream.linger) return;
          stream.linger = setTimeout(() => {
            if (stream.listeners.size > 0) return;
            stream.sub.close();
            if (streams.get(key) === stream) streams.delete(key);
          }, lingerMs);
          stream.linger.unref();
        },
      };
    },
  };
}
