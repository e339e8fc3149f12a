import type { SessionStatus } from "../session/session-status";
import { canFinish, canStart, isBlockedBy } from "./task-graph";
import { rollUp } from "./task-rollup";
import { TASK_NOT_STARTED, type Task, type TaskDependency, type TaskStatus } from "./task";

/** What one executor step does to a tree; applied in this order, in one transaction. */
export type TreeAction =
  /** A ready leaf gets its session. */
  | { kind: "start"; taskId: string }
  /** A leaf's session completed and every finish condition holds: merge its branch, then complete it. */
  | { kind: "merge"; taskId: string; sessionId: string }
  /** A leaf's session ended without completing. */
  | { kind: "fail"; taskId: string; message: string }
  /** A prerequisite can never be satisfied. */
  | { kind: "block"; taskId: string; message: string }
  /** A parent's rolled-up status moved. */
  | { kind: "rollup"; taskId: string; status: TaskStatus }
  /** Nothing is left to run: the execution is over. */
  | { kind: "finish" };

const SESSION_FAILED: readonly SessionStatus[] = ["failed", "timeout", "stopped", "cancelled"];

/**
 * One step of a tree's execution, from its tasks, edges and the status of
 * each running leaf's session. Pure: the executor applies the actions and
 * calls it again until it returns none, so a restart at any point picks up
 * where the database says the tree is. Merges come out in dependency order
 * (prerequisites first), so the integration branch gets changes in that order.
 */
export function planTreeStep(
  tree: { tasks: readonly Task[]; dependencies: readonly TaskDependency[] },
  sessionStatus: ReadonlyMap<string, SessionStatus>,
): TreeAction[] {
  const byId = new Map(tree.tasks.map((t) => [t.id, t]));
  const parents = new Set(tree.tasks.flatMap((t) => (t.parentTaskId ? [t.parentTaskId] : [])));
  const status = new Map(tree.tasks.map((t) => [t.id, t.status]));
  const depsOf = (id: string) =>
    tree.dependencies
      .filter((d) => d.taskId === id && byId.has(d.dependsOnTaskId))
      .map((d) => ({ type: d.type, prerequisite: status.get(d.dependsOnTaskId)!, id: d.dependsOnTaskId }));
  // A parent's edges bind each of its leaves: a leaf inherits its ancestors' prerequisites.
  const inherited = (t: Task) => {
    const out = depsOf(t.id);
    for (
      let p = t.parentTaskId ? byId.get(t.parentTaskId) : undefined;
      p;
      p = p.parentTaskId ? byId.get(p.parentTaskId) : undefined
    )
      out.push(...depsOf(p.id));
    return out;
  };
  const actions: TreeAction[] = [];
  const leaves = orderLeaves(tree.tasks, parents, (t) => inherited(t).map((d) => d.id));

  for (const leaf of leaves) {
    const deps = inherited(leaf);
    const s = leaf.sessionId ? sessionStatus.get(leaf.sessionId) : undefined;
    if (leaf.status === "running" && s) {
      if (s === "completed" && canFinish(deps)) {
        // Still running until the merge ran: its dependants start in the next step, on the merged head.
        actions.push({ kind: "merge", taskId: leaf.id, sessionId: leaf.sessionId! });
      } else if (SESSION_FAILED.includes(s)) {
        actions.push({ kind: "fail", taskId: leaf.id, message: `its session ended ${s}` });
        status.set(leaf.id, "failed");
      }
      continue;
    }
    if (!TASK_NOT_STARTED.includes(leaf.status)) continue;
    const blocked = deps.filter((d) => isBlockedBy([d]));
    if (blocked.length > 0) {
      const names = blocked.map((d) => `"${byId.get(d.id)!.title}" ${status.get(d.id)}`);
      actions.push({ kind: "block", taskId: leaf.id, message: `prerequisite ${names.join(", ")}` });
      status.set(leaf.id, "blocked");
    } else if (canStart(deps)) {
      actions.push({ kind: "start", taskId: leaf.id });
      status.set(leaf.id, "running");
    }
  }

  // A merge's outcome (completed, or failed on a conflict) is only known once it ran: roll up next step.
  if (actions.some((a) => a.kind === "merge")) return actions;

  // Parents, deepest first, so a grandparent sees its children's new statuses.
  const depth = (t: Task): number =>
    t.parentTaskId && byId.has(t.parentTaskId) ? 1 + depth(byId.get(t.parentTaskId)!) : 0;
  for (const p of tree.tasks.filter((t) => parents.has(t.id)).sort((a, b) => depth(b) - depth(a))) {
    const rolled = rollUp(
      tree.tasks.filter((t) => t.parentTaskId === p.id).map((t) => ({ status: status.get(t.id)! })),
    ).status;
    if (rolled !== p.status) actions.push({ kind: "rollup", taskId: p.id, status: rolled });
    status.set(p.id, rolled);
  }

  const open = leaves.some((l) => ["pending", "ready", "running"].includes(status.get(l.id)!));
  if (!open) actions.push({ kind: "finish" });
  return actions;
}

/**
 * Leaves in dependency order (prerequisites first, then position), so merges
 * land in that order. A leaf ranks after every prerequisite it has, its
 * ancestors' included; a parent as a prerequisite ranks as its last leaf.
 */
function orderLeaves(
  tasks: readonly Task[],
  parents: ReadonlySet<string>,
  prerequisitesOf: (t: Task) => string[],
): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const children = new Map<string, Task[]>();
  for (const t of tasks) if (t.parentTaskId) children.set(t.parentTaskId, [...(children.get(t.parentTaskId) ?? []), t]);
  const rank = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    if (rank.has(id)) return rank.get(id)!;
    const t = byId.get(id);
    if (!t || visiting.has(id)) return 0; // cycles are refused when edges are added; never loop here
    visiting.add(id);
    const r = parents.has(id)
      ? Math.max(0, ...(children.get(id) ?? []).map((c) => visit(c.id)))
      : Math.max(-1, ...prerequisitesOf(t).map(visit)) + 1;
    rank.set(id, r);
    return r;
  };
  const leaves = tasks.filter((t) => !parents.has(t.id));
  return [...leaves].sort((a, b) => visit(a.id) - visit(b.id) || a.position - b.position || a.id.localeCompare(b.id));
}
