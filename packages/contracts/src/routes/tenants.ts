import { IdParams, pageOf } from "../common";
import { CreateTenantBody, ListTenantsQuery, PatchTenantBody, TenantSchema, TenantUsageSchema } from "../tenants";
import { route, type RouteDef } from "./route";

/** Tenants: their quotas, budgets and this month's usage. */
export const tenantRoutes = {
  listTenants: route({
    method: "GET",
    path: "/api/v1/tenants",
    summary: "List tenants, oldest first (admin; authentication is off: every caller is)",
    tag: "Tenants",
    query: ListTenantsQuery,
    response: pageOf(TenantSchema),
  }),
  createTenant: route({
    method: "POST",
    path: "/api/v1/tenants",
    summary: "Create a tenant (slug made from the name when absent; 409 when taken)",
    tag: "Tenants",
    body: CreateTenantBody,
    response: TenantSchema,
    status: 201,
  }),
  getTenant: route({
    method: "GET",
    path: "/api/v1/tenants/:id",
    summary: "One tenant with its quota and budgets",
    tag: "Tenants",
    params: IdParams,
    response: TenantSchema,
  }),
  patchTenant: route({
    method: "PATCH",
    path: "/api/v1/tenants/:id",
    summary:
      "Change name, concurrent-session quota, monthly token and cost budgets (null: none), active; admission applies it at once",
    tag: "Tenants",
    params: IdParams,
    body: PatchTenantBody,
    response: TenantSchema,
  }),
  tenantUsage: route({
    method: "GET",
    path: "/api/v1/tenants/:id/usage",
    summary:
      "This month's tokens and cost, running/queued/pending sessions against the quota, and whether admission is open (and why not)",
    tag: "Tenants",
    params: IdParams,
    response: TenantUsageSchema,
  }),
} as const satisfies Record<string, RouteDef>;
