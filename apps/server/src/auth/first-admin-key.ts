import { DEFAULT_TENANT_ID } from "@industrial/core";
import { upsertBootstrapKey, type CrossTenantDatabase } from "@industrial/db";
import { generateApiKey, hashApiKey, prefixOfApiKey } from "./api-key-material";
import type { ServerSecret } from "./server-secret";

/**
 * The first admin key of a database (docs/security.md): with
 * ORCHESTRATOR_ADMIN_KEY, that key (re-enabled and updated at every start, so
 * the operator's value always works); without it, one generated the first
 * time any replica starts — the database's unique index makes it one even when
 * replicas start together. Returns the generated key (to be shown once) or null.
 */
export async function ensureFirstAdminKey(
  db: CrossTenantDatabase,
  secret: ServerSecret,
  operatorKey: string | undefined,
): Promise<string | null> {
  if (operatorKey) {
    await upsertBootstrapKey(
      db,
      {
        tenantId: DEFAULT_TENANT_ID,
        userId: null,
        name: "admin (ORCHESTRATOR_ADMIN_KEY)",
        role: "admin",
        prefix: prefixOfApiKey(secret.keyHashing, operatorKey),
        keyHash: hashApiKey(secret.keyHashing, operatorKey),
        createdBy: "system",
        expiresAt: null,
      },
      true,
    );
    return null;
  }
  const { key, prefix } = generateApiKey();
  const made = await upsertBootstrapKey(
    db,
    {
      tenantId: DEFAULT_TENANT_ID,
      userId: null,
      name: "first admin key",
      role: "admin",
      prefix,
      keyHash: hashApiKey(secret.keyHashing, key),
      createdBy: "system",
      expiresAt: null,
    },
    false,
  );
  return made ? key : null;
}

/** What the console shows once: the key and how to use it (stderr, never the log stream). */
export function firstAdminKeyBanner(key: string, url: string): string {
  const rule = "=".repeat(78);
  return [
    "",
    rule,
    "  FIRST ADMIN KEY — shown this once; only its hash is stored. Keep it safe.",
    "",
    `    ${key}`,
    "",
    `  CLI:        npx orchestrator login --url ${url}   (paste the key; or ORCHESTRATOR_TOKEN=<key>)`,
    `  Dashboard:  ${url}/sign-in   (paste the key)`,
    `  HTTP:       curl -H 'Authorization: Bearer <key>' ${url}/api/v1/me`,
    "  Lost it? Restart with ORCHESTRATOR_ADMIN_KEY=<a string of 32+ characters>.",
    rule,
    "",
  ].join("\n");
}
