/**
 * A tenant: the owner of every row (spec/domain.md, "Tenants, users, keys,
 * roles"). Its quota and budgets decide admission: pending sessions become
 * queued only while the tenant is active, under its concurrent-session quota
 * and under its monthly token and cost budgets.
 */
export interface Tenant {
  id: string;
  name: string;
  slug: string;
  /** Sessions queued or running at once (0: admit nothing). */
  maxConcurrentSessions: number;
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
  createdAt: string;
}

/** What admission weighs against a tenant's limits (one query in @industrial/db, `readTenantUsage`). */
export interface TenantUsage {
  /** Sessions that hold a quota slot: queued, running or degraded. */
  active: number;
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
 * Why admission holds a tenant's pending sessions, or null when it may admit
 * `maxConcurrentSessions − active` of them. The reason is written on each
 * waiting session (`statusReason`), so it is worded for the person reading it.
 */
export function computeAdmissionBlock(
  tenant: Pick<Tenant, "active" | "maxConcurrentSessions" | "monthlyTokenBudget" | "monthlyCostBudgetUsd">,
  usage: Pick<TenantUsage, "active" | "tokens" | "costUsd">,
): string | null {
  if (!tenant.active) return "waiting: tenant is inactive";
  if (tenant.monthlyTokenBudget != null && usage.tokens >= tenant.monthlyTokenBudget)
    return `waiting: tenant monthly token budget of ${tenant.monthlyTokenBudget} is used up`;
  if (tenant.monthlyCostBudgetUsd != null && usage.costUsd >= tenant.monthlyCostBudgetUsd)
    return `waiting: tenant monthly cost budget of $${tenant.monthlyCostBudgetUsd} is used up`;
  if (usage.active >= tenant.maxConcurrentSessions) return `waiting: tenant quota of ${tenant.maxConcurrentSessions} concurrent sessions reached`;
  return null;
}

/** Free quota slots (0 while admission is blocked). */
export function computeFreeSlots(tenant: Pick<Tenant, "maxConcurrentSessions">, usage: Pick<TenantUsage, "active">, blocked: string | null): number {
  return blocked ? 0 : Math.max(0, tenant.maxConcurrentSessions - usage.active);
}

/**
 * Whether a tenant may use a model: any when it has no list (null), else
 * only those on it. The model is `provider/model`.
 */
export function isModelAllowed(allowedModels: readonly string[] | null, model: string): boolean {
  return allowedModels === null || allowedModels.includes(model);
}
