import { routes } from "@industrial/contracts";
import { UnauthenticatedError, type Clock } from "@industrial/core";
import { findApiKey, findUser, listAuditEntries } from "@industrial/db";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Authenticator } from "../auth/authenticator";
import { sessionCookieHeader, signSessionCookie } from "../auth/session-cookie";
import type { ServerSecret } from "../auth/server-secret";
import { defineRoute } from "../define-route";
import { createApiKey, listApiKeyPage, revokeKey } from "../services/api-keys";
import type { ServiceDeps } from "../services/deps";
import { createUser, deleteUser, listUserPage, patchUser } from "../services/users";

export interface AccessRouteDeps {
  authenticator: Authenticator;
  secret: ServerSecret;
  clock: Clock;
}

/** The caller as /me tells it: its principal, and the names of its key and user (read in the key's own tenant). */
async function meOf(deps: ServiceDeps, authEnabled: boolean) {
  const p = deps.caller;
  const home = deps.tenantDb(p.homeTenantId);
  const key = p.keyId ? await findApiKey(home, p.homeTenantId, p.keyId) : null;
  const user = p.userId ? await findUser(home, p.homeTenantId, p.userId) : null;
  return {
    tenantId: p.tenantId,
    homeTenantId: p.homeTenantId,
    role: p.role,
    keyId: p.keyId,
    userId: p.userId,
    authEnabled,
    keyName: key?.name ?? null,
    keyPrefix: key?.prefix ?? null,
    userName: user?.name ?? null,
  };
}

/** Secure cookies on https (directly, or as a proxy says: a false claim only makes the cookie stricter). */
function isHttps(req: FastifyRequest): boolean {
  return req.protocol === "https" || req.headers["x-forwarded-proto"] === "https";
}

/** /me, dashboard sign-in and sign-out, API keys, users, the audit log. */
export function registerAccessRoutes(app: FastifyInstance, d: AccessRouteDeps): void {
  defineRoute(app, routes.me, async ({ deps }) => meOf(deps, d.authenticator.enabled));
  defineRoute(app, routes.login, async ({ body, request, reply }) => {
    const result = await d.authenticator.fromKey(body.key);
    if (!result.ok) throw new UnauthenticatedError(result.reason);
    // The audit hook records the sign-in under the key that made it.
    request.caller = result.principal;
    if (result.principal.keyId) {
      const cookie = signSessionCookie(d.secret.cookieSigning, result.principal.keyId, d.clock.now());
      reply.header("set-cookie", sessionCookieHeader(cookie.value, cookie.maxAge, isHttps(request)));
    }
    return meOf(app.scopeDeps(result.principal), d.authenticator.enabled);
  });
  defineRoute(app, routes.logout, async ({ request, reply }) => {
    reply.header("set-cookie", sessionCookieHeader("", 0, isHttps(request)));
    return { signedOut: true as const };
  });

  defineRoute(app, routes.createApiKey, ({ deps, body }) => createApiKey(deps, body));
  defineRoute(app, routes.listApiKeys, ({ deps, query }) => listApiKeyPage(deps, query));
  defineRoute(app, routes.revokeApiKey, ({ deps, params }) => revokeKey(deps, params.id));

  defineRoute(app, routes.listUsers, ({ deps, query }) => listUserPage(deps, query));
  defineRoute(app, routes.createUser, ({ deps, body }) => createUser(deps, body));
  defineRoute(app, routes.patchUser, ({ deps, params, body }) => patchUser(deps, params.id, body));
  defineRoute(app, routes.deleteUser, ({ deps, params }) => deleteUser(deps, params.id));

  defineRoute(app, routes.listAudit, ({ deps, query }) =>
    listAuditEntries(deps.db, {
      tenantId: deps.tenantId,
      actor: query.actor,
      action: query.action,
      target: query.target,
      from: query.from,
      to: query.to,
      limit: query.limit,
      cursor: query.cursor,
    }),
  );
}
