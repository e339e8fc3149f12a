/**
 * A tenant: the owner of every row (docs/domain.md, Words; roles in
 * docs/security.md). Its budgets decide admission: pending sessions become queued
 * only while the tenant is active and under its monthly token and cost
 * budgets; its quota bounds the sessions running at once, at dispatch.
 */
export interface Tenant {
  id: string;
  name: string;
  slug: string;
  /** Sessions running at once, enforced at dispatch (0: run nothing; queued sessions do not count). */
  maxConcurrentSessions: number;
  /**
   * Its weight in the fair share of running slots when several tenants have
   * queued work (weighted fair queuing: with weights 2 and 1 the first gets
   * two thirds of the slots while both have work); 0 < weight ≤ 1000, default 1.
   */
  weight: number;
  /** Tokens (input + output + reasoning) of sessions created this month; null: no budget. */
  monthlyTokenBudget: number | null;
  /** Cost in USD of sessions created this month; null: no budget. */
  monthlyCostBudgetUsd: number | null;
  /** An inactive tenant keeps its sessions but admits no new ones. */
  active: boolean;
  /** Models (`provider/model`) its sessions and agents may name; null: any (the operator's provider keys pay for them). */
  allowedModels: string[] | null;
  /** Days its session events and audit entries are kept (1–36 500); null: forever. See retention.ts. */
  retentionDays: number | null;
  /**
   * Network git URLs its sessions and task trees may name (`computeRepositoryAdmission`);
   * null: any (the default tenant's, as made); [] none (a new tenant's). Paths and file:// URLs obey the workspace roots.
   */
  allowedRepositoryPrefixes: string[] | null;
  /** Where its notifications go instead of the server's default (docs/input-requests.md §3, "Notify webhook"); null: the default. */
  notifyWebhookUrl: string | null;
  /** Whether a secret signs its webhook's bodies; the secret itself never leaves the database but to sign. */
  notifyWebhookSecretSet: boolean;
  createdAt: string;
}

/** What admission weighs against a tenant's limits (one query in @industrial/db, `readTenantUsage`). */
export interface TenantUsage {
  /** Sessions queued, running or degraded. */
  active: number;
  /** Sessions that hold a quota slot: running or degraded. */
  running: number;
  queued: number;
  /** Pending sessions, held ones included: they wait for admission or for a start. */
  pending: number;
  /** Tokens of sessions created this month (input + output + reasoning). */
  tokens: number;
  /** Cost of sessions created this month. */
  costUsd: number;
  /** The start of the month the sums cover (the database's clock and time zone). */
  periodStart: string;
}

export const DEFAULT_MAX_CONCURRENT_SESSIONS = 10;

/**
 * Why admission holds a tenant's pending sessions, or null when it may queue
 * them. The concurrency quota is not among the reasons: it limits sessions
 * running at once and is applied at dispatch (computeQuotaWait), so queued
 * sessions never hold a slot. The reason is written on each waiting session
 * (`statusReason`), so it is worded for the person reading it.
 */
export function computeAdmissionBlock(
  tenant: Pick<Tenant, "active" | "monthlyTokenBudget" | "monthlyCostBudgetUsd">,
  usage: Pick<TenantUsage, "tokens" | "costUsd">,
): string | null {
  if (!tenant.active) return "waiting: tenant is inactive";
  if (tenant.monthlyTokenBudget != null && usage.tokens >= tenant.monthlyTokenBudget)
    return `waiting: tenant monthly token budget of ${tenant.monthlyTokenBudget} is used up`;
  if (tenant.monthlyCostBudgetUsd != null && usage.costUsd >= tenant.monthlyCostBudgetUsd)
    return `waiting: tenant monthly cost budget of $${tenant.monthlyCostBudgetUsd} is used up`;
  return null;
}

/** Running slots the quota leaves free now (none for an inactive tenant: it starts nothing). */
export function computeFreeSlots(
  tenant: Pick<Tenant, "maxConcurrentSessions" | "active">,
  usage: Pick<TenantUsage, "running">,
): number {
  return tenant.active ? Math.max(0, tenant.maxConcurrentSessions - usage.running) : 0;
}

/**
 * Whether a tenant may use a model: any when it has no list (null), else
 * only those on it. The model is `provider/model`.
 */
export function isModelAllowed(allowedModels: readonly string[] | null, model: string): boolean {
  return allowedModels === null || allowedModels.includes(model);
}
