import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEPENDENCY_TYPES, type DependencyType } from "./task";
import { computeCriticalPath, findCycle, topologicalOrder } from "./task-graph";

// Random DAGs: node i may depend only on nodes listed before it in creation
// order, so the graph is acyclic by construction; the ids are then shuffled
// so that the input order tells the algorithms nothing. Hours are on a
// quarter-hour grid (exact in binary floating point), plus some PERT-like
// thirds and sixths to exercise the slack epsilon.

interface Dag {
  nodes: { id: string; hours: number }[];
  edges: { taskId: string; dependsOnTaskId: string; type: DependencyType }[];
}

const hoursArb = fc.oneof(
  fc.integer({ min: 0, max: 80 }).map((q) => q / 4),
  fc.integer({ min: 1, max: 60 }).map((s) => s / 6),
);

const dagArb = (types: readonly DependencyType[]): fc.Arbitrary<Dag> =>
  fc
    .integer({ min: 1, max: 12 })
    .chain((n) =>
      fc.record({
        hours: fc.array(hoursArb, { minLength: n, maxLength: n }),
        // Pairs (a, b) with a < b, drawn directly: a filter would never succeed with one node.
        edges:
          n < 2
            ? fc.constant([] as [number, number, DependencyType][])
            : fc.uniqueArray(
                fc
                  .tuple(fc.nat({ max: n - 2 }), fc.nat({ max: n - 2 }), fc.constantFrom(...types))
                  .map(([x, y, type]): [number, number, DependencyType] => (x <= y ? [x, y + 1, type] : [y, x, type])),
                { maxLength: 3 * n, selector: ([a, b]) => `${a}-${b}` },
              ),
        order: fc.shuffledSubarray(
          Array.from({ length: n }, (_, i) => i),
          { minLength: n, maxLength: n },
        ),
      }),
    )
    .map(({ hours, edges, order }) => ({
      nodes: order.map((i) => ({ id: `t${i}`, hours: hours[i]! })),
      edges: edges.map(([a, b, type]) => ({ taskId: `t${b}`, dependsOnTaskId: `t${a}`, type })),
    }));

const RUNS = { numRuns: 300 };
const EPS = 1e-9;

/** The constraint each dependency type puts on a schedule (start s, duration d). */
function holds(type: DependencyType, sa: number, da: number, sb: number, db: number): boolean {
  switch (type) {
    case "finish_to_start":
      return sb >= sa + da - EPS;
    case "start_to_start":
      return sb >= sa - EPS;
    case "finish_to_finish":
      return sb + db >= sa + da - EPS;
    case "start_to_finish":
      return sb + db >= sa - EPS;
  }
}

describe("task graph properties", () => {
  it("topologicalOrder lists every task once, prerequisites first", () => {
    fc.assert(
      fc.property(dagArb(DEPENDENCY_TYPES), ({ nodes, edges }) => {
        const order = topologicalOrder(
          nodes.map((n) => n.id),
          edges,
        );
        expect([...order].sort()).toEqual(nodes.map((n) => n.id).sort());
        const at = new Map(order.map((id, i) => [id, i]));
        for (const e of edges) expect(at.get(e.dependsOnTaskId)!).toBeLessThan(at.get(e.taskId)!);
      }),
      RUNS,
    );
  });

  it("findCycle finds a cycle exactly when the new edge's prerequisite already waits on its dependant", () => {
    fc.assert(
      fc.property(dagArb(["finish_to_start"]), fc.nat(), fc.nat(), ({ nodes, edges }, i, j) => {
        const from = nodes[i % nodes.length]!.id;
        const to = nodes[j % nodes.length]!.id;
        const cycle = findCycle(edges, { taskId: from, dependsOnTaskId: to });
        // Is `from` reachable from `to` along "depends on"?
        const reach = new Set([to]);
        for (let grew = true; grew;) {
          grew = false;
          for (const e of edges)
            if (reach.has(e.taskId) && !reach.has(e.dependsOnTaskId)) {
              reach.add(e.dependsOnTaskId);
              grew = true;
            }
        }
        expect(cycle !== null).toBe(reach.has(from));
        if (cycle) {
          expect(cycle[0]).toBe(from);
          expect(cycle.at(-1)).toBe(from);
          expect(new Set(cycle.slice(0, -1)).size).toBe(cycle.length - 1);
          const all = [...edges, { taskId: from, dependsOnTaskId: to }];
          for (let k = 0; k + 1 < cycle.length; k++)
            expect(all.some((e) => e.taskId === cycle[k] && e.dependsOnTaskId === cycle[k + 1])).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it("critical path: both schedules feasible, slack ≥ 0, path tasks have slack 0 and the path reaches the end", () => {
    fc.assert(
      fc.property(dagArb(DEPENDENCY_TYPES), ({ nodes, edges }) => {
        const { path, totalHours, schedule } = computeCriticalPath(nodes, edges);
        const d = new Map(nodes.map((n) => [n.id, n.hours]));
        for (const n of nodes) {
          const s = schedule[n.id]!;
          expect(s.slack).toBeGreaterThanOrEqual(0);
          expect(s.earliestStart).toBeGreaterThanOrEqual(0);
          expect(s.latestStart).toBeGreaterThanOrEqual(-EPS);
          expect(s.latestFinish).toBeLessThanOrEqual(totalHours + EPS);
          expect(s.earliestFinish).toBeCloseTo(s.earliestStart + n.hours, 9);
          expect(totalHours).toBeGreaterThanOrEqual(n.hours);
          expect(path.includes(n.id)).toBe(s.slack === 0);
        }
        for (const e of edges) {
          const [a, b] = [schedule[e.dependsOnTaskId]!, schedule[e.taskId]!];
          const [da, db] = [d.get(e.dependsOnTaskId)!, d.get(e.taskId)!];
          expect(holds(e.type, a.earliestStart, da, b.earliestStart, db)).toBe(true);
          expect(holds(e.type, a.latestStart, da, b.latestStart, db)).toBe(true);
        }
        expect(totalHours).toBeCloseTo(Math.max(...nodes.map((n) => schedule[n.id]!.earliestFinish)), 9);
        // Some critical task ends the project.
        expect(path.some((id) => Math.abs(schedule[id]!.earliestFinish - totalHours) < EPS)).toBe(true);
        // The path is in earliest-start order.
        for (let k = 1; k < path.length; k++)
          expect(schedule[path[k]!]!.earliestStart).toBeGreaterThanOrEqual(schedule[path[k - 1]!]!.earliestStart);
      }),
      RUNS,
    );
  });

  it("with finish_to_start only, totalHours is the heaviest path by hours (checked by brute force)", () => {
    fc.assert(
      fc.property(dagArb(["finish_to_start"]), ({ nodes, edges }) => {
        const d = new Map(nodes.map((n) => [n.id, n.hours]));
        const heaviest = (id: string): number =>
          d.get(id)! + Math.max(0, ...edges.filter((e) => e.dependsOnTaskId === id).map((e) => heaviest(e.taskId)));
        const expected = Math.max(...nodes.map((n) => heaviest(n.id)));
        expect(computeCriticalPath(nodes, edges).totalHours).toBeCloseTo(expected, 9);
      }),
      RUNS,
    );
  });

  it("does not depend on the order of nodes or edges", () => {
    fc.assert(
      fc.property(dagArb(DEPENDENCY_TYPES), ({ nodes, edges }) => {
        const a = computeCriticalPath(nodes, edges);
        const b = computeCriticalPath([...nodes].reverse(), [...edges].reverse());
        expect(b.totalHours).toBeCloseTo(a.totalHours, 9);
        expect(new Set(b.path)).toEqual(new Set(a.path));
        for (const n of nodes) expect(b.schedule[n.id]!.slack).toBeCloseTo(a.schedule[n.id]!.slack, 9);
      }),
      RUNS,
    );
  });
});
