import { z } from "zod";
import {
  CONTEXT_PATH_MAX_LENGTH,
  CONTEXT_SCOPES,
  findUnstorableText,
  MERGE_STRATEGIES,
  type JsonObject,
  type JsonValue as Json,
} from "@industrial/core";
import { IsoDate, multiValue, PaginationQuery, text, Uuid } from "./common";

export const ContextScopeSchema = z.enum(CONTEXT_SCOPES);
export const MergeStrategySchema = z.enum(MERGE_STRATEGIES);

/** A name, unique per owner; null or absent: the owner's default context. */
const ContextName = text(1, 128);
const Version = z.number().int().min(1).max(2_147_483_647);

/** Any JSON value PostgreSQL can store (no NUL characters, no lone surrogates). */
const StorableJson = z.json().superRefine((v, ctx) => {
  const at = findUnstorableText(v as Json);
  if (at)
    ctx.addIssue({
      code: "custom",
      message: `${at} holds a NUL character or a lone surrogate, which cannot be stored`,
    });
});

/**
 * A context's document: a JSON object. Its size (256 KiB as JSON) is checked
 * by the service, as a 413 naming the field.
 */
export const ContextDataSchema = z.record(z.string(), z.json()).superRefine((v, ctx) => {
  const at = findUnstorableText(v as JsonObject);
  if (at)
    ctx.addIssue({
      code: "custom",
      message: `${at} holds a NUL character or a lone surrogate, which cannot be stored`,
    });
});

export const CreateContextBody = z
  .strictObject({
    scope: ContextScopeSchema,
    /** scope session (required), temporary (optional): the session it belongs to. */
    sessionId: Uuid.optional(),
    /** scope agent (required), temporary (optional): the agent it belongs to. */
    agentId: Uuid.optional(),
    name: ContextName.nullable().optional(),
    data: ContextDataSchema.default({}),
    /** scope temporary: when it expires (or give ttlSeconds). */
    expiresAt: IsoDate.optional(),
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .optional(),
  })
  .refine((b) => b.expiresAt === undefined || b.ttlSeconds === undefined, {
    error: "give expiresAt or ttlSeconds, not both",
    path: ["ttlSeconds"],
  });
export type CreateContextBody = z.input<typeof CreateContextBody>;

export const ListContextsQuery = z.strictObject({
  ...PaginationQuery,
  scope: multiValue(ContextScopeSchema),
  sessionId: Uuid.optional(),
  agentId: Uuid.optional(),
  name: ContextName.optional(),
});

/**
 * A new version: `data` replaces the document, `merge` is deep-merged into it
 * (objects key by key, other values replaced), `name` renames it. With
 * `expectedVersion` the write happens only on that version (else 409).
 */
export const PatchContextBody = z
  .strictObject({
    expectedVersion: Version.optional(),
    data: ContextDataSchema.optional(),
    merge: ContextDataSchema.optional(),
    name: ContextName.nullable().optional(),
  })
  .refine((b) => !(b.data && b.merge), {
    error: "give data (replace) or merge (deep-merge), not both",
    path: ["merge"],
  })
  .refine((b) => b.data !== undefined || b.merge !== undefined || b.name !== undefined, {
    error: "give data, merge or name to change",
  });
export type PatchContextBody = z.input<typeof PatchContextBody>;

/** `?expectedVersion=` on deletes: the write happens only on that version. */
export const VersionQuery = z.strictObject({
  expectedVersion: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
});

/** A dot path (`a.b.0.c`; `\.` is a literal dot), URL-encoded as one path segment. */
export const ContextKeyParams = z.strictObject({ id: Uuid, path: z.string().min(1).max(CONTEXT_PATH_MAX_LENGTH) });
export const PutContextKeyBody = z.strictObject({ value: StorableJson, expectedVersion: Version.optional() });
export const DiffParams = z.strictObject({ id: Uuid, otherId: Uuid });

export const MergeContextsBody = z
  .strictObject({
    sourceId: Uuid,
    targetId: Uuid,
    strategy: MergeStrategySchema,
    /** The target's version the merge is meant for (else 409). */
    expectedTargetVersion: Version.optional(),
  })
  .refine((b) => b.sourceId !== b.targetId, { error: "a context cannot be merged into itself", path: ["targetId"] });
export type MergeContextsBody = z.input<typeof MergeContextsBody>;

/** Copies a session's context into another session (a new context there, version 1). */
export const ShareContextBody = z.strictObject({ sessionId: Uuid, name: ContextName.nullable().optional() });
/** Makes a context global (in place, version + 1); `name` renames it on the way. */
export const PromoteContextBody = z
  .strictObject({ expectedVersion: Version.optional(), name: ContextName.nullable().optional() })
  .optional();

export const ContextSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  scope: ContextScopeSchema,
  sessionId: z.string().nullable(),
  agentId: z.string().nullable(),
  name: z.string().nullable(),
  data: z.record(z.string(), z.json()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type ContextView = z.infer<typeof ContextSchema>;

export const ContextKeySchema = z.object({
  contextId: Uuid,
  path: z.string(),
  value: z.json(),
  version: z.number().int(),
});

const Side = z.object({ id: Uuid, version: z.number().int() });
export const ContextDiffSchema = z.object({
  /** Diff from the first context of the URL to the second. */
  from: Side,
  to: Side,
  added: z.array(z.object({ path: z.string(), value: z.json() })),
  modified: z.array(z.object({ path: z.string(), from: z.json(), to: z.json() })),
  deleted: z.array(z.object({ path: z.string(), value: z.json() })),
});

export const DeletedContextSchema = z.object({ deleted: z.literal(true), id: z.string() });
