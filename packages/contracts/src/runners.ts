import { z } from "zod";
import { RUNNER_HEALTH, RUNNER_KINDS } from "@industrial/core";
import { IsoDate, PaginationQuery, QueryFlag, text, Uuid } from "./common";
import { BreakerSchema } from "./agents";

export const RunnerKindSchema = z.enum(RUNNER_KINDS);
export const RunnerHealthSchema = z.enum(RUNNER_HEALTH);

const RunnerName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{3,64}$/, { error: "must be 3–64 letters, digits, - or _" })
  .refine((n) => !n.startsWith("managed"), { error: "names starting with managed are kept for managed runners" });

/** An OpenCode server's base URL: http(s), no credentials, query or fragment (a trailing / is dropped). */
const RunnerUrl = z
  .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
  .max(2048)
  .refine((u) => !/^https?:\/\/[^/]*@/.test(u), {
    error: "must not carry credentials: give the password field instead",
  })
  .refine((u) => !u.includes("?") && !u.includes("#"), { error: "must not have a query or fragment" })
  .transform((u) => u.replace(/\/+$/, ""));

export const RegisterRunnerBody = z.strictObject({
  name: RunnerName,
  url: RunnerUrl,
  /** The runner's OPENCODE_SERVER_PASSWORD (basic auth, user `opencode`); stored, never shown. */
  password: text(1, 256).optional(),
});
export type RegisterRunnerBody = z.input<typeof RegisterRunnerBody>;

export const ListRunnersQuery = z.strictObject({
  ...PaginationQuery,
  kind: RunnerKindSchema.optional(),
});

export const DeleteRunnerQuery = z.strictObject({ force: QueryFlag.default(false) });

export const RunnerSchema = z.object({
  id: Uuid,
  name: z.string(),
  kind: RunnerKindSchema,
  url: z.string().nullable(),
  /** OpenCode's version, from its health check. */
  version: z.string().nullable(),
  health: RunnerHealthSchema,
  /** Takes no new attempts; a managed runner being recycled stops after its last one. */
  draining: z.boolean(),
  /** The replica whose process a managed runner is (null for remote runners). */
  ownerReplica: z.string().nullable(),
  /** Attempts running on it now. */
  sessions: z.number().int(),
  /** Resident memory of a managed runner's process at the last check. */
  memoryBytes: z.number().nullable(),
  breaker: BreakerSchema,
  /** Whether requests carry basic auth (the password itself is never shown): always for a managed runner, whose process has a random password of its own. */
  passwordSet: z.boolean(),
  lastCheckedAt: IsoDate.nullable(),
  createdAt: IsoDate,
});
export type RunnerView = z.infer<typeof RunnerSchema>;
