import { ForbiddenError } from "@industrial/core";
import type { FastifyInstance } from "fastify";

/** Names a browser uses for this machine (any port): no DNS answer can point a foreign name at them. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

/** The host name of a Host header (`name`, `name:port`, `[v6]`, `[v6]:port`), lower-cased; null when it is not one. */
export function hostNameOf(host: string): string | null {
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(host.trim());
  return m ? m[1]!.toLowerCase() : null;
}

/** Host names served when bound to loopback: the machine's own, and those of the CORS origins (a proxy on this machine may forward them). */
export function computeAllowedHostNames(corsOrigins: readonly string[]): ReadonlySet<string> {
  const names = new Set(LOOPBACK_NAMES);
  for (const origin of corsOrigins) names.add(new URL(origin).hostname.toLowerCase());
  return names;
}

export function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = host === undefined ? null : hostNameOf(host);
  return name !== null && allowed.has(name);
}

/**
 * DNS rebinding: a page on evil.example re-points its own name at 127.0.0.1
 * and, being same-origin with itself, reads this server's answers. The
 * browser still sends `Host: evil.example`, so a server bound to loopback
 * serves only the names of this machine — every path: the API, the
 * dashboard's pages and WebSocket upgrades (an upgrade goes through the same
 * onRequest hooks). Not installed when bound elsewhere: a proxy or ingress
 * in front decides which names reach it.
 */
export function registerHostAllowList(app: FastifyInstance, allowed: ReadonlySet<string> | null): void {
  if (!allowed) return;
  app.addHook("onRequest", async (req, reply) => {
    const host = req.headers.host;
    if (isAllowedHost(host, allowed)) return;
    // A refused upgrade never reaches @fastify/websocket's own hooks, which would close its socket
    // after the answer; left open, the socket would also hold up the server's close.
    if (req.headers.upgrade !== undefined) reply.raw.once("finish", () => req.raw.socket.destroy());
    throw new ForbiddenError(
      `this server is bound to loopback and answers only for ${[...allowed].join(", ")}; Host ${JSON.stringify((host ?? "").slice(0, 100))} refused`,
      {
        details: [{ path: "headers.host", reason: `must be one of ${[...allowed].join(", ")} (any port)` }],
        suggestion: "open it as http://localhost:<port>, or add the origin to ORCHESTRATOR_CORS_ORIGINS",
      },
    );
  });
}
