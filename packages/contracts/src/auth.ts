import { ROLES } from "@industrial/core";
import { z } from "zod";
import { IsoDate, PaginationQuery, text, Uuid } from "./common";

/** admin > lead > member > viewer (each contains the next). */
export const RoleSchema = z.enum(ROLES);

/** A key as people write it: `io_<prefix>_<secret>`, or any string of ≥ 32 characters set by ORCHESTRATOR_ADMIN_KEY. */
export const ApiKeyToken = z.string().min(32, { error: "is not an API key (at least 32 characters)" }).max(512);

const Name = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !s.includes("\0"), { error: "must not contain a NUL byte" });

export const CreateApiKeyBody = z.strictObject({
  name: Name,
  role: RoleSchema,
  /** The tenant the key acts in (default: the caller's; another tenant only for an admin of the default tenant). */
  tenantId: Uuid.optional(),
  /** The key acts for this user, with the user's role unless its own is narrower. */
  userId: Uuid.optional(),
  /** Refused from then on (must be in the future). */
  expiresAt: IsoDate.optional(),
});
export type CreateApiKeyBody = z.input<typeof CreateApiKeyBody>;

export const ApiKeySchema = z.object({
  id: Uuid,
  name: z.string(),
  role: RoleSchema,
  tenantId: Uuid,
  userId: Uuid.nullable(),
  /** The public part of the key (`io_<prefix>_…`): enough to recognise it, never to use it. */
  prefix: z.string(),
  createdAt: IsoDate,
  expiresAt: IsoDate.nullable(),
  /** Updated at most once a minute. */
  lastUsedAt: IsoDate.nullable(),
  revokedAt: IsoDate.nullable(),
});
export type ApiKeyView = z.infer<typeof ApiKeySchema>;

/** The answer to creating a key: the only time `key` is ever shown. */
export const ApiKeyCreatedSchema = ApiKeySchema.extend({ key: z.string() });
export type ApiKeyCreatedView = z.infer<typeof ApiKeyCreatedSchema>;

export const ListApiKeysQuery = z.strictObject({
  ...PaginationQuery,
  userId: Uuid.optional(),
  /** Revoked and expired keys too (default: only keys that still work). */
  all: z
    .enum(["true", "false", "1", "0"])
    .transform((v) => v === "true" || v === "1")
    .default(false),
});

const Email = z.email({ error: "must be an email address" }).max(320);

export const CreateUserBody = z.strictObject({
  name: Name,
  email: Email,
  role: RoleSchema,
  /** Default: the caller's tenant (another only for an admin of the default tenant). */
  tenantId: Uuid.optional(),
});
export type CreateUserBody = z.input<typeof CreateUserBody>;

export const PatchUserBody = z
  .strictObject({ name: Name, email: Email, role: RoleSchema })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { error: "give at least one of name, email, role" });
export type PatchUserBody = z.input<typeof PatchUserBody>;

export const UserSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type UserView = z.infer<typeof UserSchema>;

export const ListUsersQuery = z.strictObject({ ...PaginationQuery });

/** The caller: the tenant it acts in, its role, its key and user (null with authentication off). */
export const MeSchema = z.object({
  tenantId: Uuid,
  role: RoleSchema,
  keyId: Uuid.nullable(),
  userId: Uuid.nullable(),
  /** The key's own tenant (differs from tenantId when an admin of the default tenant acts on another). */
  homeTenantId: Uuid,
  /** Whether the server checks keys at all (ORCHESTRATOR_AUTH=off: false). */
  authEnabled: z.boolean(),
  /** The key's name and public prefix, and its user's name: who the dashboard says is signed in. */
  keyName: z.string().nullish(),
  keyPrefix: z.string().nullish(),
  userName: z.string().nullish(),
});
export type MeView = z.infer<typeof MeSchema>;

export const LoginBody = z.strictObject({ key: ApiKeyToken });

export const LogoutSchema = z.object({ signedOut: z.literal(true) });

export const AuditEntrySchema = z.object({
  id: Uuid,
  at: IsoDate,
  tenantId: Uuid,
  keyId: Uuid.nullable(),
  userId: Uuid.nullable(),
  /** `user:<id>`, `key:<id>` or `anonymous`. */
  actor: z.string(),
  /** The route's operation (`createSession`, `stopSession`, …). */
  action: z.string(),
  /** What it acted on: `METHOD /path` with the ids in it. */
  target: z.string(),
  /** The HTTP status it answered. */
  status: z.number().int(),
  requestId: z.string(),
});
export type AuditEntryView = z.infer<typeof AuditEntrySchema>;

export const ListAuditQuery = z.strictObject({
  ...PaginationQuery,
  /** `user:<id>`, `key:<id>`, or a bare key or user id. */
  actor: text(1, 200).optional(),
  action: text(1, 100).optional(),
  /** Entries whose target contains this (an id, a path). */
  target: text(1, 500).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
