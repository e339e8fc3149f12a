import { routes } from "@industrial/contracts";
import type { FastifyInstance } from "fastify";
import { defineRoute } from "../define-route";
import { decomposeTask, listTemplates } from "../services/task-decomposition";
import { taskGraph, taskTree } from "../services/task-graphs";
import { cancelTask, executeTask } from "../services/task-runs";
import {
  addDependency,
  createTask,
  deleteTask,
  getTaskView,
  listTaskPage,
  patchTask,
  removeDependency,
} from "../services/tasks";

export function registerTaskRoutes(app: FastifyInstance): void {
  defineRoute(app, routes.createTask, ({ deps, body }) => createTask(deps, body));
  defineRoute(app, routes.listTasks, ({ deps, query }) => listTaskPage(deps, query));
  defineRoute(app, routes.taskTemplates, async () => listTemplates());
  defineRoute(app, routes.getTask, ({ deps, params }) => getTaskView(deps, params.id));
  defineRoute(app, routes.patchTask, ({ deps, params, body }) => patchTask(deps, params.id, body));
  defineRoute(app, routes.deleteTask, async ({ deps, params }) => ({
    deleted: true as const,
    ids: await deleteTask(deps, params.id),
  }));
  defineRoute(app, routes.decomposeTask, ({ deps, params, body }) => decomposeTask(deps, params.id, body));
  defineRoute(app, routes.addDependency, ({ deps, params, body }) => addDependency(deps, params.id, body));
  defineRoute(app, routes.removeDependency, async ({ deps, params }) => {
    await removeDependency(deps, params.id, params.depId);
    return { deleted: true as const, id: params.depId };
  });
  defineRoute(app, routes.taskTree, ({ deps, params }) => taskTree(deps, params.id));
  defineRoute(app, routes.taskGraph, ({ deps, params }) => taskGraph(deps, params.id));
  defineRoute(app, routes.executeTask, ({ deps, params, body }) => executeTask(deps, params.id, body));
  defineRoute(app, routes.cancelTask, ({ deps, params }) => cancelTask(deps, params.id));
}
