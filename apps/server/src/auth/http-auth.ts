import { Uuid } from "@industrial/contracts";
import {
  computeActingTenant,
  ForbiddenError,
  InvalidInputError,
  isRoleAtLeast,
  NotFoundError,
  UnauthenticatedError,
  type Access,
  type Principal,
} from "@industrial/core";
import type { IncomingHttpHeaders } from "node:http";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ANONYMOUS_ADMIN, type Authenticator, type AuthResult } from "./authenticator";
import { readCookie, SESSION_COOKIE } from "./session-cookie";

declare module "fastify" {
  interface FastifyRequest {
    /** Who is calling: set by the auth hook on every non-public route (null on public ones). */
    caller: Principal | null;
  }
  interface FastifyContextConfig {
    /** The catalogue route's name and the least role it needs (routeAccess); absent on routes outside the catalogue. */
    routeName?: string;
    access?: Access;
  }
}

export interface HttpAuthOptions {
  authenticator: Authenticator;
  /** Origins (besides the server's own) whose cookie-carrying writes are accepted. */
  corsOrigins: readonly string[];
  tenantExists(id: string): Promise<boolean>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `Authorization: Bearer <key>`; any other scheme is refused rather than ignored. */
export function bearerOf(header: string | undefined): { ok: true; token: string | null } | { ok: false } {
  if (!header) return { ok: true, token: null };
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  return m ? { ok: true, token: m[1]! } : { ok: false };
}

/**
 * A cookie came from our own pages only if the browser says so: the Origin of
 * a cross-site request can not be forged by the page that sends it. Same
 * host (whatever the scheme a proxy ended), or an allowed origin. A proxy in
 * front (the standalone dashboard's own server, an ingress) may have replaced
 * Host and kept the page's in X-Forwarded-Host: that one counts too — a page
 * elsewhere cannot add that header to a cookie-carrying request without a
 * preflight we refuse, and cannot add it to a WebSocket upgrade at all.
 */
export function isSameSiteOrigin(
  origin: string | undefined,
  headers: IncomingHttpHeaders,
  allowed: readonly string[],
): boolean {
  if (!origin || origin === "null") return false;
  if (allowed.includes(origin)) return true;
  const forwarded =
    typeof headers["x-forwarded-host"] === "string" ? headers["x-forwarded-host"].split(",")[0]!.trim() : undefined;
  try {
    const host = new URL(origin).host;
    return host === headers.host || (forwarded !== undefined && host === forwarded);
  } catch {
    return false;
  }
}

/**
 * The request's credentials → the principal, or the 401 that says why not.
 * With authentication off, a request without a key is the anonymous admin and
 * is treated like a cookie one: a browser's cross-site write is still refused.
 */
export async function authenticateHttp(
  req: FastifyRequest,
  opts: HttpAuthOptions,
): Promise<{ principal: Principal; viaCookie: boolean }> {
  const bearer = bearerOf(req.headers.authorization);
  if (!bearer.ok) throw new UnauthenticatedError("Authorization must be `Bearer <api key>`");
  let result: AuthResult;
  let viaCookie = false;
  if (bearer.token) result = await opts.authenticator.fromKey(bearer.token);
  else {
    const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!cookie && !opts.authenticator.enabled) return { principal: ANONYMOUS_ADMIN, viaCookie: true };
    if (!cookie) throw new UnauthenticatedError("no API key: send Authorization: Bearer <api key>");
    viaCookie = true;
    result = await opts.authenticator.fromCookie(cookie);
  }
  if (!result.ok) throw new UnauthenticatedError(result.reason);
  return { principal: result.principal, viaCookie };
}

/** The tenant asked for by `X-Tenant-Id` or `?tenantId=` (removed from the query, which routes validate strictly). */
function requestedTenant(req: FastifyRequest): string | null {
  const header = req.headers["x-tenant-id"];
  const query = req.query as Record<string, unknown> | undefined;
  const fromQuery = query && typeof query === "object" ? query.tenantId : undefined;
  if (query && typeof query === "object" && "tenantId" in query) delete query.tenantId;
  const raw = typeof header === "string" && header !== "" ? header : typeof fromQuery === "string" ? fromQuery : null;
  if (raw === null) return null;
  if (!Uuid.safeParse(raw).success)
    throw new InvalidInputError("invalid tenant", [
      {
        path: typeof header === "string" && header !== "" ? "headers.x-tenant-id" : "query.tenantId",
        reason: "must be a UUID",
      },
    ]);
  return raw;
}

/**
 * Every catalogue route that is not public: who is calling (key or cookie),
 * which tenant it acts in, and whether its role reaches the route's row in the
 * access table — before the body is even read. Routes outside the catalogue
 * (docs, /metrics, the dashboard's pages, WebSockets) answer for themselves.
 */
export function registerHttpAuth(app: FastifyInstance, opts: HttpAuthOptions): void {
  app.decorateRequest("caller", null);
  app.addHook("onRequest", async (req) => {
    const access = req.routeOptions.config?.access;
    if (access === undefined || access === "public") return;
    const { principal, viaCookie } = await authenticateHttp(req, opts);
    if (
      viaCookie &&
      !SAFE_METHODS.has(req.method) &&
      !isSameSiteOrigin(req.headers.origin, req.headers, opts.corsOrigins)
    )
      throw new ForbiddenError(
        "cross-site request refused: a request signed in by cookie must come from the dashboard's own origin",
      );
    const acting = computeActingTenant(principal, requestedTenant(req));
    if (!acting.ok) throw new ForbiddenError(acting.reason);
    if (acting.tenantId !== principal.tenantId && !(await opts.tenantExists(acting.tenantId)))
      throw new NotFoundError("tenant", acting.tenantId);
    const caller: Principal = { ...principal, tenantId: acting.tenantId };
    req.caller = caller;
    if (!isRoleAtLeast(caller.role, access))
      throw new ForbiddenError(
        `${req.routeOptions.config.routeName ?? "this route"} needs the ${access} role; this key is ${caller.role}`,
      );
  });
}
