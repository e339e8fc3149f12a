import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * The dashboard's session cookie (docs/security.md, "Dashboard sign-in"):
 * `v1.<key id>.<expiry, epoch seconds>.<HMAC>` — it names the key it was made
 * from and is signed with the server secret; it never holds the key. The
 * key's own state (revoked, expired) is checked on every request.
 */
export const SESSION_COOKIE = "io_session";
export const SESSION_TTL_SECONDS = 12 * 60 * 60;

function mac(signingKey: Buffer, payload: string): string {
  return createHmac("sha256", signingKey).update(payload, "utf8").digest("base64url");
}

export function signSessionCookie(signingKey: Buffer, keyId: string, now: Date): { value: string; maxAge: number } {
  const payload = `v1.${keyId}.${Math.floor(now.getTime() / 1000) + SESSION_TTL_SECONDS}`;
  return { value: `${payload}.${mac(signingKey, payload)}`, maxAge: SESSION_TTL_SECONDS };
}

/** The key id of a valid, unexpired cookie; null otherwise (a forged, altered or old one). */
export function verifySessionCookie(signingKey: Buffer, value: string, now: Date): string | null {
  const m = /^(v1\.([0-9a-f-]{36})\.(\d{1,12}))\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return null;
  const expected = Buffer.from(mac(signingKey, m[1]!));
  const given = Buffer.from(m[4]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (Number(m[3]) * 1000 <= now.getTime()) return null;
  return m[2]!;
}

/** One cookie's value from a Cookie header (no dependency for one name). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** The Set-Cookie value: HttpOnly, SameSite=Strict, Secure on https, the whole site's path. */
export function sessionCookieHeader(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}
