import type { ApiKey, AuditEntry, Role, User } from "@industrial/core";
import { iso, isoRequired } from "./rows";

// fromRow of the identity tables (users, api_keys, audit_log); never the key hash.

type Row = Record<string, unknown>;

export function userFromRow(r: Row): User {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    name: r.name as string,
    email: r.email as string,
    role: r.role as Role,
    createdAt: isoRequired(r.created_at),
    updatedAt: isoRequired(r.updated_at),
  };
}

export function apiKeyFromRow(r: Row): ApiKey {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    userId: (r.user_id as string | null) ?? null,
    name: r.name as string,
    role: r.role as Role,
    prefix: r.prefix as string,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: isoRequired(r.created_at),
    expiresAt: iso(r.expires_at),
    lastUsedAt: iso(r.last_used_at),
    revokedAt: iso(r.revoked_at),
  };
}

export function auditEntryFromRow(r: Row): AuditEntry {
  return {
    id: r.id as string,
    at: isoRequired(r.at),
    tenantId: r.tenant_id as string,
    keyId: (r.key_id as string | null) ?? null,
    userId: (r.user_id as string | null) ?? null,
    actor: r.actor as string,
    action: r.action as string,
    target: r.target as string,
    status: r.status as number,
    requestId: r.request_id as string,
  };
}
