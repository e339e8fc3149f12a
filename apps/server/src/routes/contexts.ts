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

export function registerContextRoutes(app: FastifyInstance): void {
  defineRoute(app, routes.createContext, ({ deps, body }) => createContext(deps, body));
  defineRoute(app, routes.listContexts, ({ deps, query }) => listContextPage(deps, query));
  defineRoute(app, routes.mergeContexts, ({ deps, body }) => mergeContexts(deps, body));
  defineRoute(app, routes.getContext, ({ deps, params }) => getContextById(deps, params.id));
  defineRoute(app, routes.patchContext, ({ deps, params, body }) => patchContext(deps, params.id, body));
  defineRoute(app, routes.deleteContext, async ({ deps, params, query }) => {
    await deleteContextById(deps, params.id, query.expectedVersion);
    return { deleted: true as const, id: params.id };
  });
  defineRoute(app, routes.getContextKey, ({ deps, params }) => getContextKey(deps, params.id, params.path));
  defineRoute(app, routes.putContextKey, ({ deps, params, body }) =>
    putContextKey(deps, params.id, params.path, body.value as JsonValue, body.expectedVersion),
  );
  defineRoute(app, routes.deleteContextKey, ({ deps, params, query }) =>
    deleteContextKey(deps, params.id, params.path, query.expectedVersion),
  );
  defineRoute(app, routes.diffContexts, ({ deps, params }) => diffContexts(deps, params.id, params.otherId));
  defineRoute(app, routes.shareContext, ({ deps, params, body }) => shareContext(deps, params.id, body));
  defineRoute(app, routes.promoteContext, ({ deps, params, body }) => promoteContext(deps, params.id, body ?? {}));
}
