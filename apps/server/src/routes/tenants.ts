import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import { createTenant, getTenantById, getTenantUsage, listTenantPage, patchTenant } from "../services/tenants";

export function registerTenantRoutes(app: FastifyInstance): void {
  defineRoute(app, routes.listTenants, ({ deps, query }) => listTenantPage(deps, query));
  defineRoute(app, routes.createTenant, ({ deps, body }) => createTenant(deps, body));
  defineRoute(app, routes.getTenant, ({ deps, params }) => getTenantById(deps, params.id));
  defineRoute(app, routes.patchTenant, ({ deps, params, body }) => patchTenant(deps, params.id, body));
  defineRoute(app, routes.tenantUsage, ({ deps, params }) => getTenantUsage(deps, params.id));
}
