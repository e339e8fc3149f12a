import {
  computeKeyRefusal,
  computeNarrowerRole,
  DEFAULT_TENANT_ID,
  type Clock,
  type Principal,
} from "@industrial/core";
import {
  findKeyForAuthById,
  findKeyForAuthByPrefix,
  findUnusableKeys,
  touchApiKey,
  type CrossTenantDatabase,
  type KeyForAuth,
} from "@industrial/db";
import { hashApiKey, hashesMatch, isPlausibleApiKey, prefixOfApiKey } from "./api-key-material";
import type { ServerSecret } from "./server-secret";
import { verifySessionCookie } from "./session-cookie";

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reason: string };

export interface Authenticator {
  readonly enabled: boolean;
  /** A bearer key (`Authorization: Bearer`, `?token=`, the WebSocket subprotocol). */
  fromKey(key: string): Promise<AuthResult>;
  /** The dashboard's session cookie. */
  fromCookie(value: string): Promise<AuthResult>;
  /** Of these key ids, the ones that stopped working (their open sockets are closed). */
  unusable(keyIds: readonly string[]): Promise<string[]>;
}

/** With ORCHESTRATOR_AUTH=off (loopback only): every caller is the default tenant's anonymous admin. */
export const ANONYMOUS_ADMIN: Principal = Object.freeze({
  tenantId: DEFAULT_TENANT_ID,
  homeTenantId: DEFAULT_TENANT_ID,
  role: "admin",
  keyId: null,
  userId: null,
});

/** How long a verdict on a key is reused: a revoked key is refused on every replica within this. */
const CACHE_MS = 500;
const CACHE_MAX = 10_000;
/** `lastUsedAt` is written at most this often per key. */
const TOUCH_EVERY_MS = 60_000;

const WRONG = "unknown API key";

/**
 * Checks keys against the database (the owner connection: authentication
 * does not know the tenant yet). `db` is the named cross-tenant reader here.
 */
export function createAuthenticator(input: {
  crossTenantDb: CrossTenantDatabase;
  secret: ServerSecret;
  clock: Clock;
  enabled: boolean;
  onTouchError?: (err: unknown) => void;
}): Authenticator {
  const { crossTenantDb: db, secret, clock } = input;
  const cache = new Map<string, { at: number; result: AuthResult }>();
  const touched = new Map<string, number>();

  const verdict = (row: KeyForAuth | null, check: (row: KeyForAuth) => boolean): AuthResult => {
    if (!row || !check(row)) return { ok: false, reason: WRONG };
    const refusal = computeKeyRefusal(row.key, row.user, clock.now());
    if (refusal) return { ok: false, reason: refusal };
    const role = row.user ? computeNarrowerRole(row.key.role, row.user.role) : row.key.role;
    return {
      ok: true,
      principal: {
        tenantId: row.key.tenantId,
        homeTenantId: row.key.tenantId,
        role,
        keyId: row.key.id,
        userId: row.key.userId,
      },
    };
  };

  const touch = (result: AuthResult) => {
    if (!result.ok || !result.principal.keyId) return;
    const id = result.principal.keyId;
    const now = Date.now();
    if (now - (touched.get(id) ?? 0) < TOUCH_EVERY_MS) return;
    touched.set(id, now);
    if (touched.size > CACHE_MAX) touched.clear();
    touchApiKey(db, id).catch((e: unknown) => input.onTouchError?.(e));
  };

  const cached = async (cacheKey: string, load: () => Promise<AuthResult>): Promise<AuthResult> => {
    const now = Date.now();
    const hit = cache.get(cacheKey);
    if (hit && now - hit.at < CACHE_MS) {
      touch(hit.result);
      return hit.result;
    }
    const result = await load();
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(cacheKey, { at: now, result });
    touch(result);
    return result;
  };

  return {
    enabled: input.enabled,
    async fromKey(key) {
      if (!input.enabled) return { ok: true, principal: ANONYMOUS_ADMIN };
      if (!isPlausibleApiKey(key)) return { ok: false, reason: WRONG };
      const hash = hashApiKey(secret.keyHashing, key);
      return cached(`k:${hash}`, async () => {
        const row = await findKeyForAuthByPrefix(db, prefixOfApiKey(secret.keyHashing, key));
        return verdict(row, (r) => hashesMatch(r.keyHash, hash));
      });
    },
    async fromCookie(value) {
      if (!input.enabled) return { ok: true, principal: ANONYMOUS_ADMIN };
      const keyId = verifySessionCookie(secret.cookieSigning, value, clock.now());
      if (!keyId) return { ok: false, reason: "the session has expired or is not valid: sign in again" };
      return cached(`c:${keyId}`, async () => verdict(await findKeyForAuthById(db, keyId), () => true));
    },
    async unusable(keyIds) {
      return findUnusableKeys(db, keyIds);
    },
  };
}
