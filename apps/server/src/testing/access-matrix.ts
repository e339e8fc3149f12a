import { ErrorEnvelope, routeAccess, routes, type RouteDef, type RouteName } from "@industrial/contracts";
import { isRoleAtLeast } from "@industrial/core";
import type { Fixtures } from "./fixtures";
import { authHeaders, isRole, keyOf, PRINCIPALS, type PrincipalName, type TenantCast } from "./principals";
import { routeExamples, type ExampleContext, type RouteExample } from "./route-examples";
import { callRoute, type RouteAnswer, type RouteRequest } from "./route-request";

export type Where = "own" | "other";

/** The error code each refusal status carries. */
const CODE_OF: Record<number, string> = {
  400: "INVALID_INPUT",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "CONFLICT",
};

function allowedStatus(name: RouteName): readonly number[] {
  const ex: RouteExample = routeExamples[name];
  const a = ex.allowed ?? (routes[name] as RouteDef).status ?? 200;
  return typeof a === "number" ? [a] : a;
}

/**
 * The documented answer (docs/security.md): no usable key → 401; a role
 * below the route's row → 403, decided on the role alone (so also for another
 * tenant's row); another tenant's row → 404; then the service's refinements;
 * else the route's own status.
 */
export function expectedStatus(name: RouteName, p: PrincipalName, where: Where): readonly number[] {
  const access = routeAccess[name];
  const ex: RouteExample = routeExamples[name];
  if (access === "public") return allowedStatus(name);
  if (!isRole(p)) return [401];
  if (!isRoleAtLeast(p, access)) return [403];
  if (where === "other") return [404];
  const refined = ex.refine?.(p);
  return refined ? [refined] : allowedStatus(name);
}

/** Problems with one answer (empty: as documented). */
export function judgeAnswer(
  name: RouteName,
  p: PrincipalName,
  where: Where,
  a: RouteAnswer,
  ownTenant: string,
): string[] {
  const want = expectedStatus(name, p, where);
  const label = `${name} as ${p} (${where} tenant)`;
  if (!want.includes(a.status)) return [`${label}: ${a.status}, expected ${want.join("|")}: ${a.text.slice(0, 300)}`];
  if (a.status >= 400) {
    const env = ErrorEnvelope.safeParse(a.json);
    if (!env.success) return [`${label}: ${a.status} without the error envelope: ${a.text.slice(0, 200)}`];
    const problems: string[] = [];
    const code = CODE_OF[a.status];
    if (code && env.data.error.code !== code) problems.push(`${label}: code ${env.data.error.code}, expected ${code}`);
    if (a.status === 401 && (p === "revoked" || p === "expired") && !env.data.error.message.includes(p))
      problems.push(`${label}: the 401 does not say the key was ${p}: ${env.data.error.message}`);
    return problems;
  }
  const parsed = routes[name].response.safeParse(a.json);
  if (!parsed.success)
    return [
      `${label}: the ${a.status} answer does not match the catalogue's schema: ${parsed.error.message.slice(0, 300)}`,
    ];
  return leakedRows(a.json, name === "listTenants" ? "id" : "tenantId", ownTenant).map(
    (id) => `${label}: lists a row of tenant ${id}`,
  );
}

/** Tenants other than `own` in a page's items (by `field`). */
function leakedRows(json: unknown, field: string, own: string): string[] {
  const items = (json as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  return items
    .map((i) => (i as Record<string, unknown>)[field])
    .filter((t): t is string => typeof t === "string" && t !== own);
}

export interface MatrixEnv {
  url: string;
  fx: Fixtures;
  own: TenantCast;
  other: TenantCast;
}

export function contextOf(fx: Fixtures, cast: TenantCast): ExampleContext {
  return {
    fx,
    cast,
    member: { key: cast.keys.member, tenantId: cast.id },
    admin: { key: cast.keys.admin, tenantId: cast.id },
  };
}

/** The tenants a route is tried in: another tenant's only when the request names a row. */
export function placesOf(name: RouteName): Where[] {
  const ex: RouteExample = routeExamples[name];
  return routeAccess[name] !== "public" && ex.names ? ["own", "other"] : ["own"];
}

/**
 * Every principal × tenant of one route: the own tenant's principals call
 * with fixtures of their tenant, then of the other. A destructive request
 * that will be allowed gets fresh fixtures; the rest share one per tenant.
 */
export async function runRouteMatrix(env: MatrixEnv, name: RouteName): Promise<{ problems: string[]; calls: number }> {
  const ex: RouteExample = routeExamples[name];
  const shared = new Map<Where, RouteRequest>();
  const problems: string[] = [];
  let calls = 0;
  for (const where of placesOf(name)) {
    const ctx = contextOf(env.fx, where === "own" ? env.own : env.other);
    for (const p of PRINCIPALS) {
      const fresh = ex.destructive && expectedStatus(name, p, where).some((s) => s < 300);
      let req = fresh ? undefined : shared.get(where);
      if (!req) {
        req = await ex.request(ctx);
        if (!fresh) shared.set(where, req);
      }
      const a = await callRoute(env.url, name, {
        ...req,
        headers: { ...req.headers, ...authHeaders(keyOf(env.own, p)) },
      });
      calls++;
      problems.push(...judgeAnswer(name, p, where, a, env.own.id));
    }
  }
  return { problems, calls };
}
