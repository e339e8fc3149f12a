import type { TaskTreeNode, TaskView } from "@industrial/contracts";
import { rollUp, type Task } from "@industrial/core";
import type { TaskTree } from "@industrial/db";

/*
 * A stored task as the API shows it. Pure, and free of the services' deps:
 * the notices (WebSocket frames) map tasks with it too, so it must not import
 * what imports them.
 */

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

/** Every task under `id` in its tree, depth first. */
export function descendants(id: string, tree: TaskTree): Task[] {
  const children = tree.tasks.filter((t) => t.parentTaskId === id);
  return children.flatMap((c) => [c, ...descendants(c.id, tree)]);
}

/** The subtree under `task` as nested views. */
export function toTreeNode(task: Task, tree: TaskTree): TaskTreeNode {
  return {
    ...toTaskView(task, tree),
    children: tree.tasks.filter((c) => c.parentTaskId === task.id).map((c) => toTreeNode(c, tree)),
  };
}
