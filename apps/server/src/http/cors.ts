import { ForbiddenError } from "@industrial/core";
import type { FastifyInstance, FastifyRequest } from "fastify";

/** What clients send: the methods of the catalogue and the headers the typed client and the dashboard set. */
const ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
const ALLOW_HEADERS = "authorization, content-type, x-tenant-id, x-request-id";
/** What a page on another origin may read from an answer besides the simple headers. */
const EXPOSE_HEADERS = "retry-after, x-request-id";
/** How long a browser may reuse a preflight's answer (seconds). */
const MAX_AGE_SECONDS = "600";

/** `scheme://host[:port]` as a browser writes it in `Origin` (lower-case host, no default port). */
export function normalizeOrigin(origin: string): string {
  return new URL(origin).origin;
}

export function isPreflight(req: Pick<FastifyRequest, "method" | "headers">): boolean {
  return (
    req.method === "OPTIONS" &&
    typeof req.headers.origin === "string" &&
    req.headers["access-control-request-method"] !== undefined
  );
}

/**
 * The CORS allow-list (ORCHESTRATOR_CORS_ORIGINS; empty: no CORS at all, the
 * dashboard is same-origin). An allowed origin gets its own origin back with
 * credentials (the session cookie), on every answer including errors so its
 * page can read a 401 or a 429; a preflight from it is answered here, before
 * authentication (browsers send preflights without credentials). Any other
 * origin gets no CORS header, and its preflight a 403 that names the header.
 * Our own code sets no other `Vary`, so setting it whole is safe.
 */
export function registerCors(app: FastifyInstance, origins: readonly string[]): void {
  if (origins.length === 0) return;
  const allowed = new Set(origins.map(normalizeOrigin));
  app.addHook("onRequest", async (req, reply) => {
    reply.header("vary", "Origin");
    const origin = req.headers.origin;
    const ok = typeof origin === "string" && allowed.has(origin);
    if (isPreflight(req)) {
      if (!ok)
        throw new ForbiddenError(
          `origin ${JSON.stringify(String(origin).slice(0, 100))} may not call this API from a browser`,
          {
            details: [{ path: "headers.origin", reason: "not in ORCHESTRATOR_CORS_ORIGINS" }],
          },
        );
      return reply
        .code(204)
        .headers({
          "access-control-allow-origin": origin,
          "access-control-allow-credentials": "true",
          "access-control-allow-methods": ALLOW_METHODS,
          "access-control-allow-headers": ALLOW_HEADERS,
          "access-control-max-age": MAX_AGE_SECONDS,
        })
        .send();
    }
    if (ok)
      reply.headers({
        "access-control-allow-origin": origin,
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": EXPOSE_HEADERS,
      });
  });
}
