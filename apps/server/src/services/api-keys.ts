import {
  computeActor,
  InvalidInputError,
  isOperatorAdmin,
  isRoleAtLeast,
  NotFoundError,
  type ApiKey,
} from "@industrial/core";
import type { ApiKeyCreatedView, CreateApiKeyBody, ListApiKeysQuery } from "@industrial/contracts";
import { findTenant, findUser, insertApiKey, listApiKeys, revokeApiKey, type Page } from "@industrial/db";
import type { z } from "zod";
import { generateApiKey, hashApiKey } from "../auth/api-key-material";
import type { ServiceDeps } from "./deps";

/**
 * The tenant a key or user is made in: the caller's own, or (for an admin of
 * the default tenant only) another that exists. Anyone else naming another
 * tenant gets 404, as for every row of another tenant.
 */
export async function resolveTargetTenant(deps: ServiceDeps, requested: string | undefined): Promise<string> {
  const target = requested ?? deps.tenantId;
  if (target === deps.tenantId) return target;
  if (!isOperatorAdmin(deps.caller) || !(await findTenant(deps.crossTenantDb, target)))
    throw new NotFoundError("tenant", target);
  return target;
}

/** A new key; the key itself is in this answer only (its hash is all that is kept). */
export async function createApiKey(
  deps: ServiceDeps,
  body: z.output<typeof CreateApiKeyBody>,
): Promise<ApiKeyCreatedView> {
  const tenantId = await resolveTargetTenant(deps, body.tenantId);
  const db = deps.tenantDb(tenantId);
  if (!isRoleAtLeast(deps.caller.role, body.role))
    throw new InvalidInputError("invalid body: role", [
      { path: "body.role", reason: `above your own role (${deps.caller.role})` },
    ]);
  if (body.userId) {
    const user = await findUser(db, tenantId, body.userId);
    if (!user)
      throw new InvalidInputError("invalid body: userId", [
        { path: "body.userId", reason: "no such user in this tenant" },
      ]);
    if (!isRoleAtLeast(user.role, body.role))
      throw new InvalidInputError("invalid body: role", [
        { path: "body.role", reason: `above the user's role (${user.role}): the key would act as ${user.role} anyway` },
      ]);
  }
  if (body.expiresAt && Date.parse(body.expiresAt) <= deps.clock.now().getTime())
    throw new InvalidInputError("invalid body: expiresAt", [
      { path: "body.expiresAt", reason: "must be in the future" },
    ]);
  const { key, prefix } = generateApiKey();
  const row = await insertApiKey(db, {
    tenantId,
    userId: body.userId ?? null,
    name: body.name,
    role: body.role,
    prefix,
    keyHash: hashApiKey(deps.secret.keyHashing, key),
    createdBy: computeActor(deps.caller),
    expiresAt: body.expiresAt ?? null,
  });
  return { ...toApiKeyView(row), key };
}

export function toApiKeyView(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    role: k.role,
    tenantId: k.tenantId,
    userId: k.userId,
    prefix: k.prefix,
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    lastUsedAt: k.lastUsedAt,
    revokedAt: k.revokedAt,
  };
}

export async function listApiKeyPage(
  deps: ServiceDeps,
  query: z.output<typeof ListApiKeysQuery>,
): Promise<Page<ReturnType<typeof toApiKeyView>>> {
  const page = await listApiKeys(deps.db, {
    tenantId: deps.tenantId,
    userId: query.userId,
    all: query.all,
    limit: query.limit,
    cursor: query.cursor,
  });
  return { ...page, items: page.items.map(toApiKeyView) };
}

/** Revoked at once: every replica looks keys up (at most half a second of cache), open sockets are closed within seconds. */
export async function revokeKey(deps: ServiceDeps, id: string) {
  const k = await revokeApiKey(deps.db, deps.tenantId, id);
  if (!k) throw new NotFoundError("API key", id);
  return toApiKeyView(k);
}
