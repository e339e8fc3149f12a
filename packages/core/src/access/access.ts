/**
 * Who may do what (docs/security.md). Roles nest: each contains the next.
 * - admin   tenants, users, API keys (and everything below)
 * - lead    agents, runners, the tenant's quotas, budgets and model list; any session or task of the tenant
 * - member  creates sessions, tasks and contexts; controls the sessions and tasks it created
 * - viewer  reads everything of its tenant
 */
import { DomainError, ErrorCode, type DomainErrorOptions } from "../errors";

export const ROLES = ["viewer", "member", "lead", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** What a route or WebSocket endpoint needs: nothing (`public`) or at least a role. */
export type Access = "public" | Role;

/** The tenant every embedded install starts with; its admins may act on other tenants. */
export const DEFAULT_TENANT_ID = "00000000-0000-4000-8000-000000000000";

const RANK: Record<Role, number> = { viewer: 0, member: 1, lead: 2, admin: 3 };

export function isRoleAtLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

/** The narrower of two roles: a user's key acts with the user's role unless the key's is narrower. */
export function computeNarrowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b;
}

/**
 * The caller of a request or a WebSocket: the tenant it acts in, its role
 * there, and the key (and user) it authenticated with. With authentication
 * off, the anonymous admin of the default tenant (keyId and userId null).
 */
export interface Principal {
  /** The tenant this request acts in (the key's own, or another chosen by an admin of the default tenant). */
  tenantId: string;
  /** The key's own tenant. */
  homeTenantId: string;
  role: Role;
  keyId: string | null;
  userId: string | null;
}

/** Who created a session or task, as stored in `created_by`: the user, else the key, else anonymous. */
export function computeActor(p: Pick<Principal, "keyId" | "userId">): string {
  if (p.userId) return `user:${p.userId}`;
  if (p.keyId) return `key:${p.keyId}`;
  return "anonymous";
}

/** An admin of the default tenant: the only caller who may act on other tenants. */
export function isOperatorAdmin(p: Pick<Principal, "homeTenantId" | "role">): boolean {
  return p.homeTenantId === DEFAULT_TENANT_ID && p.role === "admin";
}

/** Authentication failed: no key, a wrong one, a revoked or expired one. Mapped to 401. */
export class UnauthenticatedError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(ErrorCode.UNAUTHENTICATED, message, {
      suggestion: "send Authorization: Bearer <api key> (or sign in to the dashboard)",
      ...options,
    });
  }
}

/** The caller is known but its role does not allow this. Mapped to 403 (never for another tenant's rows: those are 404). */
export class ForbiddenError extends DomainError {
  constructor(message: string, options: DomainErrorOptions = {}) {
    super(ErrorCode.FORBIDDEN, message, options);
  }
}

/** Throws ForbiddenError unless the caller's role reaches `minimum`. */
export function assertRole(p: Pick<Principal, "role">, minimum: Role, what: string): void {
  if (!isRoleAtLeast(p.role, minimum))
    throw new ForbiddenError(`${what} needs the ${minimum} role; this key is ${p.role}`);
}

/**
 * Whether the caller may control (pause, stop, retry, restore, message,
 * change, delete) a session or task created by `createdBy`: a lead or admin
 * any of the tenant's, a member only its own, a viewer none.
 */
export function canControl(p: Pick<Principal, "role" | "keyId" | "userId">, createdBy: string | null): boolean {
  if (isRoleAtLeast(p.role, "lead")) return true;
  if (!isRoleAtLeast(p.role, "member")) return false;
  return createdBy !== null && createdBy === computeActor(p);
}

/**
 * The tenant a request acts in. Everyone acts in their key's tenant; an
 * admin of the default tenant may name another (`X-Tenant-Id` or
 * `?tenantId=`). Anyone else naming a tenant other than their own is refused.
 */
export function computeActingTenant(
  p: Pick<Principal, "homeTenantId" | "role">,
  requested: string | null,
): { ok: true; tenantId: string } | { ok: false; reason: string } {
  if (requested === null || requested === p.homeTenantId) return { ok: true, tenantId: p.homeTenantId };
  if (isOperatorAdmin(p)) return { ok: true, tenantId: requested };
  return { ok: false, reason: "only an admin of the default tenant may act on another tenant" };
}
