import { randomBytes, hkdfSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The server secret's subkeys, one per use (docs/security.md, "Server
 * secret"): a key for one purpose can never be replayed for another.
 */
export interface ServerSecret {
  /** HMAC key of stored API key hashes. */
  keyHashing: Buffer;
  /** HMAC key of the dashboard's session cookie. */
  cookieSigning: Buffer;
  /** AES-256-GCM key of stored secrets: runner passwords, tenants' notify webhook secrets. */
  encryption: Buffer;
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), `industrial-orchestrator/${purpose}`, 32));
}

export function deriveServerSecret(master: string): ServerSecret {
  const m = Buffer.from(master, "utf8");
  return {
    keyHashing: derive(m, "api-key-hash"),
    cookieSigning: derive(m, "session-cookie"),
    encryption: derive(m, "runner-password"),
  };
}

/**
 * ORCHESTRATOR_SECRET, or the one generated into the data dir at first start
 * (embedded storage only: with DATABASE_URL the configuration requires it, so
 * every replica shares it). The file is the owner's alone (0600).
 */
export function loadServerSecret(input: { given: string | undefined; dataDir: string }): {
  secret: ServerSecret;
  generated: boolean;
} {
  if (input.given) return { secret: deriveServerSecret(input.given), generated: false };
  const file = join(input.dataDir, "secret");
  if (existsSync(file)) {
    const stored = readFileSync(file, "utf8").trim();
    if (stored.length >= 32) return { secret: deriveServerSecret(stored), generated: false };
  }
  mkdirSync(input.dataDir, { recursive: true });
  const fresh = randomBytes(32).toString("hex");
  writeFileSync(file, `${fresh}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret: deriveServerSecret(fresh), generated: true };
}
