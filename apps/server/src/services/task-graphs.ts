import type { TaskTreeNode } from "@industrial/contracts";
import { computeTreeSchedule, type TaskDependency } from "@industrial/core";
import { getTask, loadTree } from "@industrial/db";
import type { ServiceDeps } from "./deps";
import { descendants, toTreeNode } from "./task-view";

/** A task's subtree, nested, and the dependencies within it. */
export async function taskTree(
  deps: ServiceDeps,
  id: string,
): Promise<{ root: TaskTreeNode; dependencies: TaskDependency[] }> {
  const task = await getTask(deps.db, deps.tenantId, id);
  const tree = await loadTree(deps.db, deps.tenantId, task.rootTaskId);
  const inSubtree = new Set([task.id, ...descendants(task.id, tree).map((t) => t.id)]);
  return {
    root: toTreeNode(task, tree),
    dependencies: tree.dependencies.filter((d) => inSubtree.has(d.taskId) && inSubtree.has(d.dependsOnTaskId)),
  };
}

/** The schedule of a task's subtree (core's computeTreeSchedule) with each task's title, status and complexity. */
export async function taskGraph(deps: ServiceDeps, id: string) {
  const { root, dependencies } = await taskTree(deps, id);
  const all: TaskTreeNode[] = [];
  const walk = (n: TaskTreeNode) => {
    all.push(n);
    n.children.forEach(walk);
  };
  walk(root);
  const byId = new Map(all.map((n) => [n.id, n]));
  const schedule = computeTreeSchedule(
    root.id,
    all.map((n) => ({ id: n.id, parentTaskId: n.parentTaskId, hours: n.estimate.expected })),
    dependencies,
  );
  const nodes = schedule.tasks.map(({ id: taskId, ...s }) => {
    const n = byId.get(taskId)!;
    return {
      id: taskId,
      title: n.title,
      status: n.status,
      parentTaskId: n.parentTaskId,
      leaf: s.leaf,
      hours: s.hours,
      complexity: n.complexity,
      earliestStart: s.earliestStart,
      earliestFinish: s.earliestFinish,
      latestStart: s.latestStart,
      latestFinish: s.latestFinish,
      slack: s.slack,
      critical: s.critical,
    };
  });
  return { nodes, edges: schedule.dependencies, criticalPath: schedule.criticalPath, totalHours: schedule.totalHours };
}
