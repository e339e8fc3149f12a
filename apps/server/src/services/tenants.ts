import { computeAdmissionBlock, computeFreeSlots, InvalidInputError, NotFoundError, type Tenant } from "@industrial/core";
import type { CreateTenantBody, ListTenantsQuery, PatchTenantBody, TenantUsageView } from "@industrial/contracts";
import { findTenant, insertTenant, listTenants, readTenantUsage, updateTenant, type Page } from "@industrial/db";
import type { z } from "zod";
import type { ServiceDeps } from "./deps";

// Authentication is not built yet: every caller acts in the default tenant
// and is, in effect, its admin (spec/api.md: tenants are admin routes). When
// keys arrive, a non-admin sees only its own tenant and others answer 404.

/** A slug from a name: lower-case ASCII letters and digits, runs of anything else as one dash. */
export function computeSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64)
    .replace(/-+$/, "");
}

export function listTenantPage(deps: ServiceDeps, query: z.output<typeof ListTenantsQuery>): Promise<Page<Tenant>> {
  return listTenants(deps.db, { limit: query.limit, cursor: query.cursor });
}

export async function getTenantById(deps: ServiceDeps, id: string): Promise<Tenant> {
  const t = await findTenant(deps.db, id);
  if (!t) throw new NotFoundError("tenant", id);
  return t;
}

export async function createTenant(deps: ServiceDeps, body: z.output<typeof CreateTenantBody>): Promise<Tenant> {
  const slug = body.slug ?? computeSlug(body.name);
  if (!slug) throw new InvalidInputError("invalid body: slug", [{ path: "body.slug", reason: "the name has no letters or digits to make a slug from: give one" }]);
  return insertTenant(deps.db, { ...body, slug });
}

/**
 * Changes quotas, budgets, name or the active flag. Admission reads the row
 * on every tick, so a raised quota or a reactivated tenant admits its
 * pending sessions at the next one (poked now); a lowered quota or an
 * inactive tenant lets running sessions finish and admits no more.
 */
export async function patchTenant(deps: ServiceDeps, id: string, body: z.output<typeof PatchTenantBody>): Promise<Tenant> {
  const t = await updateTenant(deps.db, id, body);
  if (!t) throw new NotFoundError("tenant", id);
  deps.scheduler?.poke();
  return t;
}

/** This month's use and whether admission would queue now: the read and the rule admission itself uses. */
export async function getTenantUsage(deps: ServiceDeps, id: string): Promise<TenantUsageView> {
  const tenant = await getTenantById(deps, id);
  const usage = await readTenantUsage(deps.db, id);
  const reason = computeAdmissionBlock(tenant, usage);
  return {
    tenantId: id,
    periodStart: usage.periodStart,
    sessions: { running: usage.running, queued: usage.queued, pending: usage.pending, active: usage.active, maxConcurrent: tenant.maxConcurrentSessions },
    tokens: { used: usage.tokens, budget: tenant.monthlyTokenBudget },
    costUsd: { used: usage.costUsd, budget: tenant.monthlyCostBudgetUsd },
    admission: { open: reason === null, reason, freeSlots: computeFreeSlots(tenant, usage, reason) },
  };
}
