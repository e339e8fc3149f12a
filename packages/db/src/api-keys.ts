import { randomUUID } from "node:crypto";
import type { ApiKey, Role } from "@industrial/core";
import type { Queryable } from "./database";
import type { CrossTenantDatabase } from "./tenant-wall";
import { readOldestFirst } from "./keyset-cursor";
import { apiKeyFromRow } from "./identity-rows";
import type { Page } from "./session-list";

export interface NewApiKey {
  tenantId: string;
  userId: string | null;
  name: string;
  role: Role;
  prefix: string;
  keyHash: string;
  createdBy: string | null;
  expiresAt: string | null;
}

/** What authentication needs of a presented key: the row, its hash, and its user's role (a key acts with the narrower). */
export interface KeyForAuth {
  key: ApiKey;
  keyHash: string;
  user: { role: Role; deleted: boolean } | null;
}

const FOR_AUTH = `SELECT k.*, u.role AS user_role, (u.deleted_at IS NOT NULL) AS user_deleted
  FROM api_keys k LEFT JOIN users u ON u.id = k.user_id`;

function keyForAuth(r: Record<string, unknown>): KeyForAuth {
  return {
    key: apiKeyFromRow(r),
    keyHash: r.key_hash as string,
    user: r.user_id ? { role: r.user_role as Role, deleted: r.user_deleted === true } : null,
  };
}

export async function insertApiKey(q: Queryable, k: NewApiKey): Promise<ApiKey> {
  const rows = await q.query(
    `INSERT INTO api_keys (id, tenant_id, user_id, name, role, prefix, key_hash, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [randomUUID(), k.tenantId, k.userId, k.name, k.role, k.prefix, k.keyHash, k.createdBy, k.expiresAt],
  );
  return apiKeyFromRow(rows[0]!);
}

/**
 * The first admin key of a database. Generated (`replace: false`): inserted
 * only when no bootstrap key was ever made, so replicas starting together make
 * one and a restart makes none (null). Set by the operator (`replace: true`,
 * ORCHESTRATOR_ADMIN_KEY): the row takes the given hash and works again.
 */
export async function upsertBootstrapKey(
  q: CrossTenantDatabase,
  k: NewApiKey,
  replace: boolean,
): Promise<ApiKey | null> {
  const rows = await q.query(
    `INSERT INTO api_keys (id, tenant_id, user_id, name, role, prefix, key_hash, created_by, expires_at, bootstrap)
     VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, NULL, true)
     ON CONFLICT (bootstrap) WHERE bootstrap ${
       replace
         ? "DO UPDATE SET prefix = EXCLUDED.prefix, key_hash = EXCLUDED.key_hash, name = EXCLUDED.name, role = 'admin', revoked_at = NULL, expires_at = NULL"
         : "DO NOTHING"
     }
     RETURNING *`,
    [randomUUID(), k.tenantId, k.name, k.role, k.prefix, k.keyHash, k.createdBy],
  );
  return rows[0] ? apiKeyFromRow(rows[0]) : null;
}

/** A key by its public prefix, across tenants: authentication does not know the tenant yet. */
export async function findKeyForAuthByPrefix(q: CrossTenantDatabase, prefix: string): Promise<KeyForAuth | null> {
  const rows = await q.query(`${FOR_AUTH} WHERE k.prefix = $1`, [prefix]);
  return rows[0] ? keyForAuth(rows[0]) : null;
}

/** A key by id, across tenants: a session cookie names its key. */
export async function findKeyForAuthById(q: CrossTenantDatabase, id: string): Promise<KeyForAuth | null> {
  const rows = await q.query(`${FOR_AUTH} WHERE k.id = $1`, [id]);
  return rows[0] ? keyForAuth(rows[0]) : null;
}

export async function findApiKey(q: Queryable, tenantId: string, id: string): Promise<ApiKey | null> {
  const rows = await q.query("SELECT * FROM api_keys WHERE tenant_id = $1 AND id = $2", [tenantId, id]);
  return rows[0] ? apiKeyFromRow(rows[0]) : null;
}

/** Oldest first; by default only keys that still work (not revoked, not expired, user not removed). */
export function listApiKeys(
  q: Queryable,
  f: { tenantId: string; userId?: string | undefined; all: boolean; limit: number; cursor?: string | undefined },
): Promise<Page<ApiKey>> {
  const params: unknown[] = [f.tenantId];
  const where = ["tenant_id = $1"];
  if (f.userId) {
    params.push(f.userId);
    where.push(`user_id = $${params.length}`);
  }
  if (!f.all)
    where.push(
      "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = api_keys.user_id AND u.deleted_at IS NOT NULL)",
    );
  return readOldestFirst(q, {
    table: "api_keys",
    where,
    params,
    limit: f.limit,
    cursor: f.cursor,
    fromRow: apiKeyFromRow,
  });
}

/** Revokes a key (once: a revoked key keeps its first revocation time); null when the tenant has no such key. */
export async function revokeApiKey(q: Queryable, tenantId: string, id: string): Promise<ApiKey | null> {
  const rows = await q.query(
    "UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING *",
    [tenantId, id],
  );
  return rows[0] ? apiKeyFromRow(rows[0]) : null;
}

/** Revokes every working key of a user; how many. */
export async function revokeKeysOfUser(q: Queryable, tenantId: string, userId: string): Promise<number> {
  const rows = await q.query(
    "UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id",
    [tenantId, userId],
  );
  return rows.length;
}

/** Records a use, at most once a minute per key (the WHERE makes a busy key cost one write a minute). */
export async function touchApiKey(q: CrossTenantDatabase, id: string): Promise<void> {
  await q.query(
    "UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    [id],
  );
}

/** Of these key ids, the ones that no longer work (revoked, expired, user removed, gone): open sockets of them are closed. */
export async function findUnusableKeys(q: CrossTenantDatabase, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await q.query<{ id: string }>(
    `SELECT i.id::text AS id FROM unnest($1::uuid[]) AS i(id)
     LEFT JOIN api_keys k ON k.id = i.id LEFT JOIN users u ON u.id = k.user_id
     WHERE k.id IS NULL OR k.revoked_at IS NOT NULL OR (k.expires_at IS NOT NULL AND k.expires_at <= now()) OR u.deleted_at IS NOT NULL`,
    [ids],
  );
  return rows.map((r) => r.id);
}
