import { DependencyCycleError, InvalidInputError } from "../errors";
import type { DependencyType } from "./task";

// Readiness lives in its own file; this module is where callers look for all graph rules.
export { canFinish, canStart, computeReadiness, isBlockedBy, type DependencyState } from "./task-readiness";

/** An edge as the graph maths needs it: `taskId` waits on `dependsOnTaskId`. */
export interface DependencyEdge {
  taskId: string;
  dependsOnTaskId: string;
}

// --- cycles -----------------------------------------------------------------

/** taskId → its prerequisites, sorted so every walk is deterministic. */
function prerequisitesOf(edges: readonly DependencyEdge[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    const list = out.get(e.taskId) ?? [];
    if (!list.includes(e.dependsOnTaskId)) list.push(e.dependsOnTaskId);
    out.set(e.taskId, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/**
 * Would adding `added` close a cycle? Returns the cycle's ids in order, each
 * depending on the next, starting and ending with `added.taskId` (a self
 * edge gives [id, id]), or null. The existing edges are taken to be acyclic
 * (they were checked when added); the search is breadth-first, so the
 * shortest cycle through the new edge is the one named.
 */
export function findCycle(edges: readonly DependencyEdge[], added: DependencyEdge): string[] | null {
  const { taskId: from, dependsOnTaskId: to } = added;
  if (from === to) return [from, from];
  const prereqs = prerequisitesOf(edges);
  // Is `from` already a (transitive) prerequisite of `to`?
  const cameFrom = new Map<string, string>([[to, to]]);
  const queue = [to];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    for (const next of prereqs.get(node) ?? []) {
      if (cameFrom.has(next)) continue;
      cameFrom.set(next, node);
      if (next === from) {
        const chain = [from];
        for (let n = from; n !== to;) chain.push((n = cameFrom.get(n)!));
        // chain runs from → … → to backwards along "depends on"; the cycle reads from → to → … → from.
        return [from, ...chain.slice(1).reverse(), from];
      }
      queue.push(next);
    }
  }
  return null;
}

/** Some cycle among `ids` (each depending on the next, first == last); used to name what blocks a sort. */
function someCycle(ids: readonly string[], edges: readonly DependencyEdge[]): string[] {
  const prereqs = prerequisitesOf(edges);
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, "open");
    stack.push(id);
    for (const next of prereqs.get(id) ?? []) {
      if (state.get(next) === "open") return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, "done");
    return null;
  };
  for (const id of [...ids].sort())
    if (!state.has(id)) {
      const found = visit(id);
      if (found) return found;
    }
  throw new Error("someCycle called on an acyclic graph");
}

// --- ordering ---------------------------------------------------------------

function checkUnique(ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      throw new InvalidInputError(`task ${id} is listed twice`, [{ path: "nodes", reason: `duplicate id ${id}` }]);
    seen.add(id);
  }
}

/**
 * Prerequisites first. Among tasks free at the same time the one listed
 * first in `ids` goes first, so callers choose the tie order (creation order,
 * say). Edges with an end outside `ids` are ignored: a dependency on a task
 * outside the set does not order the set. Throws DependencyCycleError.
 */
export function topologicalOrder(ids: readonly string[], edges: readonly DependencyEdge[]): string[] {
  checkUnique(ids);
  const position = new Map(ids.map((id, i) => [id, i]));
  const inside = edges.filter((e) => position.has(e.taskId) && position.has(e.dependsOnTaskId));
  const waitingOn = new Map(ids.map((id) => [id, 0]));
  const dependants = new Map<string, string[]>();
  for (const e of inside) {
    waitingOn.set(e.taskId, waitingOn.get(e.taskId)! + 1);
    (dependants.get(e.dependsOnTaskId) ?? dependants.set(e.dependsOnTaskId, []).get(e.dependsOnTaskId)!).push(e.taskId);
  }
  // Free tasks kept sorted by position; graphs are task trees (tens to hundreds), so a sorted array is enough.
  const free = ids.filter((id) => waitingOn.get(id) === 0);
  const order: string[] = [];
  while (free.length > 0) {
    const id = free.shift()!;
    order.push(id);
    for (const d of dependants.get(id) ?? []) {
      const left = waitingOn.get(d)! - 1;
      waitingOn.set(d, left);
      if (left === 0) {
        const at = free.findIndex((f) => position.get(f)! > position.get(d)!);
        free.splice(at === -1 ? free.length : at, 0, d);
      }
    }
  }
  if (order.length < ids.length) {
    const stuck = ids.filter((id) => waitingOn.get(id)! > 0);
    throw new DependencyCycleError(someCycle(stuck, inside));
  }
  return order;
}

// --- critical path ----------------------------------------------------------

/** When a task can and must run, in hours from the project's start. */
export interface Schedule {
  earliestStart: number;
  earliestFinish: number;
  latestStart: number;
  latestFinish: number;
  /** latestStart − earliestStart: how long the task can slip without moving the end. */
  slack: number;
}

export interface CriticalPath {
  /** Every zero-slack task, by earliest start, then prerequisites first. */
  path: string[];
  /** When the last task finishes at the earliest: the longest path, weighted by hours. */
  totalHours: number;
  schedule: Record<string, Schedule>;
}

/** Float sums taken in different orders differ in the last bits; below this, slack is zero. */
const SLACK_EPSILON = 1e-9;

/**
 * The critical path method over a task DAG whose nodes weigh their expected
 * hours (so one long task outweighs a chain of short ones). Each dependency
 * type is a constraint between a prerequisite a and a dependant b:
 *   finish_to_start  ES(b) ≥ EF(a)      start_to_start   ES(b) ≥ ES(a)
 *   finish_to_finish EF(b) ≥ EF(a)      start_to_finish  EF(b) ≥ ES(a)
 * and every ES ≥ 0. The forward pass gives the earliest schedule, the end is
 * the largest EF, and the backward pass gives the latest schedule that still
 * ends then. Edges with an end outside `nodes` are ignored. Throws
 * DependencyCycleError on a cycle and InvalidInputError on negative hours.
 */
export function computeCriticalPath(
  nodes: readonly { id: string; hours: number }[],
  edges: readonly (DependencyEdge & { type: DependencyType })[],
): CriticalPath {
  const hours = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (!Number.isFinite(n.hours) || n.hours < 0)
      throw new InvalidInputError(`task ${n.id} has invalid hours ${n.hours}`, [
        { path: `nodes.${i}.hours`, reason: "must be a finite number ≥ 0" },
      ]);
    hours.set(n.id, n.hours);
  });
  const order = topologicalOrder(
    nodes.map((n) => n.id),
    edges,
  );
  const d = (id: string) => hours.get(id)!;
  type Edge = DependencyEdge & { type: DependencyType };
  const into = new Map<string, Edge[]>();
  const outOf = new Map<string, Edge[]>();
  const add = (m: Map<string, Edge[]>, id: string, e: Edge) => (m.get(id) ?? m.set(id, []).get(id)!).push(e);
  for (const e of edges) {
    if (!hours.has(e.taskId) || !hours.has(e.dependsOnTaskId)) continue;
    add(into, e.taskId, e);
    add(outOf, e.dependsOnTaskId, e);
  }

  const es = new Map<string, number>();
  for (const b of order) {
    let start = 0;
    for (const e of into.get(b) ?? []) {
      const a = e.dependsOnTaskId;
      const esA = es.get(a)!;
      start = Math.max(start, earliestStartAfter(e.type, esA, d(a), d(b)));
    }
    es.set(b, start);
  }
  const totalHours = order.reduce((max, id) => Math.max(max, es.get(id)! + d(id)), 0);

  const lf = new Map<string, number>();
  for (const a of [...order].reverse()) {
    let finish = totalHours;
    for (const e of outOf.get(a) ?? []) {
      const b = e.taskId;
      const lfB = lf.get(b)!;
      const lsB = lfB - d(b);
      const bound = {
        finish_to_start: lsB,
        start_to_start: lsB + d(a),
        finish_to_finish: lfB,
        start_to_finish: lfB + d(a),
      }[e.type];
      finish = Math.min(finish, bound);
    }
    lf.set(a, finish);
  }

  const schedule: Record<string, Schedule> = {};
  for (const id of order) {
    const earliestStart = es.get(id)!;
    const latestFinish = lf.get(id)!;
    const latestStart = latestFinish - d(id);
    const slack = latestStart - earliestStart;
    schedule[id] = {
      earliestStart,
      earliestFinish: earliestStart + d(id),
      latestStart,
      latestFinish,
      slack: Math.abs(slack) < SLACK_EPSILON ? 0 : slack,
    };
  }
  const rank = new Map(order.map((id, i) => [id, i]));
  const path = order
    .filter((id) => schedule[id]!.slack === 0)
    .sort((x, y) => schedule[x]!.earliestStart - schedule[y]!.earliestStart || rank.get(x)! - rank.get(y)!);
  return { path, totalHours, schedule };
}

/**
 * Whether an edge is one the critical path runs along: both its tasks have
 * zero slack and the edge binds, i.e. the dependant's earliest schedule is
 * exactly where this prerequisite puts it (for finish_to_start: the
 * prerequisite's earliest finish is the dependant's earliest start). A
 * critical task with two critical prerequisites that finish together has two
 * critical incoming edges; an edge between critical tasks whose constraint
 * leaves a gap (the dependant waits on something else) is not critical.
 */
export function isCriticalEdge(type: DependencyType, prerequisite: Schedule, dependant: Schedule): boolean {
  if (prerequisite.slack !== 0 || dependant.slack !== 0) return false;
  const hoursOf = (s: Schedule) => s.earliestFinish - s.earliestStart;
  const gap =
    dependant.earliestStart -
    earliestStartAfter(type, prerequisite.earliestStart, hoursOf(prerequisite), hoursOf(dependant));
  return Math.abs(gap) < SLACK_EPSILON;
}

/**
 * The earliest start a dependant of `hoursB` may have under one edge to a
 * prerequisite starting at `startA` and lasting `hoursA`: each dependency
 * type's constraint (see computeCriticalPath) solved for ES(b).
 */
function earliestStartAfter(type: DependencyType, startA: number, hoursA: number, hoursB: number): number {
  switch (type) {
    case "finish_to_start":
      return startA + hoursA;
    case "start_to_start":
      return startA;
    case "finish_to_finish":
      return startA + hoursA - hoursB;
    case "start_to_finish":
      return startA - hoursB;
  }
}
