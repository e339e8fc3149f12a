import { randomUUID } from "node:crypto";
import type { DecomposeBody } from "@industrial/contracts";
import {
  complexityOf,
  computeActor,
  ConflictError,
  InvalidTransitionError,
  planDecomposition,
  TASK_NOT_STARTED,
  TASK_TEMPLATES,
  type DecompositionPlan,
  type Task,
} from "@industrial/core";
import {
  getTask,
  insertDependencies,
  insertTasks,
  loadTree,
  lockRoot,
  type NewTask,
  type TaskTree,
} from "@industrial/db";
import type { z } from "zod";
import { assertCanControl } from "./control";
import type { ServiceDeps } from "./deps";
import { planWithLlm } from "./task-planner";
import { toTaskView } from "./task-view";

/**
 * Turns a leaf that has not run into subtasks and edges, all in one
 * transaction: a plan that fails validation creates nothing.
 */
export async function decomposeTask(deps: ServiceDeps, id: string, body: z.output<typeof DecomposeBody>) {
  const task = await getTask(deps.db, deps.tenantId, id);
  assertCanControl(deps, task, `task ${id}`);
  assertDecomposable(task, await loadTree(deps.db, deps.tenantId, task.rootTaskId));
  let plan: DecompositionPlan;
  let planner: "template" | "heuristics" | "llm";
  let sessionId: string | null = null;
  if (body.planner === "llm") {
    const planned = await planWithLlm(deps, task, body.agentId ?? null);
    plan = planned.plan;
    sessionId = planned.sessionId;
    planner = "llm";
  } else {
    plan = planDecomposition(task, {
      ...(body.template ? { template: body.template } : {}),
      ...(body.heuristics ? { heuristicsOnly: true } : {}),
      maxDepth: body.maxDepth,
    });
    planner = plan.template ? "template" : "heuristics";
  }
  const created = await deps.db.transaction(async (tx) => {
    await lockRoot(tx, deps.tenantId, task.rootTaskId);
    // Checked again under the lock: a concurrent decomposition or execution wins.
    const fresh = await getTask(tx, deps.tenantId, id);
    assertDecomposable(fresh, await loadTree(tx, deps.tenantId, task.rootTaskId));
    const ids = new Map<string, string>(plan.tasks.map((p) => [p.key, randomUUID()]));
    const siblings = new Map<string, number>();
    const rows: NewTask[] = plan.tasks.map((p) => {
      const parentTaskId = p.parentKey ? ids.get(p.parentKey)! : task.id;
      const position = siblings.get(parentTaskId) ?? 0;
      siblings.set(parentTaskId, position + 1);
      return {
        id: ids.get(p.key)!,
        tenantId: deps.tenantId,
        parentTaskId,
        rootTaskId: task.rootTaskId,
        position,
        title: p.title,
        description: p.description,
        type: p.type,
        status: "pending",
        priority: task.priority,
        requiredCapabilities: p.requiredCapabilities,
        estimate: p.estimate,
        complexity: complexityOf(p.estimate.expected),
        createdBy: computeActor(deps.caller),
      };
    });
    await insertTasks(tx, rows);
    await insertDependencies(
      tx,
      deps.tenantId,
      plan.edges.map((e) => ({ taskId: ids.get(e.toKey)!, dependsOnTaskId: ids.get(e.fromKey)!, type: e.type })),
    );
    return new Set(ids.values());
  });
  const tree = await loadTree(deps.db, deps.tenantId, task.rootTaskId);
  deps.notices.tasksCreated(deps.tenantId, task.rootTaskId, [...created]);
  return {
    taskId: task.id,
    template: plan.template,
    planner,
    sessionId,
    tasks: tree.tasks.filter((t) => created.has(t.id)).map((t) => toTaskView(t, tree)),
    dependencies: tree.dependencies.filter((d) => created.has(d.taskId)),
  };
}

function assertDecomposable(task: Task, tree: TaskTree): void {
  if (tree.tasks.some((t) => t.parentTaskId === task.id))
    throw new ConflictError(`task ${task.title} already has subtasks`);
  if (task.sessionId || !TASK_NOT_STARTED.includes(task.status))
    throw new InvalidTransitionError(task.status, "decomposed", "task");
}

export function listTemplates() {
  return { items: Object.values(TASK_TEMPLATES) };
}
