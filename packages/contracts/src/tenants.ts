import {
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  parseNotifyWebhookUrl,
  parseRepositoryPrefix,
} from "@industrial/core";
import { z } from "zod";
import { IsoDate, PaginationQuery, Uuid } from "./common";
import { ModelRef } from "./sessions";

const TenantName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .refine((s) => !s.includes("\0"), { error: "must not contain a NUL byte" });

/** URL-safe and unique: lower-case letters, digits and inner dashes. */
export const TenantSlug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, {
  error: "must be 1–64 lower-case letters, digits or - (not first or last)",
});

/** Sessions running at once (enforced at dispatch: queued sessions do not count); 0 runs nothing (new sessions wait, queued). */
const MaxConcurrentSessions = z.number().int().min(0).max(10_000);
const WEIGHT_ERROR = "must be a number greater than 0 and at most 1000";
/**
 * The tenant's weight in the fair share of running slots when several tenants
 * have queued work (with weights 2 and 1 the first gets two thirds of them);
 * 0 < weight ≤ 1000, default 1. z.number() refuses NaN and ±Infinity: finite.
 */
const Weight = z.number({ error: WEIGHT_ERROR }).gt(0, { error: WEIGHT_ERROR }).max(1000, { error: WEIGHT_ERROR });
/** Tokens (input + output + reasoning) per calendar month; null: no budget. */
const TokenBudget = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable();
/** USD per calendar month; null: no budget. */
const CostBudget = z.number().min(0).max(1_000_000_000).nullable();
/** Models (`provider/model`) the tenant's sessions and agents may name; null: any. */
const AllowedModels = z.array(ModelRef).max(200).nullable();
/** Days session events and audit entries are kept (older ones are deleted; sessions and checkpoints stay); null: forever. */
const RetentionDays = z.number().int().min(1).max(MAX_RETENTION_DAYS).nullable();
/** Network git URLs (prefixes) its sessions and task trees may name; null: any; []: none. Paths and file:// URLs obey the workspace roots. */
const AllowedRepositoryPrefixes = z
  .array(
    z
      .string()
      .max(2048)
      .superRefine((v, ctx) => {
        const r = parseRepositoryPrefix(v);
        if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
      }),
  )
  .max(200)
  .nullable();

/** Where the tenant's notifications go instead of the server's default (README, "Notifications"); null: the default. */
const NotifyWebhookUrl = z
  .string()
  .max(2048)
  .superRefine((v, ctx) => {
    const r = parseNotifyWebhookUrl(v);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
  })
  .nullable();
/** Signs the tenant's webhook bodies (HMAC-SHA256); write-only: views say only whether one is set. null: unsigned. */
const NotifyWebhookSecret = z
  .string()
  .min(16, { error: "must be at least 16 characters (e.g. `openssl rand -hex 32`)" })
  .max(512)
  .regex(/^\S+$/, { error: "must not contain spaces" })
  .nullable();

export const CreateTenantBody = z.strictObject({
  name: TenantName,
  /** Made from the name when absent. */
  slug: TenantSlug.optional(),
  maxConcurrentSessions: MaxConcurrentSessions.default(10),
  weight: Weight.default(1),
  monthlyTokenBudget: TokenBudget.default(null),
  monthlyCostBudgetUsd: CostBudget.default(null),
  active: z.boolean().default(true),
  allowedModels: AllowedModels.default(null),
  retentionDays: RetentionDays.default(DEFAULT_RETENTION_DAYS),
  /** Absent: none — a new tenant reaches no network repository until a lead says which. */
  allowedRepositoryPrefixes: AllowedRepositoryPrefixes.default([]),
});
export type CreateTenantBody = z.input<typeof CreateTenantBody>;

/** Quotas, budgets, name and the active flag; null clears a budget. Admission applies a change at its next tick. */
export const PatchTenantBody = z
  .strictObject({
    name: TenantName.optional(),
    maxConcurrentSessions: MaxConcurrentSessions.optional(),
    weight: Weight.optional(),
    monthlyTokenBudget: TokenBudget.optional(),
    monthlyCostBudgetUsd: CostBudget.optional(),
    active: z.boolean().optional(),
    allowedModels: AllowedModels.optional(),
    retentionDays: RetentionDays.optional(),
    allowedRepositoryPrefixes: AllowedRepositoryPrefixes.optional(),
    notifyWebhookUrl: NotifyWebhookUrl.optional(),
    notifyWebhookSecret: NotifyWebhookSecret.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    error:
      "give at least one of name, maxConcurrentSessions, weight, monthlyTokenBudget, monthlyCostBudgetUsd, active, allowedModels, retentionDays, allowedRepositoryPrefixes, notifyWebhookUrl, notifyWebhookSecret",
  });
export type PatchTenantBody = z.input<typeof PatchTenantBody>;

export const ListTenantsQuery = z.strictObject({ ...PaginationQuery });

export const TenantSchema = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  maxConcurrentSessions: z.number().int(),
  /** Its weight in the fair share of running slots when several tenants have queued work. */
  weight: z.number(),
  monthlyTokenBudget: z.number().int().nullable(),
  monthlyCostBudgetUsd: z.number().nullable(),
  active: z.boolean(),
  allowedModels: z.array(z.string()).nullable(),
  /** Days session events and audit entries are kept; null: forever. */
  retentionDays: z.number().int().nullable(),
  /** Network git URLs under which its sessions' and task trees' repositories may lie; null: any; []: none. */
  allowedRepositoryPrefixes: z.array(z.string()).nullable(),
  /** Where its notifications go instead of the server's default; null: the default. */
  notifyWebhookUrl: z.string().nullable(),
  /** Whether a secret signs them (the secret is never returned). */
  notifyWebhookSecretSet: z.boolean(),
  createdAt: IsoDate,
});
export type TenantView = z.infer<typeof TenantSchema>;

/** This month's use against the tenant's limits: what admission decides on, read the way admission reads it. */
export const TenantUsageSchema = z.object({
  tenantId: Uuid,
  /** The start of the calendar month the token and cost sums cover (sessions created since). */
  periodStart: IsoDate,
  sessions: z.object({
    running: z.number().int(),
    queued: z.number().int(),
    /** Pending sessions, held ones (start=false) included. */
    pending: z.number().int(),
    /** Queued + running (degraded included). The quota counts the running ones (degraded included) only. */
    active: z.number().int(),
    maxConcurrent: z.number().int(),
  }),
  tokens: z.object({ used: z.number(), budget: z.number().nullable() }),
  costUsd: z.object({ used: z.number(), budget: z.number().nullable() }),
  admission: z.object({
    /** Admission would queue pending sessions now. */
    open: z.boolean(),
    /** Why not: the reason waiting sessions show (inactive, a budget used up). The quota holds queued sessions at dispatch instead. */
    reason: z.string().nullable(),
    /** Running slots the quota leaves free now. */
    freeSlots: z.number().int(),
  }),
});
export type TenantUsageView = z.infer<typeof TenantUsageSchema>;
