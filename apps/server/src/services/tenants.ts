import {
  assertRole,
  computeAdmissionBlock,
  computeFreeSlots,
  ForbiddenError,
  InvalidInputError,
  isModelAllowed,
  isOperatorAdmin,
  NotFoundError,
  type Tenant,
} from "@industrial/core";
import type { CreateTenantBody, ListTenantsQuery, PatchTenantBody, TenantUsageView } from "@industrial/contracts";
import { findTenant, insertTenant, listTenants, readTenantUsage, updateTenant, type Page } from "@industrial/db";
import type { z } from "zod";
import { sealSecret } from "../auth/secret-box";
import type { ServiceDeps } from "./deps";
import { assertRunnerUrlAllowed } from "./runner-url";

// Tenants are seen by their own members and by admins of the default tenant
// (the operator); anyone else asking for another tenant gets 404
// (docs/security.md). Only the operator makes tenants.

/** The database that may read tenant `id` for this caller, or null when the caller may not see it. */
function tenantReader(deps: ServiceDeps, id: string) {
  if (id === deps.tenantId) return deps.db;
  return isOperatorAdmin(deps.caller) ? deps.crossTenantDb : null;
}

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

/** The operator sees every tenant; another tenant's admin only its own. */
export async function listTenantPage(
  deps: ServiceDeps,
  query: z.output<typeof ListTenantsQuery>,
): Promise<Page<Tenant>> {
  if (isOperatorAdmin(deps.caller))
    return listTenants(deps.crossTenantDb, { limit: query.limit, cursor: query.cursor });
  const own = await findTenant(deps.db, deps.tenantId);
  return { items: own && !query.cursor ? [own] : [], total: own ? 1 : 0, nextCursor: null };
}

export async function getTenantById(deps: ServiceDeps, id: string): Promise<Tenant> {
  const db = tenantReader(deps, id);
  const t = db ? await findTenant(db, id) : null;
  if (!t) throw new NotFoundError("tenant", id);
  return t;
}

export async function createTenant(deps: ServiceDeps, body: z.output<typeof CreateTenantBody>): Promise<Tenant> {
  if (!isOperatorAdmin(deps.caller)) throw new ForbiddenError("only an admin of the default tenant creates tenants");
  const slug = body.slug ?? computeSlug(body.name);
  if (!slug)
    throw new InvalidInputError("invalid body: slug", [
      { path: "body.slug", reason: "the name has no letters or digits to make a slug from: give one" },
    ]);
  return insertTenant(deps.crossTenantDb, { ...body, slug });
}

/**
 * Changes quotas, budgets, name, the active flag or the notify webhook. Admission reads the row
 * on every tick, so a raised quota or a reactivated tenant admits its
 * pending sessions at the next one (poked now); a lowered quota or an
 * inactive tenant lets running sessions finish and admits no more.
 */
export async function patchTenant(
  deps: ServiceDeps,
  id: string,
  body: z.output<typeof PatchTenantBody>,
): Promise<Tenant> {
  const db = tenantReader(deps, id);
  if (!db || !(await findTenant(db, id))) throw new NotFoundError("tenant", id);
  // A lead sets its tenant's quota and budgets; its name and whether it is active are the admin's.
  if (body.name !== undefined || body.active !== undefined)
    assertRole(deps.caller, "admin", body.active !== undefined ? "body.active" : "body.name");
  // The server POSTs to it: the same address check as a runner URL (README, "Notifications").
  if (body.notifyWebhookUrl) await assertRunnerUrlAllowed(body.notifyWebhookUrl, "body.notifyWebhookUrl");
  const { notifyWebhookSecret, ...rest } = body;
  // Sealed with the server secret like a runner's password: only the notify webhook opens it, to sign.
  const secret =
    notifyWebhookSecret === undefined
      ? {}
      : {
          notifyWebhookSecret:
            notifyWebhookSecret === null ? null : sealSecret(deps.secret.encryption, notifyWebhookSecret),
        };
  const t = await updateTenant(db, id, { ...rest, ...secret });
  if (!t) throw new NotFoundError("tenant", id);
  deps.scheduler?.poke();
  return t;
}

/**
 * A session or agent may name only a model on its tenant's list (when the
 * tenant has one): nobody spends the operator's provider keys on models the
 * tenant may not use.
 */
export async function assertModelAllowed(
  deps: ServiceDeps,
  model: string | null | undefined,
  field: string,
): Promise<void> {
  if (!model) return;
  const tenant = await findTenant(deps.db, deps.tenantId);
  if (tenant && !isModelAllowed(tenant.allowedModels, model))
    throw new InvalidInputError(`invalid ${field}`, [
      {
        path: field,
        reason: `model ${model} is not on this tenant's list (${tenant.allowedModels!.join(", ") || "empty"})`,
      },
    ]);
}

/** This month's use and whether admission would queue now: the read and the rule admission itself uses. */
export async function getTenantUsage(deps: ServiceDeps, id: string): Promise<TenantUsageView> {
  const tenant = await getTenantById(deps, id);
  const usage = await readTenantUsage(tenantReader(deps, id)!, id);
  const reason = computeAdmissionBlock(tenant, usage);
  return {
    tenantId: id,
    periodStart: usage.periodStart,
    sessions: {
      running: usage.running,
      queued: usage.queued,
      pending: usage.pending,
      active: usage.active,
      maxConcurrent: tenant.maxConcurrentSessions,
    },
    tokens: { used: usage.tokens, budget: tenant.monthlyTokenBudget },
    costUsd: { used: usage.costUsd, budget: tenant.monthlyCostBudgetUsd },
    admission: { open: reason === null, reason, freeSlots: computeFreeSlots(tenant, usage) },
  };
}
