import { randomUUID } from "node:crypto";
import type { AddDependencyBody, CreateTaskBody, ListTasksQuery, PatchTaskBody, TaskView } from "@industrial/contracts";
import {
  complexityOf,
  computeActor,
  computeEstimate,
  ConflictError,
  DependencyCycleError,
  findCycle,
  heuristicEstimate,
  inferFromText,
  InvalidInputError,
  InvalidTransitionError,
  TASK_NOT_STARTED,
  type TaskDependency,
} from "@industrial/core";
import {
  countChildTasks,
  deleteDependency,
  getTask,
  insertDependency,
  insertTasks,
  listTasks,
  loadTree,
  lockRoot,
  softDeleteSubtree,
  tenantDependencies,
  updateTask,
  type TaskTree,
} from "@industrial/db";
import type { z } from "zod";
import { assertCanControl } from "./control";
import type { ServiceDeps } from "./deps";
import { descendants, toTaskView } from "./task-view";

/*
 * Tasks and their dependencies: create, read, change, delete. Their tree and
 * schedule views are in task-graphs.ts, decomposition in
 * task-decomposition.ts, running a tree in task-runs.ts.
 */

export async function getTaskView(deps: ServiceDeps, id: string): Promise<TaskView> {
  const task = await getTask(deps.db, deps.tenantId, id);
  return toTaskView(task, await loadTree(deps.db, deps.tenantId, task.rootTaskId));
}

export async function createTask(deps: ServiceDeps, body: z.output<typeof CreateTaskBody>): Promise<TaskView> {
  const text = `${body.title}\n${body.description}`;
  const inferred = inferFromText(text);
  const estimate = body.estimate
    ? computeEstimate({ ...body.estimate, source: "manual" })
    : heuristicEstimate(inferred.hours);
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    let rootTaskId: string = id;
    let position = 0;
    if (body.parentTaskId) {
      const parent = await getTask(tx, deps.tenantId, body.parentTaskId).catch(() => {
        throw new InvalidInputError(`parent task ${body.parentTaskId} not found`, [
          { path: "body.parentTaskId", reason: "no such task" },
        ]);
      });
      if (parent.sessionId)
        throw new ConflictError(`task ${parent.title} has run as a session: it cannot get subtasks`);
      assertCanControl(deps, parent, `task ${parent.id}`);
      rootTaskId = parent.rootTaskId;
      position = await countChildTasks(tx, deps.tenantId, parent.id);
    }
    await insertTasks(tx, [
      {
        id,
        tenantId: deps.tenantId,
        parentTaskId: body.parentTaskId ?? null,
        rootTaskId,
        position,
        title: body.title,
        description: body.description,
        type: body.type,
        status: "pending",
        priority: body.priority,
        requiredCapabilities: body.requiredCapabilities ?? inferred.capabilities,
        estimate,
        complexity: complexityOf(estimate.expected),
        createdBy: computeActor(deps.caller),
      },
    ]);
  });
  const view = await getTaskView(deps, id);
  deps.notices.tasksCreated(deps.tenantId, view.rootTaskId, [id]);
  return view;
}

export async function listTaskPage(deps: ServiceDeps, q: z.output<typeof ListTasksQuery>) {
  const page = await listTasks(
    deps.db,
    {
      tenantId: deps.tenantId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.complexity ? { complexity: q.complexity } : {}),
      ...(q.parentTaskId ? { parentTaskId: q.parentTaskId } : {}),
      ...(q.root !== undefined ? { root: q.root } : {}),
    },
    { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) },
  );
  const trees = new Map<string, TaskTree>();
  const items: TaskView[] = [];
  for (const t of page.items) {
    if (!trees.has(t.rootTaskId)) trees.set(t.rootTaskId, await loadTree(deps.db, deps.tenantId, t.rootTaskId));
    items.push(toTaskView(t, trees.get(t.rootTaskId)!));
  }
  return { items, nextCursor: page.nextCursor, total: page.total };
}

export async function patchTask(
  deps: ServiceDeps,
  id: string,
  body: z.output<typeof PatchTaskBody>,
): Promise<TaskView> {
  await deps.db.transaction(async (tx) => {
    const task = await getTask(tx, deps.tenantId, id);
    assertCanControl(deps, task, `task ${id}`);
    await lockRoot(tx, deps.tenantId, task.rootTaskId);
    if (body.status && !TASK_NOT_STARTED.includes(task.status))
      throw new InvalidTransitionError(task.status, body.status, "task");
    if (task.status === "running" && Object.keys(body).some((k) => k !== "title" && k !== "priority"))
      throw new ConflictError(`task ${task.title} is running: only its title and priority can change`);
    const { estimate: given, ...fields } = body;
    const estimate = given ? computeEstimate({ ...given, source: "manual" }) : undefined;
    await updateTask(tx, deps.tenantId, id, {
      ...fields,
      ...(estimate ? { estimate, complexity: complexityOf(estimate.expected) } : {}),
      ...(body.status ? { completedAt: new Date().toISOString() } : {}),
    });
  });
  deps.tasks?.poke();
  const view = await getTaskView(deps, id);
  deps.notices.taskTreeChanged(deps.tenantId, view.rootTaskId);
  return view;
}

/** Deletes a task and its subtree; refused while any of it runs. */
export async function deleteTask(deps: ServiceDeps, id: string): Promise<string[]> {
  let rootTaskId = id;
  const deleted = await deps.db.transaction(async (tx) => {
    const task = await getTask(tx, deps.tenantId, id);
    assertCanControl(deps, task, `task ${id}`);
    rootTaskId = task.rootTaskId;
    const execution = await lockRoot(tx, deps.tenantId, task.rootTaskId);
    const tree = await loadTree(tx, deps.tenantId, task.rootTaskId);
    const running = [task, ...descendants(task.id, tree)].filter((t) => t.status === "running");
    if (running.length > 0 || (task.parentTaskId === null && execution?.state === "running"))
      throw new ConflictError(`task ${task.title} is being executed`, {
        suggestion: `cancel it first: POST /api/v1/tasks/${task.rootTaskId}/cancel`,
      });
    return softDeleteSubtree(tx, deps.tenantId, id);
  });
  deps.notices.taskTreeChanged(deps.tenantId, rootTaskId);
  return deleted;
}

export async function addDependency(
  deps: ServiceDeps,
  id: string,
  body: z.output<typeof AddDependencyBody>,
): Promise<TaskDependency> {
  const dep = await deps.db.transaction(async (tx) => {
    const task = await getTask(tx, deps.tenantId, id);
    assertCanControl(deps, task, `task ${id}`);
    const prerequisite = await getTask(tx, deps.tenantId, body.dependsOnTaskId).catch(() => {
      throw new InvalidInputError(`task ${body.dependsOnTaskId} not found`, [
        { path: "body.dependsOnTaskId", reason: "no such task" },
      ]);
    });
    // Both trees stay put while the edge is checked and written.
    for (const root of [...new Set([task.rootTaskId, prerequisite.rootTaskId])].sort())
      await lockRoot(tx, deps.tenantId, root);
    const cycle = findCycle(await tenantDependencies(tx, deps.tenantId), {
      taskId: id,
      dependsOnTaskId: prerequisite.id,
    });
    if (cycle) {
      const titles = new Map<string, string>();
      for (const t of cycle)
        titles.set(
          t,
          t === task.id
            ? task.title
            : t === prerequisite.id
              ? prerequisite.title
              : (await getTask(tx, deps.tenantId, t)).title,
        );
      throw new DependencyCycleError(
        cycle,
        cycle.map((t) => titles.get(t)!),
      );
    }
    return insertDependency(tx, {
      tenantId: deps.tenantId,
      taskId: id,
      dependsOnTaskId: prerequisite.id,
      type: body.type,
    });
  });
  deps.tasks?.poke();
  return dep;
}

export async function removeDependency(deps: ServiceDeps, id: string, depId: string): Promise<void> {
  assertCanControl(deps, await getTask(deps.db, deps.tenantId, id), `task ${id}`);
  if (!(await deleteDependency(deps.db, deps.tenantId, id, depId)))
    throw new InvalidInputError(`dependency ${depId} of task ${id} not found`, [
      { path: "params.depId", reason: "no such dependency" },
    ]);
  deps.tasks?.poke();
}
