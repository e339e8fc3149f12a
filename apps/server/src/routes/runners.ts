import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import type { ServiceDeps } from "../services/deps";
import { deleteRunner, listRunnerViews, recycleRunner, registerRemoteRunner } from "../services/runners";

export function registerRunnerRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  defineRoute(app, routes.listRunners, ({ query }) => listRunnerViews(deps, query));
  defineRoute(app, routes.registerRunner, ({ body }) => registerRemoteRunner(deps, body));
  defineRoute(app, routes.deleteRunner, async ({ params, query }) => {
    await deleteRunner(deps, params.id, query);
    return { deleted: true as const, id: params.id };
  });
  defineRoute(app, routes.recycleRunner, ({ params }) => recycleRunner(deps, params.id));
}
