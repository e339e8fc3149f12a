import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import type { ServiceDeps } from "../services/deps";
import {
  addDependency,
  cancelTask,
  createTask,
  decomposeTask,
  deleteTask,
  executeTask,
  getTaskView,
  listTaskPage,
  listTemplates,
  patchTask,
  removeDependency,
  taskGraph,
  taskTree,
} from "../services/tasks";

export function registerTaskRoutes(app: FastifyInstance, deps: ServiceDeps): void {
  defineRoute(app, routes.createTask, ({ body }) => createTask(deps, body));
  defineRoute(app, routes.listTasks, ({ query }) => listTaskPage(deps, query));
  defineRoute(app, routes.taskTemplates, async () => listTemplates());
  defineRoute(app, routes.getTask, ({ params }) => getTaskView(deps, params.id));
  defineRoute(app, routes.patchTask, ({ params, body }) => patchTask(deps, params.id, body));
  defineRoute(app, routes.deleteTask, async ({ params }) => ({ deleted: true as const, ids: await deleteTask(deps, params.id) }));
  defineRoute(app, routes.decomposeTask, ({ params, body }) => decomposeTask(deps, params.id, body));
  defineRoute(app, routes.addDependency, ({ params, body }) => addDependency(deps, params.id, body));
  defineRoute(app, routes.removeDependency, async ({ params }) => {
    await removeDependency(deps, params.id, params.depId);
    return { deleted: true as const, id: params.depId };
  });
  defineRoute(app, routes.taskTree, ({ params }) => taskTree(deps, params.id));
  defineRoute(app, routes.taskGraph, ({ params }) => taskGraph(deps, params.id));
  defineRoute(app, routes.executeTask, ({ params, body }) => executeTask(deps, params.id, body));
  defineRoute(app, routes.cancelTask, ({ params }) => cancelTask(deps, params.id));
}
