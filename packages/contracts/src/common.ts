import { z } from "zod";

export const Uuid = z.uuid({ error: "must be a UUID" });
export const IsoDate = z.iso.datetime({ offset: true });

/** The one wire shape of every error (docs/api.md). */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
    suggestion: z.string().optional(),
    /** Structured facts of a 409 (e.g. a context's expected and current version, the keys that changed). */
    context: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** A query value that may come as `a,b` or as repeated `?x=a&x=b`. */
export function multiValue<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) =>
      v === undefined ? undefined : (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(",")).filter(Boolean),
    z.array(item).optional(),
  );
}

export const PaginationQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
};

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable(), total: z.number().int() });
}

/** Tokens a session (or one of its models, or one bucket of a timeline) has spent, by kind. */
export const TokenTotalsSchema = z.object({
  input: z.number(),
  output: z.number(),
  reasoning: z.number(),
  cacheRead: z.number(),
  cacheWrite: z.number(),
});

export const IdParams = z.strictObject({ id: Uuid });

export const JsonValue: z.ZodType<unknown> = z.json();

/** Text stored in PostgreSQL: any characters but NUL, which text columns cannot hold. */
export const text = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes("\0"), { error: "must not contain a NUL byte" });

/** A boolean query flag: `true`/`false` (also 1/0); anything else is an error, not a truthy string. */
export const QueryFlag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
