import type { DependencyType } from "./task";
import { computeCriticalPath, isCriticalEdge } from "./task-graph";

/** A task of a tree as the schedule needs it: its place in the tree and its expected hours. */
export interface ScheduleTask {
  id: string;
  parentTaskId: string | null;
  /** Expected hours; only leaves' count (a parent spans its leaves). */
  hours: number;
}

export interface ScheduleDependency {
  taskId: string;
  dependsOnTaskId: string;
  type: DependencyType;
}

/** One task's place in the tree's schedule, in hours from the tree's start. */
export interface TaskSchedule {
  id: string;
  leaf: boolean;
  /** A leaf's expected hours; a parent's span from its leaves' first start to their last finish. */
  hours: number;
  earliestStart: number;
  earliestFinish: number;
  latestStart: number;
  latestFinish: number;
  slack: number;
  /** A leaf on the critical path, or a parent with one under it. */
  critical: boolean;
}

export interface TreeSchedule<D extends ScheduleDependency> {
  /** Every task of the subtree, the root first, then depth first in the given order. */
  tasks: TaskSchedule[];
  /** The dependencies given, each marked critical when it binds two critical leaves it stands for. */
  dependencies: (D & { critical: boolean })[];
  criticalPath: string[];
  totalHours: number;
}

/**
 * The schedule of the subtree under `rootId`. Leaves are what runs, so the
 * critical path is computed over them: a dependency on a parent binds each of
 * its leaves (on either side), and a parent spans its leaves (the earliest of
 * their starts, the latest of their finishes, the least slack). Tasks outside
 * the subtree and dependencies with an end outside it are ignored. Throws as
 * computeCriticalPath does (a cycle, negative hours).
 */
export function computeTreeSchedule<D extends ScheduleDependency>(
  rootId: string,
  tasks: readonly ScheduleTask[],
  dependencies: readonly D[],
): TreeSchedule<D> {
  const childrenOf = new Map<string, ScheduleTask[]>();
  for (const t of tasks)
    if (t.parentTaskId !== null && t.id !== rootId)
      childrenOf.set(t.parentTaskId, [...(childrenOf.get(t.parentTaskId) ?? []), t]);
  const root = tasks.find((t) => t.id === rootId);
  if (!root) return { tasks: [], dependencies: [], criticalPath: [], totalHours: 0 };

  const inTree: ScheduleTask[] = [];
  const walk = (t: ScheduleTask) => {
    inTree.push(t);
    for (const c of childrenOf.get(t.id) ?? []) walk(c);
  };
  walk(root);
  const byId = new Map(inTree.map((t) => [t.id, t]));
  const leavesMemo = new Map<string, ScheduleTask[]>();
  const leavesUnder = (t: ScheduleTask): ScheduleTask[] => {
    let leaves = leavesMemo.get(t.id);
    if (!leaves) {
      const children = childrenOf.get(t.id) ?? [];
      leaves = children.length === 0 ? [t] : children.flatMap(leavesUnder);
      leavesMemo.set(t.id, leaves);
    }
    return leaves;
  };

  const within = dependencies.filter((d) => byId.has(d.taskId) && byId.has(d.dependsOnTaskId));
  const leafEdges = new Map<string, ScheduleDependency>();
  for (const d of within)
    for (const to of leavesUnder(byId.get(d.taskId)!))
      for (const from of leavesUnder(byId.get(d.dependsOnTaskId)!))
        leafEdges.set(`${to.id}|${from.id}`, { taskId: to.id, dependsOnTaskId: from.id, type: d.type });
  const cp = computeCriticalPath(
    leavesUnder(root).map((l) => ({ id: l.id, hours: l.hours })),
    [...leafEdges.values()],
  );
  const critical = new Set(cp.path);

  const scheduled = inTree.map((t): TaskSchedule => {
    const ls = leavesUnder(t).map((l) => cp.schedule[l.id]!);
    const leaf = (childrenOf.get(t.id) ?? []).length === 0;
    const earliestStart = Math.min(...ls.map((s) => s.earliestStart));
    const earliestFinish = Math.max(...ls.map((s) => s.earliestFinish));
    return {
      id: t.id,
      leaf,
      hours: leaf ? t.hours : earliestFinish - earliestStart,
      earliestStart,
      earliestFinish,
      latestStart: Math.min(...ls.map((s) => s.latestStart)),
      latestFinish: Math.max(...ls.map((s) => s.latestFinish)),
      slack: Math.min(...ls.map((s) => s.slack)),
      critical: leavesUnder(t).some((l) => critical.has(l.id)),
    };
  });
  const marked = within.map((d) => ({
    ...d,
    critical: leavesUnder(byId.get(d.taskId)!).some((to) =>
      leavesUnder(byId.get(d.dependsOnTaskId)!).some((from) =>
        isCriticalEdge(d.type, cp.schedule[from.id]!, cp.schedule[to.id]!),
      ),
    ),
  }));
  return { tasks: scheduled, dependencies: marked, criticalPath: cp.path, totalHours: cp.totalHours };
}
