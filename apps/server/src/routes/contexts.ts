import { routes } from "@industrial/contracts";
import type { JsonValue } from "@industrial/core";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import {
  createContext,
  deleteContextById,
  deleteContextKey,
  diffContexts,
  getContextById,
  getContextKey,
  listContextPage,
  mergeContexts,
  patchContext,
  promoteContext,
  putContextKey,
  shareContext,
} from "../services/contexts";
import type { ServiceDeps } from "../services/deps";

export function registerContextRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  defineRoute(app, routes.createContext, ({ body }) => createContext(deps, body));
  defineRoute(app, routes.listContexts, ({ query }) => listContextPage(deps, query));
  defineRoute(app, routes.mergeContexts, ({ body }) => mergeContexts(deps, body));
  defineRoute(app, routes.getContext, ({ params }) => getContextById(deps, params.id));
  defineRoute(app, routes.patchContext, ({ params, body }) => patchContext(deps, params.id, body));
  defineRoute(app, routes.deleteContext, async ({ params, query }) => {
    await deleteContextById(deps, params.id, query.expectedVersion);
    return { deleted: true as const, id: params.id };
  });
  defineRoute(app, routes.getContextKey, ({ params }) => getContextKey(deps, params.id, params.path));
  defineRoute(app, routes.putContextKey, ({ params, body }) => putContextKey(deps, params.id, params.path, body.value as JsonValue, body.expectedVersion));
  defineRoute(app, routes.deleteContextKey, ({ params, query }) => deleteContextKey(deps, params.id, params.path, query.expectedVersion));
  defineRoute(app, routes.diffContexts, ({ params }) => diffContexts(deps, params.id, params.otherId));
  defineRoute(app, routes.shareContext, ({ params, body }) => shareContext(deps, params.id, body));
  defineRoute(app, routes.promoteContext, ({ params, body }) => promoteContext(deps, params.id, body ?? {}));
}
