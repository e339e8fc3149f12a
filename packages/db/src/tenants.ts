import { randomUUID } from "node:crypto";
import { ConflictError, DEFAULT_RETENTION_DAYS, type Tenant, type TenantUsage } from "@industrial/core";
import type { Queryable } from "./database";
import { readOldestFirst } from "./keyset-cursor";
import { tenantFromRow } from "./rows";
import type { Page } from "./session-list";
import type { CrossTenantDatabase } from "./tenant-wall";

/** `retentionDays` absent: the default (90 days); `allowedRepositoryPrefixes` absent: none (network URLs refused). */
export type NewTenant = Omit<
  Tenant,
  "id" | "createdAt" | "retentionDays" | "allowedRepositoryPrefixes" | "notifyWebhookUrl" | "notifyWebhookSecretSet"
> & {
  retentionDays?: number | null;
  allowedRepositoryPrefixes?: string[] | null;
};

/**
 * The fields PATCH may change; absent ones are left as they are, null clears a budget.
 * `notifyWebhookSecret` is written sealed (the caller seals it) and never read back into a Tenant.
 */
export type TenantPatch = Partial<
  Pick<
    Tenant,
    | "name"
    | "maxConcurrentSessions"
    | "weight"
    | "monthlyTokenBudget"
    | "monthlyCostBudgetUsd"
    | "active"
    | "allowedModels"
    | "retentionDays"
    | "allowedRepositoryPrefixes"
    | "notifyWebhookUrl"
  > & {
    notifyWebhookSecret: string | null;
  }
>;

const COLUMNS: Record<keyof TenantPatch, string> = {
  name: "name",
  maxConcurrentSessions: "max_concurrent_sessions",
  weight: "weight",
  monthlyTokenBudget: "monthly_token_budget",
  monthlyCostBudgetUsd: "monthly_cost_budget_usd",
  active: "active",
  allowedModels: "allowed_models",
  retentionDays: "retention_days",
  allowedRepositoryPrefixes: "allowed_repository_prefixes",
  notifyWebhookUrl: "notify_webhook_url",
  notifyWebhookSecret: "notify_webhook_secret",
};

/**
 * A new tenant. A slug already taken is a ConflictError naming `body.slug`.
 * Needs the owner connection: through forTenant the policies refuse a row of another tenant.
 */
export async function insertTenant(q: Queryable, t: NewTenant): Promise<Tenant> {
  const rows = await q.query(
    `INSERT INTO tenants (id, name, slug, max_concurrent_sessions, weight, monthly_token_budget, monthly_cost_budget_usd, active, allowed_models, retention_days, allowed_repository_prefixes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (slug) DO NOTHING RETURNING *`,
    [
      randomUUID(),
      t.name,
      t.slug,
      t.maxConcurrentSessions,
      t.weight,
      t.monthlyTokenBudget,
      t.monthlyCostBudgetUsd,
      t.active,
      t.allowedModels,
      t.retentionDays === undefined ? DEFAULT_RETENTION_DAYS : t.retentionDays,
      t.allowedRepositoryPrefixes === undefined ? [] : t.allowedRepositoryPrefixes,
    ],
  );
  if (!rows[0])
    throw new ConflictError(`a tenant with slug ${t.slug} already exists`, {
      details: [{ path: "body.slug", reason: "already taken" }],
      suggestion: "give another slug",
    });
  return tenantFromRow(rows[0]);
}

export async function findTenant(q: Queryable, id: string): Promise<Tenant | null> {
  const rows = await q.query("SELECT * FROM tenants WHERE id = $1", [id]);
  return rows[0] ? tenantFromRow(rows[0]) : null;
}

/** Writes the given fields; null when there is no such tenant. */
export async function updateTenant(q: Queryable, id: string, patch: TenantPatch): Promise<Tenant | null> {
  const params: unknown[] = [id];
  const sets: string[] = [];
  for (const [key, column] of Object.entries(COLUMNS) as [keyof TenantPatch, string][]) {
    if (patch[key] === undefined) continue;
    params.push(patch[key]);
    sets.push(`${column} = $${params.length}`);
  }
  if (!sets.length) return findTenant(q, id);
  const rows = await q.query(`UPDATE tenants SET ${sets.join(", ")} WHERE id = $1 RETURNING *`, params);
  return rows[0] ? tenantFromRow(rows[0]) : null;
}

/**
 * Every tenant, oldest first (the default tenant leads), keyset-paginated on
 * (created_at, id): a listing across tenants, for the operator's admins only.
 */
export function listTenants(
  q: CrossTenantDatabase,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Tenant>> {
  return readOldestFirst(q, {
    table: "tenants",
    where: [],
    params: [],
    limit: page.limit,
    cursor: page.cursor,
    fromRow: tenantFromRow,
  });
}

/**
 * What a tenant uses against its limits, in one read: its sessions by state
 * (running and degraded hold a quota slot; queued ones do not), and the
 * tokens and cost of the sessions created this calendar month (the
 * database's clock). Admission (`queue/admit-pending.ts`), dispatch (a
 * budgeted tenant's) and `GET /tenants/{id}/usage` all read this,
 * so the page shows exactly what admission decides on.
 */
export async function readTenantUsage(q: Queryable, tenantId: string): Promise<TenantUsage> {
  const [row] = await q.query<{
    active: number;
    running: number;
    queued: number;
    pending: number;
    tokens: number;
    cost: number;
    period_start: unknown;
  }>(
    `SELECT count(*) FILTER (WHERE status IN ('queued', 'running', 'degraded'))::int AS active,
       count(*) FILTER (WHERE status IN ('running', 'degraded'))::int AS running,
       count(*) FILTER (WHERE status = 'queued')::int AS queued,
       count(*) FILTER (WHERE status = 'pending' AND deleted_at IS NULL)::int AS pending,
       coalesce(sum(((metrics->'tokens'->>'input')::bigint + (metrics->'tokens'->>'output')::bigint + (metrics->'tokens'->>'reasoning')::bigint))
         FILTER (WHERE created_at >= date_trunc('month', now())), 0)::float8 AS tokens,
       coalesce(sum((metrics->>'costUsd')::float8) FILTER (WHERE created_at >= date_trunc('month', now())), 0)::float8 AS cost,
       date_trunc('month', now()) AS period_start
     FROM sessions WHERE tenant_id = $1`,
    [tenantId],
  );
  const start = row!.period_start;
  return {
    active: row!.active,
    running: row!.running,
    queued: row!.queued,
    pending: row!.pending,
    tokens: row!.tokens,
    costUsd: row!.cost,
    periodStart: (start instanceof Date ? start : new Date(String(start))).toISOString(),
  };
}

/** Where a tenant's notifications go, as stored: its URL and its sealed secret (null: none set). */
export interface TenantNotifyWebhook {
  url: string | null;
  sealedSecret: string | null;
}

/**
 * What the notify webhook needs of one session event: the session's tenant,
 * task and title, and that tenant's webhook. Across tenants: the event bus
 * carries session ids only (docs/input-requests.md §3, "Notify webhook").
 */
export async function findSessionNotifyTarget(
  db: CrossTenantDatabase,
  sessionId: string,
): Promise<{ tenantId: string; taskId: string | null; title: string; webhook: TenantNotifyWebhook } | null> {
  const rows = await db.query<{
    tenant_id: string;
    task_id: string | null;
    title: string;
    notify_webhook_url: string | null;
    notify_webhook_secret: string | null;
  }>(
    `SELECT s.tenant_id, s.task_id, s.title, t.notify_webhook_url, t.notify_webhook_secret
       FROM sessions s JOIN tenants t ON t.id = s.tenant_id WHERE s.id = $1`,
    [sessionId],
  );
  const r = rows[0];
  return r
    ? {
        tenantId: r.tenant_id,
        taskId: r.task_id,
        title: r.title,
        webhook: { url: r.notify_webhook_url, sealedSecret: r.notify_webhook_secret },
      }
    : null;
}

/** A tenant's webhook, for a task's notification (the task executor knows the tenant); null: no such tenant. */
export async function findTenantNotifyWebhook(
  db: CrossTenantDatabase,
  tenantId: string,
): Promise<TenantNotifyWebhook | null> {
  const rows = await db.query<{ notify_webhook_url: string | null; notify_webhook_secret: string | null }>(
    "SELECT notify_webhook_url, notify_webhook_secret FROM tenants WHERE id = $1",
    [tenantId],
  );
  const r = rows[0];
  return r ? { url: r.notify_webhook_url, sealedSecret: r.notify_webhook_secret } : null;
}
