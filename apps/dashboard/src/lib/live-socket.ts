import { WS_SUBPROTOCOL, WsCloseCode, WsServerMessageSchema, type WsServerMessage } from "@industrial/contracts";
import { actingTenant } from "./acting-tenant";
import { getApi, ORCHESTRATOR_URL } from "./api";

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
export function wsUrl(
  path: string,
  base: string = ORCHESTRATOR_URL,
  location?: { protocol: string; host: string },
): string {
  if (base) return base.replace(/^http/, "ws") + path;
  const loc = location ?? window.location;
  return `${loc.protocol === "https:" ? "wss" : "ws"}://${loc.host}${path}`;
}

/** An endpoint's path for the tenant an operator chose (`?tenantId=`, as `X-Tenant-Id` does for REST); unchanged for the key's own. */
export function withTenant(path: string, tenantId: string | null): string {
  if (!tenantId) return path;
  return `${path}${path.includes("?") ? "&" : "?"}tenantId=${encodeURIComponent(tenantId)}`;
}

/** Reconnect delays: quick first, then up to 5 s. */
export function backoffMs(attempt: number): number {
  return Math.min(5000, 250 * 2 ** Math.min(attempt, 5));
}

/**
 * Close codes after which reconnecting cannot help: the thing watched does
 * not exist, the request is bad, or the credentials were refused (1008).
 */
const FINAL_CLOSES = new Set([WsCloseCode.UNAUTHENTICATED, 4400, 4404]);

/**
 * A socket refused with 1008 (its key or cookie stopped working — or, behind
 * a proxy that rewrites the Host, a cookie socket judged cross-site) asks /me
 * whether the session really ended: a 401 there sends the page to sign in
 * (lib/api.ts); a 200 means signing in again would not help, so the page
 * stays, its feed offline, instead of bouncing between here and the sign-in
 * page.
 */
function checkSignedIn(): void {
  getApi()
    .call("me")
    .catch(() => undefined);
}

/**
 * One live WebSocket: frames parsed with the contract schema, reconnects with
 * backoff (the path is re-read, so a session stream resumes with `?after=`),
 * and a watchdog that reconnects when the server goes quiet for two heartbeat
 * periods. Invalid frames are dropped, never thrown. Every connect names the
 * tenant an operator chose; a refused key sends the page to sign in.
 */
export function openLiveSocket(o: LiveSocketOptions): { close(): void } {
  let ws: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let heartbeatMs = 30_000;
  let lastFrameAt = Date.now();
  const watchdog = setInterval(() => {
    if (ws?.readyState === WebSocket.OPEN && Date.now() - lastFrameAt > 2 * heartbeatMs + 5000)
      ws.close(4000, "no heartbeat");
  }, 5000);

  const connect = () => {
    if (stopped) return;
    o.onState?.("connecting");
    const socket = new WebSocket(wsUrl(withTenant(o.path(), actingTenant.get())), [WS_SUBPROTOCOL]);
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
      if (!stopped && e.code === WsCloseCode.UNAUTHENTICATED) checkSignedIn();
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
