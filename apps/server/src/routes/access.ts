import { routes } from "@industrial/contracts";
import { UnauthenticatedError, type Clock, type Principal } from "@industrial/core";
import { listAuditEntries } from "@industrial/db";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Authenticator } from "../auth/authenticator";
import { sessionCookieHeader, signSessionCookie } from "../auth/session-cookie";
import type { ServerSecret } from "../auth/server-secret";
import { defineRoute } from "../define-route";
import { createApiKey, listApiKeyPage, revokeKey } from "../services/api-keys";
import { createUser, deleteUser, listUserPage, patchUser } from "../services/users";

export interface AccessRouteDeps {
  authenticator: Authenticator;
  secret: ServerSecret;
  clock: Clock;
}

function meOf(p: Principal, authEnabled: boolean) {
  return { tenantId: p.tenantId, homeTenantId: p.homeTenantId, role: p.role, keyId: p.keyId, userId: p.userId, authEnabled };
}

/** Secure cookies on https (directly, or as a proxy says: a false claim only makes the cookie stricter). */
function isHttps(req: FastifyRequest): boolean {
  return req.protocol === "https" || req.headers["x-forwarded-proto"] === "https";
}

/** /me, dashboard sign-in and sign-out, API keys, users, the audit log. */
export function registerAccessRoutes(app: FastifyInstance, d: AccessRouteDeps): void {
  defineRoute(app, routes.me, async ({ caller }) => meOf(caller, d.authenticator.enabled));
  defineRoute(app, routes.login, async ({ body, request, reply }) => {
    const result = await d.authenticator.fromKey(body.key);
    if (!result.ok) throw new UnauthenticatedError(result.reason);
    // The audit hook records the sign-in under the key that made it.
    request.caller = result.principal;
    if (result.principal.keyId) {
      const cookie = signSessionCookie(d.secret.cookieSigning, result.principal.keyId, d.clock.now());
      reply.header("set-cookie", sessionCookieHeader(cookie.value, cookie.maxAge, isHttps(request)));
    }
    return meOf(result.principal, d.authenticator.enabled);
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
    listAuditEntries(deps.db, { tenantId: deps.tenantId, actor: query.actor, action: query.action, target: query.target, from: query.from, to: query.to, limit: query.limit, cursor: query.cursor }),
  );
}
