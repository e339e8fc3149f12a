import { WS_SUBPROTOCOL, WsServerMessageSchema, type WsServerMessage } from "@industrial/contracts";
import { ORCHESTRATOR_URL } from "./api";

export type SocketState = "connecting" | "open" | "closed";

export interface LiveSocketOptions {
  /** The endpoint and query, read again at every (re)connect: `/ws/sessions/<id>?after=<lastSeq>`. */
  path: () => string;
  onFrame: (frame: WsServerMessage) => void;
  onState?: (state: SocketState) => void;
  /** Rooms to subscribe after each connect (besides the endpoint's own). */
  rooms?: string[];
}

/** The WebSocket URL of an endpoint: the orchestrator's origin with ws(s). */
export function wsUrl(path: string, base: string = ORCHESTRATOR_URL, location?: { protocol: string; host: string }): string {
  if (base) return base.replace(/^http/, "ws") + path;
  const loc = location ?? window.location;
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}${path}`;
}

/** Reconnect delays: quick first, then up to 5 s. */
export function backoffMs(attempt: number): number {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
}

/** Close codes after which reconnecting cannot help: the thing watched does not exist, or the request is bad. */
const FINAL_CLOSES = new Set([4400, 4404]);

/**
 * One live WebSocket: frames parsed with the contract schema, reconnects with
 * backoff (the path is re-read, so a session stream resumes with `?after=`),
 * and a watchdog that reconnects when the server goes quiet for two heartbeat
 * periods. Invalid frames are dropped, never thrown.
 */
export function openLiveSocket(o: LiveSocketOptions): { close(): void } {
  let ws: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let heartbeatMs = 30_000;
  let lastFrameAt = Date.now();
  const watchdog = setInterval(() => {
    if (ws?.readyState === WebSocket.OPEN && Date.now() - lastFrameAt > 2 * heartbeatMs + 5000) ws.close(4000, "no heartbeat");
  }, 5000);

  const connect = () => {
    if (stopped) return;
    o.onState?.("connecting");
    const socket = new WebSocket(wsUrl(o.path()), [WS_SUBPROTOCOL]);
    ws = socket;
    socket.onopen = () => {
      attempt = 0;
      lastFrameAt = Date.now();
      o.onState?.("open");
      for (const room of o.rooms ?? []) socket.send(JSON.stringify({ v: 1, type: "subscribe", payload: { room } }));
    };
    socket.onmessage = (m) => {
      lastFrameAt = Date.now();
      let raw: unknown;
      try {
        raw = JSON.parse(String(m.data));
      } catch {
        return;
      }
      const parsed = WsServerMessageSchema.safeParse(raw);
      if (!parsed.success) return;
      if (parsed.data.type === "hello") heartbeatMs = parsed.data.payload.heartbeatIntervalMs;
      o.onFrame(parsed.data);
    };
    socket.onclose = (e) => {
      if (ws !== socket) return;
      ws = null;
      o.onState?.("closed");
      if (stopped || FINAL_CLOSES.has(e.code)) return;
      retry = setTimeout(connect, backoffMs(attempt++));
    };
  };
  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(retry);
      clearInterval(watchdog);
      const s = ws;
      ws = null;
      if (s && s.readyState <= WebSocket.OPEN) s.close(1000, "done");
    },
  };
}
