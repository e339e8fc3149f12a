import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import type { ServiceDeps } from "../services/deps";
import { createTenant, getTenantById, getTenantUsage, listTenantPage, patchTenant } from "../services/tenants";

export function registerTenantRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  defineRoute(app, routes.listTenants, ({ query }) => listTenantPage(deps, query));
  defineRoute(app, routes.createTenant, ({ body }) => createTenant(deps, body));
  defineRoute(app, routes.getTenant, ({ params }) => getTenantById(deps, params.id));
  defineRoute(app, routes.patchTenant, ({ params, body }) => patchTenant(deps, params.id, body));
  defineRoute(app, routes.tenantUsage, ({ params }) => getTenantUsage(deps, params.id));
}
