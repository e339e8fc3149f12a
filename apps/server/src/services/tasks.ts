import { randomUUID } from "node:crypto";
import {
  complexityOf,
  computeActor,
  computeCriticalPath,
  computeEstimate,
  ConflictError,
  DependencyCycleError,
  findCycle,
  heuristicEstimate,
  inferFromText,
  InvalidInputError,
  InvalidTransitionError,
  isCriticalEdge,
  planDecomposition,
  rollUp,
  TASK_TEMPLATES,
  type DecompositionPlan,
  type Task,
  type TaskDependency,
  type TaskExecution,
} from "@industrial/core";
import type { AddDependencyBody, CreateTaskBody, DecomposeBody, ExecuteBody, ListTasksQuery, PatchTaskBody, TaskTreeNode, TaskView } from "@industrial/contracts";
import {
  countChildTasks,
  deleteDependency,
  getTask,
  insertDependencies,
  insertDependency,
  insertTasks,
  listTasks,
  loadTree,
  lockRoot,
  softDeleteSubtree,
  tenantDependencies,
  updateTask,
  type NewTask,
  type TaskTree,
} from "@industrial/db";
import type { z } from "zod";
import { assertCanControl } from "./control";
import type { ServiceDeps } from "./deps";
import { actOnSession } from "./session-actions";
import { planWithLlm } from "./task-planner";
import { prepareTreeRepository } from "./tree-repository";

/** Leaves count themselves (done when completed or skipped); parents count their leaves. */
function progressOf(task: Task, tree: TaskTree): { done: number; total: number; percent: number } {
  const children = tree.tasks.filter((t) => t.parentTaskId === task.id);
  if (children.length === 0) {
    const done = task.status === "completed" || task.status === "skipped" ? 1 : 0;
    return { done, total: 1, percent: done * 100 };
  }
  const leaves = children.flatMap((c) => leavesOf(c, tree));
  return rollUp(leaves.map((l) => ({ status: l.status })));
}

function leavesOf(task: Task, tree: TaskTree): Task[] {
  const children = tree.tasks.filter((t) => t.parentTaskId === task.id);
  return children.length === 0 ? [task] : children.flatMap((c) => leavesOf(c, tree));
}

export function toTaskView(task: Task, tree: TaskTree): TaskView {
  const { done, total, percent } = progressOf(task, tree);
  return { ...task, progress: { done, total, percent } };
}

export async function getTaskView(deps: ServiceDeps, id: string): Promise<TaskView> {
  const task = await getTask(deps.db, deps.tenantId, id);
  return toTaskView(task, await loadTree(deps.db, deps.tenantId, task.rootTaskId));
}

export async function createTask(deps: ServiceDeps, body: z.output<typeof CreateTaskBody>): Promise<TaskView> {
  const text = `${body.title}\n${body.description}`;
  const inferred = inferFromText(text);
  const estimate = body.estimate ? computeEstimate({ ...body.estimate, source: "manual" }) : heuristicEstimate(inferred.hours);
  const id = randomUUID();
  await deps.db.transaction(async (tx) => {
    let rootTaskId: string = id;
    let position = 0;
    if (body.parentTaskId) {
      const parent = await getTask(tx, deps.tenantId, body.parentTaskId).catch(() => {
        throw new InvalidInputError(`parent task ${body.parentTaskId} not found`, [{ path: "body.parentTaskId", reason: "no such task" }]);
      });
      if (parent.sessionId) throw new ConflictError(`task ${parent.title} has run as a session: it cannot get subtasks`);
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

const NOT_STARTED = ["pending", "ready"];

export async function patchTask(deps: ServiceDeps, id: string, body: z.output<typeof PatchTaskBody>): Promise<TaskView> {
  await deps.db.transaction(async (tx) => {
    const task = await getTask(tx, deps.tenantId, id);
    assertCanControl(deps, task, `task ${id}`);
    await lockRoot(tx, deps.tenantId, task.rootTaskId);
    if (body.status && !NOT_STARTED.includes(task.status)) throw new InvalidTransitionError(task.status, body.status, "task");
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
      throw new ConflictError(`task ${task.title} is being executed`, { suggestion: `cancel it first: POST /api/v1/tasks/${task.rootTaskId}/cancel` });
    return softDeleteSubtree(tx, deps.tenantId, id);
  });
  deps.notices.taskTreeChanged(deps.tenantId, rootTaskId);
  return deleted;
}

function descendants(id: string, tree: TaskTree): Task[] {
  const children = tree.tasks.filter((t) => t.parentTaskId === id);
  return children.flatMap((c) => [c, ...descendants(c.id, tree)]);
}

export async function addDependency(deps: ServiceDeps, id: string, body: z.output<typeof AddDependencyBody>): Promise<TaskDependency> {
  const dep = await deps.db.transaction(async (tx) => {
    const task = await getTask(tx, deps.tenantId, id);
    assertCanControl(deps, task, `task ${id}`);
    const prerequisite = await getTask(tx, deps.tenantId, body.dependsOnTaskId).catch(() => {
      throw new InvalidInputError(`task ${body.dependsOnTaskId} not found`, [{ path: "body.dependsOnTaskId", reason: "no such task" }]);
    });
    // Both trees stay put while the edge is checked and written.
    for (const root of [...new Set([task.rootTaskId, prerequisite.rootTaskId])].sort()) await lockRoot(tx, deps.tenantId, root);
    const cycle = findCycle(await tenantDependencies(tx, deps.tenantId), { taskId: id, dependsOnTaskId: prerequisite.id });
    if (cycle) {
      const titles = new Map<string, string>();
      for (const t of cycle) titles.set(t, t === task.id ? task.title : t === prerequisite.id ? prerequisite.title : (await getTask(tx, deps.tenantId, t)).title);
      throw new DependencyCycleError(cycle, cycle.map((t) => titles.get(t)!));
    }
    return insertDependency(tx, { tenantId: deps.tenantId, taskId: id, dependsOnTaskId: prerequisite.id, type: body.type });
  });
  deps.tasks?.poke();
  return dep;
}

export async function removeDependency(deps: ServiceDeps, id: string, depId: string): Promise<void> {
  assertCanControl(deps, await getTask(deps.db, deps.tenantId, id), `task ${id}`);
  if (!(await deleteDependency(deps.db, deps.tenantId, id, depId))) throw new InvalidInputError(`dependency ${depId} of task ${id} not found`, [{ path: "params.depId", reason: "no such dependency" }]);
  deps.tasks?.poke();
}

export async function taskTree(deps: ServiceDeps, id: string): Promise<{ root: TaskTreeNode; dependencies: TaskDependency[] }> {
  const task = await getTask(deps.db, deps.tenantId, id);
  const tree = await loadTree(deps.db, deps.tenantId, task.rootTaskId);
  const node = (t: Task): TaskTreeNode => ({ ...toTaskView(t, tree), children: tree.tasks.filter((c) => c.parentTaskId === t.id).map(node) });
  const inSubtree = new Set([task.id, ...descendants(task.id, tree).map((t) => t.id)]);
  return { root: node(task), dependencies: tree.dependencies.filter((d) => inSubtree.has(d.taskId) && inSubtree.has(d.dependsOnTaskId)) };
}

/**
 * The schedule of a task's subtree. Leaves are what runs, so the critical
 * path is computed over them: an edge on a parent binds each of its leaves
 * (on either side). A parent spans its leaves (earliest of their starts,
 * latest of their finishes, least slack).
 */
export async function taskGraph(deps: ServiceDeps, id: string) {
  const { root, dependencies } = await taskTree(deps, id);
  const all: TaskTreeNode[] = [];
  const walk = (n: TaskTreeNode) => {
    all.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  const leavesUnder = (n: TaskTreeNode): TaskTreeNode[] => (n.children.length === 0 ? [n] : n.children.flatMap(leavesUnder));
  const byId = new Map(all.map((n) => [n.id, n]));
  const leaves = leavesUnder(root);
  const edges = new Map<string, { taskId: string; dependsOnTaskId: string; type: TaskDependency["type"] }>();
  for (const d of dependencies)
    for (const to of leavesUnder(byId.get(d.taskId)!))
      for (const from of leavesUnder(byId.get(d.dependsOnTaskId)!)) edges.set(`${to.id}|${from.id}`, { taskId: to.id, dependsOnTaskId: from.id, type: d.type });
  const cp = computeCriticalPath(
    leaves.map((l) => ({ id: l.id, hours: l.estimate.expected })),
    [...edges.values()],
  );
  const critical = new Set(cp.path);
  const nodes = all.map((n) => {
    const under = leavesUnder(n);
    const ls = under.map((l) => cp.schedule[l.id]!);
    const leaf = n.children.length === 0;
    return {
      id: n.id,
      title: n.title,
      status: n.status,
      parentTaskId: n.parentTaskId,
      leaf,
      hours: leaf ? n.estimate.expected : Math.max(...ls.map((s) => s.earliestFinish)) - Math.min(...ls.map((s) => s.earliestStart)),
      complexity: n.complexity,
      earliestStart: Math.min(...ls.map((s) => s.earliestStart)),
      earliestFinish: Math.max(...ls.map((s) => s.earliestFinish)),
      latestStart: Math.min(...ls.map((s) => s.latestStart)),
      latestFinish: Math.max(...ls.map((s) => s.latestFinish)),
      slack: Math.min(...ls.map((s) => s.slack)),
      critical: under.some((l) => critical.has(l.id)),
    };
  });
  // A dependency is critical when it binds between two critical leaves it stands for.
  const graphEdges = dependencies.map((d) => ({
    ...d,
    critical: leavesUnder(byId.get(d.taskId)!).some((to) =>
      leavesUnder(byId.get(d.dependsOnTaskId)!).some((from) => isCriticalEdge(d.type, cp.schedule[from.id]!, cp.schedule[to.id]!)),
    ),
  }));
  return { nodes, edges: graphEdges, criticalPath: cp.path, totalHours: cp.totalHours };
}

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
    plan = planDecomposition(task, { ...(body.template ? { template: body.template } : {}), ...(body.heuristics ? { heuristicsOnly: true } : {}), maxDepth: body.maxDepth });
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
  if (tree.tasks.some((t) => t.parentTaskId === task.id)) throw new ConflictError(`task ${task.title} already has subtasks`);
  if (task.sessionId || !NOT_STARTED.includes(task.status)) throw new InvalidTransitionError(task.status, "decomposed", "task");
}

/**
 * Starts executing a root's tree: the integration branch is cut from
 * `baseRef` (a repository of the tree's own when none is given) and the
 * executor takes it from there.
 */
export async function executeTask(deps: ServiceDeps, id: string, body: z.output<typeof ExecuteBody>): Promise<TaskView> {
  const task = await getTask(deps.db, deps.tenantId, id);
  assertCanControl(deps, task, `task ${id}`);
  if (task.parentTaskId !== null) throw new ConflictError(`task ${task.title} is part of a tree: execute its root`, { context: { rootTaskId: task.rootTaskId } });
  if (task.execution?.state === "running") throw new ConflictError(`task ${task.title} is already being executed`);
  if (task.execution) throw new ConflictError(`task ${task.title} was executed already (${task.execution.state})`);
  const { repository, baseRef, prepared } = await prepareTreeRepository(deps, task, body);
  // On the work remote from the start; the executor pushes it again after each merge.
  deps.workRemote.branches.push({ ref: `refs/heads/${prepared.branch}`, commit: prepared.baseCommit, dirs: [prepared.path, repository] });
  const execution: TaskExecution = {
    state: "running",
    repository,
    baseRef,
    baseCommit: prepared.baseCommit,
    branch: prepared.branch,
    path: prepared.path,
    startedAt: new Date().toISOString(),
    finishedAt: null,
  };
  await deps.db.transaction(async (tx) => {
    const current = await lockRoot(tx, deps.tenantId, id);
    if (current) throw new ConflictError(`task ${task.title} is already being executed`);
    await updateTask(tx, deps.tenantId, id, { execution, startedAt: execution.startedAt });
  });
  deps.tasks?.poke();
  return getTaskView(deps, id);
}

/** Stops a tree: running sessions are stopped, what has not started is cancelled. */
export async function cancelTask(deps: ServiceDeps, id: string): Promise<{ task: TaskView; stoppedSessions: string[] }> {
  const task = await getTask(deps.db, deps.tenantId, id);
  assertCanControl(deps, task, `task ${id}`);
  const sessions = await deps.db.transaction(async (tx) => {
    const execution = await lockRoot(tx, deps.tenantId, task.rootTaskId);
    const tree = await loadTree(tx, deps.tenantId, task.rootTaskId);
    const scope = [task, ...descendants(task.id, tree)];
    const running = scope.filter((t) => t.status === "running" && t.sessionId);
    for (const t of scope) if (NOT_STARTED.includes(t.status) || t.status === "running") await updateTask(tx, deps.tenantId, t.id, { status: "cancelled", completedAt: new Date().toISOString() });
    if (execution?.state === "running" && task.id === task.rootTaskId) await updateTask(tx, deps.tenantId, task.rootTaskId, { execution: { ...execution, state: "cancelled", finishedAt: new Date().toISOString() } });
    return running.map((t) => t.sessionId!);
  });
  deps.notices.taskTreeChanged(deps.tenantId, task.rootTaskId);
  const stopped: string[] = [];
  for (const s of sessions)
    await actOnSession(deps, s, "stop").then(
      () => stopped.push(s),
      () => undefined, // already ended
    );
  deps.tasks?.poke();
  return { task: await getTaskView(deps, id), stoppedSessions: stopped };
}

export function listTemplates() {
  return { items: Object.values(TASK_TEMPLATES) };
}
