import type { Role } from "./access";

/** A person of a tenant; the keys made for it act with its role unless narrower. */
export interface User {
  id: string;
  tenantId: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

/** An API key as stored: never the key itself, only its public prefix (the hash stays in @industrial/db). */
export interface ApiKey {
  id: string;
  tenantId: string;
  userId: string | null;
  name: string;
  role: Role;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** One line of the audit log: who did what to what, and how it ended. */
export interface AuditEntry {
  id: string;
  at: string;
  tenantId: string;
  keyId: string | null;
  userId: string | null;
  actor: string;
  action: string;
  target: string;
  status: number;
  requestId: string;
}

/** Why a presented key does not work now, or null when it does. */
export function computeKeyRefusal(
  key: Pick<ApiKey, "revokedAt" | "expiresAt">,
  user: { deleted: boolean } | null,
  now: Date,
): string | null {
  if (key.revokedAt) return "this API key was revoked";
  if (key.expiresAt && Date.parse(key.expiresAt) <= now.getTime()) return "this API key has expired";
  if (user?.deleted) return "this API key's user was removed";
  return null;
}
