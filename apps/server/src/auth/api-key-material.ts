import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API keys as strings: made, hashed and recognised here
 * (docs/security.md, "Keys"). `io_<prefix>_<secret>`: the prefix is public
 * (it finds the row), the secret is 32 random bytes.
 */
const KEY_FORMAT = /^io_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/;
const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Buffer, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE32[bytes[i]! & 31];
  return out;
}

export function generateApiKey(): { key: string; prefix: string } {
  const prefix = base32(randomBytes(12), 12);
  return { key: `io_${prefix}_${randomBytes(32).toString("base64url")}`, prefix };
}

export function hashApiKey(hashingKey: Buffer, key: string): string {
  return createHmac("sha256", hashingKey).update(key, "utf8").digest("hex");
}

/**
 * The row-finding prefix of a presented key: its own for our format; for an
 * operator's ORCHESTRATOR_ADMIN_KEY (any string), one derived from its HMAC,
 * so a listing shows nothing of the key itself.
 */
export function prefixOfApiKey(hashingKey: Buffer, key: string): string {
  const own = KEY_FORMAT.exec(key)?.[1];
  if (own) return own;
  return `x${createHmac("sha256", hashingKey).update(`prefix\0${key}`, "utf8").digest("hex").slice(0, 11)}`;
}

/** Equal hashes, compared in constant time. */
export function hashesMatch(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

/** What could be a key (used to refuse obvious garbage before touching the database). */
export function isPlausibleApiKey(s: string): boolean {
  return s.length >= 32 && s.length <= 512 && /^\S+$/.test(s);
}
