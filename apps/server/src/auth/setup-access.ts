import { join } from "node:path";
import { systemClock } from "@industrial/core";
import { bypassTenantWall, sealPlainRunnerPasswords, type Database } from "@industrial/db";
import type { Logger } from "pino";
import type { Config } from "../config";
import { createAuthenticator, type Authenticator } from "./authenticator";
import { ensureFirstAdminKey } from "./first-admin-key";
import { isSealed, openSecret, sealSecret } from "./secret-box";
import { loadServerSecret, type ServerSecret } from "./server-secret";

export interface Access {
  secret: ServerSecret;
  authenticator: Authenticator;
  /** The admin key made at this database's first start, to be shown once (null: none made now). */
  firstAdminKey: string | null;
  /** A remote runner's stored password, opened (null when this secret cannot open it). */
  revealRunnerPassword(stored: string): string | null;
  /** A remote runner's password, sealed to be stored. */
  sealRunnerPassword(password: string): string;
}

/**
 * Everything keyed by the server secret, at start (docs/security.md): the
 * secret itself (given, or generated into the data dir), the first admin key
 * of the database, the authenticator, and runner passwords — earlier
 * plain-text ones sealed now, stored ones opened for the runner pool.
 */
export async function setupAccess(config: Config, db: Database, logger: Logger): Promise<Access> {
  const { secret, generated } = loadServerSecret({
    given: config.ORCHESTRATOR_SECRET,
    dataDir: config.ORCHESTRATOR_DATA_DIR,
  });
  if (generated)
    logger.info(
      { file: join(config.ORCHESTRATOR_DATA_DIR, "secret") },
      "server secret generated into the data dir (keep it: keys are hashed with it)",
    );
  const enabled = config.ORCHESTRATOR_AUTH === "on";
  // Keys are found before their tenant is known: authentication reads across tenants.
  const keyReader = bypassTenantWall(db, "authentication: a presented key is found before its tenant is known");
  const firstAdminKey = enabled ? await ensureFirstAdminKey(keyReader, secret, config.ORCHESTRATOR_ADMIN_KEY) : null;
  const authenticator = createAuthenticator({
    crossTenantDb: keyReader,
    secret,
    clock: systemClock,
    enabled,
    onTouchError: (err) => logger.warn({ component: "auth", err }, "could not record a key's last use"),
  });
  const sealed = await sealPlainRunnerPasswords(
    bypassTenantWall(db, "sealing runner passwords of earlier versions"),
    (p) => sealSecret(secret.encryption, p),
    isSealed,
  );
  if (sealed)
    logger.info({ runners: sealed }, "runner passwords stored in plain text by an earlier version are now encrypted");
  return {
    secret,
    authenticator,
    firstAdminKey,
    sealRunnerPassword: (password) => sealSecret(secret.encryption, password),
    revealRunnerPassword(stored) {
      try {
        return openSecret(secret.encryption, stored);
      } catch {
        logger.warn(
          { component: "runners" },
          "a remote runner's password cannot be opened with this server secret (was ORCHESTRATOR_SECRET changed?); calling it without one",
        );
        return null;
      }
    },
  };
}
