import { NotFoundError, type User } from "@industrial/core";
import type { CreateUserBody, ListUsersQuery, PatchUserBody } from "@industrial/contracts";
import { insertUser, listUsers, revokeKeysOfUser, softDeleteUser, updateUser, type Page } from "@industrial/db";
import type { z } from "zod";
import { resolveTargetTenant } from "./api-keys";
import type { ServiceDeps } from "./deps";

export function listUserPage(deps: ServiceDeps, query: z.output<typeof ListUsersQuery>): Promise<Page<User>> {
  return listUsers(deps.db, { tenantId: deps.tenantId, limit: query.limit, cursor: query.cursor });
}

export async function createUser(deps: ServiceDeps, body: z.output<typeof CreateUserBody>): Promise<User> {
  const tenantId = await resolveTargetTenant(deps, body.tenantId);
  return insertUser(deps.tenantDb(tenantId), { tenantId, name: body.name, email: body.email, role: body.role });
}

/** A changed role applies to the user's keys at their next request (they act with the narrower of the two). */
export async function patchUser(deps: ServiceDeps, id: string, body: z.output<typeof PatchUserBody>): Promise<User> {
  const u = await updateUser(deps.db, deps.tenantId, id, body);
  if (!u) throw new NotFoundError("user", id);
  return u;
}

/** Removes the user and revokes its keys in one transaction. */
export async function deleteUser(
  deps: ServiceDeps,
  id: string,
): Promise<{ deleted: true; id: string; revokedKeys: number }> {
  return deps.db.transaction(async (tx) => {
    if (!(await softDeleteUser(tx, deps.tenantId, id))) throw new NotFoundError("user", id);
    return { deleted: true as const, id, revokedKeys: await revokeKeysOfUser(tx, deps.tenantId, id) };
  });
}
