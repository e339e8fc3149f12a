import { DEFAULT_RETENTION_DAYS, MAX_RETENTION_DAYS, parseRepositoryPrefix } from "@industrial/core";
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
export const TenantSlug = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { error: "must be 1–64 lower-case letters, digits or - (not first or last)" });

/** Sessions queued or running at once; 0 admits nothing (new sessions wait, pending). */
const MaxConcurrentSessions = z.number().int().min(0).max(10_000);
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

export const CreateTenantBody = z.strictObject({
  name: TenantName,
  /** Made from the name when absent. */
  slug: TenantSlug.optional(),
  maxConcurrentSessions: MaxConcurrentSessions.default(10),
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
    monthlyTokenBudget: TokenBudget.optional(),
    monthlyCostBudgetUsd: CostBudget.optional(),
    active: z.boolean().optional(),
    allowedModels: AllowedModels.optional(),
    retentionDays: RetentionDays.optional(),
    allowedRepositoryPrefixes: AllowedRepositoryPrefixes.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), {
    error: "give at least one of name, maxConcurrentSessions, monthlyTokenBudget, monthlyCostBudgetUsd, active, allowedModels, retentionDays, allowedRepositoryPrefixes",
  });
export type PatchTenantBody = z.input<typeof PatchTenantBody>;

export const ListTenantsQuery = z.strictObject({ ...PaginationQuery });

export const TenantSchema = z.object({
  id: Uuid,
  name: z.string(),
  slug: z.string(),
  maxConcurrentSessions: z.number().int(),
  monthlyTokenBudget: z.number().int().nullable(),
  monthlyCostBudgetUsd: z.number().nullable(),
  active: z.boolean(),
  allowedModels: z.array(z.string()).nullable(),
  /** Days session events and audit entries are kept; null: forever. */
  retentionDays: z.number().int().nullable(),
  /** Network git URLs under which its sessions' and task trees' repositories may lie; null: any; []: none. */
  allowedRepositoryPrefixes: z.array(z.string()).nullable(),
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
    /** Queued + running (degraded included): what counts against the quota. */
    active: z.number().int(),
    maxConcurrent: z.number().int(),
  }),
  tokens: z.object({ used: z.number(), budget: z.number().nullable() }),
  costUsd: z.object({ used: z.number(), budget: z.number().nullable() }),
  admission: z.object({
    /** Admission would queue pending sessions now. */
    open: z.boolean(),
    /** Why not: the reason waiting sessions show (inactive, a budget used up, the quota reached). */
    reason: z.string().nullable(),
    /** Quota slots free now (0 while admission is closed). */
    freeSlots: z.number().int(),
  }),
});
export type TenantUsageView = z.infer<typeof TenantUsageSchema>;
