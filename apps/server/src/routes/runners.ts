import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import { deleteRunner, listRunnerViews, recycleRunner, registerRemoteRunner } from "../services/runners";

export function registerRunnerRoutes(app: FastifyInstance): void {
  defineRoute(app, routes.listRunners, ({ deps, query }) => listRunnerViews(deps, query));
  defineRoute(app, routes.registerRunner, ({ deps, body }) => registerRemoteRunner(deps, body));
  defineRoute(app, routes.deleteRunner, async ({ deps, params, query }) => {
    await deleteRunner(deps, params.id, query);
    return { deleted: true as const, id: params.id };
  });
  defineRoute(app, routes.recycleRunner, ({ deps, params }) => recycleRunner(deps, params.id));
}
