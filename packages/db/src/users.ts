import { randomUUID } from "node:crypto";
import { ConflictError, type Role, type User } from "@industrial/core";
import type { Queryable } from "./database";
import { userFromRow } from "./identity-rows";
import { readOldestFirst } from "./keyset-cursor";
import type { Page } from "./session-list";

export type UserPatch = Partial<Pick<User, "name" | "email" | "role">>;

const emailTaken = (email: string) =>
  new ConflictError(`a user with email ${email} already exists in this tenant`, {
    details: [{ path: "body.email", reason: "already taken" }],
  });

/** Unique violation (23505) on the email index → 409 naming body.email. */
function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === "23505";
}

export async function insertUser(
  q: Queryable,
  u: { tenantId: string; name: string; email: string; role: Role },
): Promise<User> {
  try {
    const rows = await q.query(
      "INSERT INTO users (id, tenant_id, name, email, role) VALUES ($1, $2, $3, $4, $5) RETURNING *",
      [randomUUID(), u.tenantId, u.name, u.email, u.role],
    );
    return userFromRow(rows[0]!);
  } catch (e) {
    if (isUniqueViolation(e)) throw emailTaken(u.email);
    throw e;
  }
}

export async function findUser(q: Queryable, tenantId: string, id: string): Promise<User | null> {
  const rows = await q.query("SELECT * FROM users WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL", [
    tenantId,
    id,
  ]);
  return rows[0] ? userFromRow(rows[0]) : null;
}

export function listUsers(
  q: Queryable,
  f: { tenantId: string; limit: number; cursor?: string | undefined },
): Promise<Page<User>> {
  return readOldestFirst(q, {
    table: "users",
    where: ["tenant_id = $1", "deleted_at IS NULL"],
    params: [f.tenantId],
    limit: f.limit,
    cursor: f.cursor,
    fromRow: userFromRow,
  });
}

/** Writes the given fields; null when the tenant has no such user. */
export async function updateUser(q: Queryable, tenantId: string, id: string, patch: UserPatch): Promise<User | null> {
  const params: unknown[] = [tenantId, id];
  const sets = ["updated_at = now()"];
  for (const key of ["name", "email", "role"] as const) {
    if (patch[key] === undefined) continue;
    params.push(patch[key]);
    sets.push(`${key} = $${params.length}`);
  }
  try {
    const rows = await q.query(
      `UPDATE users SET ${sets.join(", ")} WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING *`,
      params,
    );
    return rows[0] ? userFromRow(rows[0]) : null;
  } catch (e) {
    if (isUniqueViolation(e) && patch.email) throw emailTaken(patch.email);
    throw e;
  }
}

/** Marks a user removed (its keys stop working at once); false when there was none. */
export async function softDeleteUser(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const rows = await q.query(
    "UPDATE users SET deleted_at = now(), updated_at = now() WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL RETURNING id",
    [tenantId, id],
  );
  return rows.length > 0;
}
