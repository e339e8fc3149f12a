import type { IncomingHttpHeaders } from "node:http";
import { WS_SUBPROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from "@industrial/contracts";
import type { Principal } from "@industrial/core";
import type { Authenticator } from "../auth/authenticator";
import { isSameSiteOrigin } from "../auth/http-auth";
import { readCookie, SESSION_COOKIE } from "../auth/session-cookie";

/** Who a connection acts for: every room and query is limited to its tenant; its key is re-checked while it is open. */
export type WsPrincipal = Pick<Principal, "tenantId"> & Partial<Omit<Principal, "tenantId">>;

export interface WsAuthRequest {
  /** From `?token=` or a `bearer.<token>` subprotocol (the query wins); null when absent. */
  token: string | null;
  headers: IncomingHttpHeaders;
  path: string;
  remoteAddress: string | undefined;
}

export type WsAuthResult = { ok: true; principal: WsPrincipal } | { ok: false; reason: string };

/**
 * The authentication seam: a connection's request → its principal, or a
 * refusal (closed with 1008 and the reason). main.ts wires
 * `createWsAuthenticate`; protocol tests wire their own.
 */
export type WsAuthenticate = (request: WsAuthRequest) => Promise<WsAuthResult> | WsAuthResult;

/**
 * API keys (`?token=` or the `bearer.<key>` subprotocol) or the dashboard's
 * session cookie — the cookie only from our own origin (a page elsewhere
 * could otherwise open a socket with the person's cookie). WebSocket
 * endpoints are read-only views: any role of the tenant may open them
 * (wsEndpointAccess).
 */
export function createWsAuthenticate(input: {
  authenticator: Authenticator;
  corsOrigins: readonly string[];
}): WsAuthenticate {
  return async (req) => {
    if (req.token) return input.authenticator.fromKey(req.token);
    const cookie = readCookie(typeof req.headers.cookie === "string" ? req.headers.cookie : undefined, SESSION_COOKIE);
    const origin = typeof req.headers.origin === "string" ? req.headers.origin : undefined;
    if (cookie || !input.authenticator.enabled) {
      if (origin !== undefined && !isSameSiteOrigin(origin, req.headers, input.corsOrigins))
        return { ok: false, reason: "cross-site WebSocket refused: open it from the dashboard's own origin" };
      if (!cookie) return input.authenticator.fromKey("");
      return input.authenticator.fromCookie(cookie);
    }
    return { ok: false, reason: "no API key: connect with ?token=<api key> or the bearer.<api key> subprotocol" };
  };
}

/** The offered subprotocols, from the `Sec-WebSocket-Protocol` header. */
function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers["sec-websocket-protocol"];
  return (Array.isArray(raw) ? raw.join(",") : (raw ?? ""))
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
}

/**
 * `?token=` first, then an `Authorization: Bearer` header (clients that can
 * set headers), else the first offered subprotocol that is not ours
 * (`bearer.` stripped).
 */
export function tokenOf(query: unknown, headers: IncomingHttpHeaders): string | null {
  const q = (query ?? {}) as Record<string, unknown>;
  if (typeof q.token === "string" && q.token !== "") return q.token;
  const auth = /^Bearer[ ]+(\S+)\s*$/i.exec(headers.authorization ?? "");
  if (auth) return auth[1]!;
  const given = offeredProtocols(headers).find((p) => p !== WS_SUBPROTOCOL);
  if (!given) return null;
  return given.startsWith(WS_TOKEN_PROTOCOL_PREFIX) ? given.slice(WS_TOKEN_PROTOCOL_PREFIX.length) || null : given;
}

/**
 * A browser that offers subprotocols fails the handshake unless the server
 * selects one of them: ours. A client that offers only `bearer.<key>` is not
 * answered with it — the key is never echoed back in a header — so clients
 * offer `orchestrator.v1` beside it.
 */
export function selectProtocol(protocols: Set<string>): string | false {
  return protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false;
}
