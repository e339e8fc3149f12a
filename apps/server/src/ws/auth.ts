import type { IncomingHttpHeaders } from "node:http";
import { WS_SUBPROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from "@industrial/contracts";

/** Who a connection acts for: every room and query is limited to its tenant. */
export interface WsPrincipal {
  tenantId: string;
  /** For logs: a user, an API key id, or `anonymous`. */
  subject: string;
}

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
 * refusal (closed with 1008 and the reason). Real API keys arrive with the
 * security issue; until then main.ts wires `acceptEveryone`.
 */
export type WsAuthenticate = (request: WsAuthRequest) => Promise<WsAuthResult> | WsAuthResult;

/** The default before real auth: everyone is `anonymous` in the default tenant (as every REST request is). */
export function acceptEveryone(tenantId: string): WsAuthenticate {
  return () => ({ ok: true, principal: { tenantId, subject: "anonymous" } });
}

/** The offered subprotocols, from the `Sec-WebSocket-Protocol` header. */
function offeredProtocols(headers: IncomingHttpHeaders): string[] {
  const raw = headers["sec-websocket-protocol"];
  return (Array.isArray(raw) ? raw.join(",") : (raw ?? "")).split(",").map((p) => p.trim()).filter(Boolean);
}

/** `?token=` first, else the first offered subprotocol that is not ours (`bearer.` stripped). */
export function tokenOf(query: unknown, headers: IncomingHttpHeaders): string | null {
  const q = (query ?? {}) as Record<string, unknown>;
  if (typeof q.token === "string" && q.token !== "") return q.token;
  const given = offeredProtocols(headers).find((p) => p !== WS_SUBPROTOCOL);
  if (!given) return null;
  return given.startsWith(WS_TOKEN_PROTOCOL_PREFIX) ? given.slice(WS_TOKEN_PROTOCOL_PREFIX.length) || null : given;
}

/**
 * A browser that offers subprotocols fails the handshake unless the server
 * selects one of them: ours when offered, else the first (the token itself).
 */
export function selectProtocol(protocols: Set<string>): string | false {
  if (protocols.has(WS_SUBPROTOCOL)) return WS_SUBPROTOCOL;
  const [first] = protocols;
  return first ?? false;
}
