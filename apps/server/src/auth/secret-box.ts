import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets the server must use again later (a remote runner's password) are
 * stored encrypted with a subkey of the server secret (docs/security.md):
 * AES-256-GCM, `enc:v1:<iv>:<tag>:<ciphertext>` in base64url. A stolen
 * database alone does not give them away.
 */
const PREFIX = "enc:v1:";

export function sealSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${PREFIX}${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${ct.toString("base64url")}`;
}

/** The plain text of a sealed value; throws when it was sealed with another secret or altered. */
export function openSecret(key: Buffer, sealed: string): string {
  if (!isSealed(sealed)) throw new Error("not a sealed value");
  const [iv, tag, ct] = sealed.slice(PREFIX.length).split(":");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv!, "base64url"));
  decipher.setAuthTag(Buffer.from(tag!, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct!, "base64url")), decipher.final()]).toString("utf8");
}

export function isSealed(value: string): boolean {
  return value.startsWith(PREFIX) && value.slice(PREFIX.length).split(":").length === 3;
}
