import { describe, expect, it } from "vitest";
import { DependencyCycleError, ErrorCode, InvalidInputError } from "../errors";
import type { DependencyType } from "./task";
import { computeCriticalPath, findCycle, isCriticalEdge, topologicalOrder, type Schedule } from "./task-graph";

/** `b` depends on `a` ("a → b" reads "a before b"). */
const e = (a: string, b: string, type: DependencyType = "finish_to_start") => ({ taskId: b, dependsOnTaskId: a, type });

/** Asserts a cycle is closed and that each id depends on the next through `edges`. */
function expectValidCycle(cycle: string[], edges: { taskId: string; dependsOnTaskId: string }[]) {
  expect(cycle[0]).toBe(cycle.at(-1));
  for (let i = 0; i + 1 < cycle.length; i++)
    expect(edges).toContainEqual(expect.objectContaining({ taskId: cycle[i], dependsOnTaskId: cycle[i + 1] }));
}

describe("findCycle", () => {
  it("a self edge is a cycle", () => {
    expect(findCycle([], { taskId: "a", dependsOnTaskId: "a" })).toEqual(["a", "a"]);
  });

  it("null when the new edge closes nothing", () => {
    const edges = [e("a", "b"), e("b", "c")];
    expect(findCycle(edges, { taskId: "c", dependsOnTaskId: "a" })).toBeNull(); // a redundant shortcut
    expect(findCycle(edges, { taskId: "d", dependsOnTaskId: "c" })).toBeNull();
    expect(findCycle([], { taskId: "b", dependsOnTaskId: "a" })).toBeNull();
  });

  it("a two-task cycle", () => {
    // b depends on a; now a would depend on b.
    expect(findCycle([e("a", "b")], { taskId: "a", dependsOnTaskId: "b" })).toEqual(["a", "b", "a"]);
  });

  it("names a long cycle in order: each task depends on the next, starting at the new edge's dependant", () => {
    // t0 → t1 → … → t9 (each depends on the one before); now t0 would depend on t9.
    const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const edges = ids.slice(1).map((id, i) => e(ids[i]!, id));
    const added = { taskId: "t0", dependsOnTaskId: "t9" };
    const cycle = findCycle(edges, added)!;
    expect(cycle).toEqual(["t0", "t9", "t8", "t7", "t6", "t5", "t4", "t3", "t2", "t1", "t0"]);
    expectValidCycle(cycle, [...edges, added]);
  });

  it("names the shortest cycle through the new edge, deterministically", () => {
    // a → b → c → d and a → d: d reaches a both ways; the direct edge is shorter.
    const edges = [e("a", "b"), e("b", "c"), e("c", "d"), e("a", "d")];
    expect(findCycle(edges, { taskId: "a", dependsOnTaskId: "d" })).toEqual(["a", "d", "a"]);
    expect(findCycle([...edges].reverse(), { taskId: "a", dependsOnTaskId: "d" })).toEqual(["a", "d", "a"]);
  });

  it("walks through diamonds without repeating tasks", () => {
    const edges = [e("a", "b"), e("a", "c"), e("b", "d"), e("c", "d"), e("d", "x")];
    const added = { taskId: "a", dependsOnTaskId: "x" };
    const cycle = findCycle(edges, added)!;
    expect(cycle).toEqual(["a", "x", "d", "b", "a"]);
    expectValidCycle(cycle, [...edges, added]);
  });
});

describe("topologicalOrder", () => {
  it("puts prerequisites first and breaks ties by the order given", () => {
    expect(topologicalOrder(["c", "b", "a"], [e("a", "b")])).toEqual(["c", "a", "b"]);
    expect(topologicalOrder(["a", "b", "c", "d"], [e("a", "d"), e("b", "d"), e("c", "d")])).toEqual([
      "a",
      "b",
      "c",
      "d",
    ]);
    expect(topologicalOrder(["d", "c", "b", "a"], [e("a", "d"), e("b", "d"), e("c", "d")])).toEqual([
      "c",
      "b",
      "a",
      "d",
    ]);
  });

  it("a freed task goes ahead of later-listed free ones", () => {
    // a frees x (listed second), which goes before y (listed third).
    expect(topologicalOrder(["a", "x", "y"], [e("a", "x")])).toEqual(["a", "x", "y"]);
  });

  it("ignores edges to tasks outside the set", () => {
    expect(topologicalOrder(["a", "b"], [e("outside", "a"), e("a", "b")])).toEqual(["a", "b"]);
  });

  it("throws DependencyCycleError naming a cycle", () => {
    const edges = [e("a", "b"), e("b", "c"), e("c", "a"), e("c", "d")];
    const error = (() => {
      try {
        topologicalOrder(["a", "b", "c", "d"], edges);
      } catch (err) {
        return err as DependencyCycleError;
      }
    })()!;
    expect(error).toBeInstanceOf(DependencyCycleError);
    expect(error.code).toBe(ErrorCode.DEPENDENCY_CYCLE);
    expect(error.cycle).toHaveLength(4);
    expectValidCycle([...error.cycle], edges);
    expect(error.message).toBe(`dependency cycle: ${error.cycle.join(" → ")}`);
    expect(error.context).toEqual({ cycle: error.cycle });
  });

  it("refuses a task listed twice", () => {
    expect(() => topologicalOrder(["a", "a"], [])).toThrow(InvalidInputError);
  });
});

describe("DependencyCycleError", () => {
  it("names the tasks by title when given", () => {
    const err = new DependencyCycleError(["a", "b", "a"], ["Design", "Build", "Design"]);
    expect(err.message).toBe('dependency cycle: "Design" → "Build" → "Design"');
    expect(err.context).toEqual({ cycle: ["a", "b", "a"], titles: ["Design", "Build", "Design"] });
  });
});

const sched = (earliestStart: number, earliestFinish: number, latestStart: number, latestFinish: number): Schedule => ({
  earliestStart,
  earliestFinish,
  latestStart,
  latestFinish,
  slack: latestStart - earliestStart,
});

describe("computeCriticalPath", () => {
  it("weighs hours, not edges: one long task beats a longer chain of short ones", () => {
    //        ┌─ B(1) ─ C(1) ─ D(1) ─┐
    //  A(2) ─┤        E(3) ──┘      ├─ F(1)
    //        └─ L(8) ───────────────┘
    // By edge count the longest path is A B C D F (5 tasks, 6 h);
    // by hours it is A L F (3 tasks, 11 h).
    const nodes = [
      { id: "A", hours: 2 },
      { id: "B", hours: 1 },
      { id: "C", hours: 1 },
      { id: "D", hours: 1 },
      { id: "E", hours: 3 },
      { id: "L", hours: 8 },
      { id: "F", hours: 1 },
    ];
    const edges = [e("A", "B"), e("B", "C"), e("C", "D"), e("E", "D"), e("D", "F"), e("A", "L"), e("L", "F")];
    const cp = computeCriticalPath(nodes, edges);
    expect(cp.totalHours).toBe(11);
    expect(cp.path).toEqual(["A", "L", "F"]);
    expect(cp.schedule).toEqual({
      //        ES  EF  LS  LF
      A: sched(0, 2, 0, 2), //  slack 0
      B: sched(2, 3, 7, 8), //  slack 5
      C: sched(3, 4, 8, 9), //  slack 5
      D: sched(4, 5, 9, 10), // slack 5: waits for C (4), not E (3)
      E: sched(0, 3, 6, 9), //  slack 6
      L: sched(2, 10, 2, 10), // slack 0
      F: sched(10, 11, 10, 11), // slack 0
    });
    expect(nodes.map((n) => cp.schedule[n.id]!.slack)).toEqual([0, 5, 5, 5, 6, 0, 0]);
  });

  it("honours start_to_start, finish_to_finish and start_to_finish", () => {
    // P(4) ─FS→ R(6) ─FF→ S(3) ─FS→ U(2)
    // P ─SS→ Q(2): Q may start with P.   R ─SF→ T(1): T may not finish before R starts.
    const nodes = [
      { id: "P", hours: 4 },
      { id: "Q", hours: 2 },
      { id: "R", hours: 6 },
      { id: "S", hours: 3 },
      { id: "T", hours: 1 },
      { id: "U", hours: 2 },
    ];
    const edges = [
      e("P", "Q", "start_to_start"),
      e("P", "R"),
      e("R", "S", "finish_to_finish"),
      e("R", "T", "start_to_finish"),
      e("S", "U"),
    ];
    const cp = computeCriticalPath(nodes, edges);
    expect(cp.totalHours).toBe(12);
    expect(cp.schedule).toEqual({
      P: sched(0, 4, 0, 4),
      Q: sched(0, 2, 10, 12), // SS: starts with P; nothing follows it
      R: sched(4, 10, 4, 10),
      S: sched(7, 10, 7, 10), // FF: finishes no earlier than R (10), so starts at 7
      T: sched(3, 4, 11, 12), // SF: finishes no earlier than R starts (4), so starts at 3
      U: sched(10, 12, 10, 12),
    });
    expect(cp.path).toEqual(["P", "R", "S", "U"]);
  });

  it("puts start_to_start and start_to_finish edges on the critical path when they bind", () => {
    // Y(6) ─FS→ W(1) ─SF→ V(4) ─FS→ X(10); and W ─SS→ Z(3).
    // V may not finish before W starts (6): V runs 2–6, and X follows V.
    const nodes = [
      { id: "Y", hours: 6 },
      { id: "W", hours: 1 },
      { id: "V", hours: 4 },
      { id: "X", hours: 10 },
      { id: "Z", hours: 10 },
    ];
    const edges = [e("Y", "W"), e("W", "V", "start_to_finish"), e("V", "X"), e("W", "Z", "start_to_start")];
    const cp = computeCriticalPath(nodes, edges);
    expect(cp.totalHours).toBe(16);
    expect(cp.schedule).toEqual({
      Y: sched(0, 6, 0, 6),
      W: sched(6, 7, 6, 7), // LF(W) ≤ LF(V) + 1 (SF) and ≤ LS(Z) + 1 (SS)
      V: sched(2, 6, 2, 6),
      X: sched(6, 16, 6, 16),
      Z: sched(6, 16, 6, 16), // SS: starts with W
    });
    // Every task is critical; ordered by earliest start, ties prerequisites first.
    expect(cp.path).toEqual(["Y", "V", "W", "X", "Z"]);
  });

  it("keeps earliest starts at 0 when finish_to_finish would pull a long dependant before the start", () => {
    const cp = computeCriticalPath(
      [
        { id: "a", hours: 2 },
        { id: "b", hours: 10 },
      ],
      [e("a", "b", "finish_to_finish")],
    );
    expect(cp.schedule.b).toEqual(sched(0, 10, 0, 10));
    expect(cp.schedule.a).toEqual(sched(0, 2, 8, 10));
    expect(cp.path).toEqual(["b"]);
    expect(cp.totalHours).toBe(10);
  });

  it("parallel chains of equal length are all critical; the order is deterministic", () => {
    const nodes = ["a1", "a2", "b1", "b2"].map((id) => ({ id, hours: 2 }));
    const cp = computeCriticalPath(nodes, [e("a1", "a2"), e("b1", "b2")]);
    expect(cp.path).toEqual(["a1", "b1", "a2", "b2"]);
    expect(computeCriticalPath([...nodes].reverse(), [e("b1", "b2"), e("a1", "a2")]).path).toEqual([
      "b1",
      "a1",
      "b2",
      "a2",
    ]);
  });

  it("handles zero-hour tasks, isolated tasks and no tasks", () => {
    expect(computeCriticalPath([], [])).toEqual({ path: [], totalHours: 0, schedule: {} });
    const cp = computeCriticalPath(
      [
        { id: "milestone", hours: 0 },
        { id: "work", hours: 3 },
        { id: "alone", hours: 1 },
      ],
      [e("milestone", "work")],
    );
    expect(cp.path).toEqual(["milestone", "work"]);
    expect(cp.schedule.alone).toEqual(sched(0, 1, 2, 3));
  });

  it("survives float hours (PERT estimates) with exact zero slack on the path", () => {
    const h = (o: number, l: number, p: number) => (o + 4 * l + p) / 6;
    const nodes = [
      { id: "a", hours: h(0.1, 0.7, 1.3) },
      { id: "b", hours: h(0.3, 1.1, 2.9) },
      { id: "c", hours: h(0.2, 0.2, 0.3) },
    ];
    const cp = computeCriticalPath(nodes, [e("a", "b"), e("b", "c")]);
    expect(cp.path).toEqual(["a", "b", "c"]);
    expect(Object.values(cp.schedule).every((s) => s.slack === 0)).toBe(true);
  });

  it("throws DependencyCycleError on a cycle and InvalidInputError on bad hours", () => {
    const nodes = [
      { id: "a", hours: 1 },
      { id: "b", hours: 1 },
    ];
    expect(() => computeCriticalPath(nodes, [e("a", "b"), e("b", "a")])).toThrow(DependencyCycleError);
    expect(() => computeCriticalPath([{ id: "a", hours: -1 }], [])).toThrow(InvalidInputError);
    expect(() => computeCriticalPath([{ id: "a", hours: Number.NaN }], [])).toThrow(InvalidInputError);
  });

  it("ignores edges to tasks outside the set", () => {
    const cp = computeCriticalPath([{ id: "a", hours: 1 }], [e("elsewhere", "a")]);
    expect(cp.schedule.a).toEqual(sched(0, 1, 0, 1));
  });
});

describe("isCriticalEdge", () => {
  const critical = (nodes: { id: string; hours: number }[], edges: ReturnType<typeof e>[]) => {
    const cp = computeCriticalPath(nodes, edges);
    return Object.fromEntries(
      edges.map((x) => [
        `${x.dependsOnTaskId}→${x.taskId}`,
        isCriticalEdge(x.type, cp.schedule[x.dependsOnTaskId]!, cp.schedule[x.taskId]!),
      ]),
    );
  };

  it("marks every binding edge between critical tasks: two critical prerequisites that finish together both lead in", () => {
    // Design(2) → Create(3) → Tests(1), Design → Read(3) → Tests: both branches are critical.
    const nodes = [
      { id: "Design", hours: 2 },
      { id: "Create", hours: 3 },
      { id: "Read", hours: 3 },
      { id: "Tests", hours: 1 },
    ];
    expect(
      critical(nodes, [e("Design", "Create"), e("Design", "Read"), e("Create", "Tests"), e("Read", "Tests")]),
    ).toEqual({
      "Design→Create": true,
      "Design→Read": true,
      "Create→Tests": true,
      "Read→Tests": true,
    });
  });

  it("leaves an edge between two critical tasks out when it leaves a gap (the dependant waits on another)", () => {
    // A(1) → D(3) and B(3) → C(1) both end at 4; A → C binds nothing (C waits for B until 3).
    const nodes = [
      { id: "A", hours: 1 },
      { id: "B", hours: 3 },
      { id: "C", hours: 1 },
      { id: "D", hours: 3 },
    ];
    expect(critical(nodes, [e("A", "D"), e("B", "C"), e("A", "C")])).toEqual({
      "A→D": true,
      "B→C": true,
      "A→C": false,
    });
  });

  it("reads each dependency type's own constraint", () => {
    const nodes = [
      { id: "Y", hours: 6 },
      { id: "W", hours: 1 },
      { id: "V", hours: 4 },
      { id: "X", hours: 10 },
      { id: "Z", hours: 10 },
      { id: "Q", hours: 1 },
    ];
    const edges = [
      e("Y", "W"),
      e("W", "V", "start_to_finish"),
      e("V", "X"),
      e("W", "Z", "start_to_start"),
      e("Y", "Q", "finish_to_finish"),
    ];
    expect(critical(nodes, edges)).toEqual({ "Y→W": true, "W→V": true, "V→X": true, "W→Z": true, "Y→Q": false });
    const ff = critical(
      [
        { id: "R", hours: 6 },
        { id: "S", hours: 3 },
      ],
      [e("R", "S", "finish_to_finish")],
    );
    expect(ff).toEqual({ "R→S": true });
  });
});
