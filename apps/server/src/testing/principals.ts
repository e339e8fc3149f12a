import { ROLES, type Role } from "@industrial/core";
import type { Database } from "@industrial/db";
import { bearer, TEST_ADMIN_KEY } from "@industrial/testkit";
import { callRoute, type RouteRequest } from "./route-request";

/** Who calls: nobody, a key the server never made, keys that stopped working, and one key per role. */
export const PRINCIPALS = ["none", "wrong", "revoked", "expired", ...ROLES] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];
export { ROLES, type Role };

/** Well-formed (`io_<12>_<43>`) so that it is looked up, and unknown. */
export const WRONG_KEY = `io_AAAAAAAAAAAA_${"x".repeat(43)}`;

export function isRole(p: PrincipalName): p is Role {
  return (ROLES as readonly string[]).includes(p);
}

/** A tenant and a key for every principal of it (the refused keys are admin keys, so their refusal is not the role's). */
export interface TenantCast {
  id: string;
  name: string;
  keys: Record<Role, string>;
  keyIds: Record<Role, string>;
  /** A second member: the ownership rule's "someone else". */
  otherMember: string;
  revoked: string;
  expired: string;
}

/** A key of the cast for a principal (null: send none). */
export function keyOf(cast: TenantCast, p: PrincipalName): string | null {
  if (p === "none") return null;
  if (p === "wrong") return WRONG_KEY;
  if (p === "revoked" || p === "expired") return cast[p];
  return cast.keys[p];
}

export function authHeaders(key: string | null): Record<string, string> {
  return key === null ? {} : bearer(key);
}

/** The operator's call (the default tenant's admin), acting in `tenantId` when given; throws unless 2xx. */
export async function asOperator<T = Record<string, unknown>>(
  url: string,
  name: Parameters<typeof callRoute>[1],
  r: RouteRequest,
  tenantId?: string,
): Promise<T> {
  const a = await callRoute(url, name, {
    ...r,
    headers: { ...bearer(TEST_ADMIN_KEY), ...(tenantId ? { "x-tenant-id": tenantId } : {}), ...r.headers },
  });
  if (a.status >= 300) throw new Error(`operator ${name}: ${a.status} ${a.text}`);
  return a.json as T;
}

let serial = 0;
/** A name no other fixture of this process has. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${++serial}-${Math.random().toString(36).slice(2, 8)}`;
}

async function makeKey(
  url: string,
  tenantId: string,
  role: Role,
  expiresAt?: string,
): Promise<{ id: string; key: string }> {
  return asOperator(url, "createApiKey", {
    body: { name: uniqueName(`key-${role}`), role, tenantId, ...(expiresAt ? { expiresAt } : {}) },
  });
}

/**
 * A new tenant (made by the operator; or `existing`, e.g. the default one)
 * with a key per role, a second member, a revoked key (through the API) and
 * an expired one (its expiry moved into the past with SQL: the API refuses
 * to make one).
 */
export async function createTenantCast(
  url: string,
  db: Database,
  label: string,
  existing?: string,
): Promise<TenantCast> {
  const name = uniqueName(label);
  const tenant = existing
    ? { id: existing }
    : await asOperator<{ id: string }>(url, "createTenant", { body: { name, maxConcurrentSessions: 1000 } });
  const keys = {} as Record<Role, string>;
  const keyIds = {} as Record<Role, string>;
  for (const role of ROLES) {
    const k = await makeKey(url, tenant.id, role);
    keys[role] = k.key;
    keyIds[role] = k.id;
  }
  const otherMember = (await makeKey(url, tenant.id, "member")).key;
  const revoked = await makeKey(url, tenant.id, "admin");
  await asOperator(url, "revokeApiKey", { params: { id: revoked.id } }, tenant.id);
  const expired = await makeKey(url, tenant.id, "admin", new Date(Date.now() + 3_600_000).toISOString());
  await db.query("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = $1", [expired.id]);
  return { id: tenant.id, name, keys, keyIds, otherMember, revoked: revoked.key, expired: expired.key };
}
