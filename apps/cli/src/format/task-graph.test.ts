import { describe, expect, it } from "vitest";
import { createColors } from "./colors";
import { formatCriticalPath, formatTaskGraph, graphKey, renderTaskGraph, titleLabel } from "./task-graph";
import { assignColumns, layoutTaskGraph, leafGraph, type Graph, type GraphNode } from "./task-graph-layout";
import { graphFixture, taskIds } from "./task-fixture";

const plain = createColors(false);

/** A leaf of a hand-made graph, titled by its id. */
function node(id: string, hours: number, earliestStart: number, slack = 0, over: Partial<GraphNode> = {}): GraphNode {
  return {
    id,
    title: id,
    status: "pending",
    parentTaskId: "R",
    leaf: true,
    hours,
    complexity: "simple",
    earliestStart,
    earliestFinish: earliestStart + hours,
    latestStart: earliestStart + slack,
    latestFinish: earliestStart + hours + slack,
    slack,
    critical: slack === 0,
    ...over,
  };
}
const edge = (taskId: string, dependsOnTaskId: string) => ({
  id: `${taskId}<${dependsOnTaskId}`,
  taskId,
  dependsOnTaskId,
  type: "finish_to_start" as const,
  critical: false,
});

describe("layoutTaskGraph", () => {
  it("puts the tasks in columns by earliest start and rows by their prerequisites", () => {
    const layout = layoutTaskGraph(graphFixture());
    const where = (id: string) => layout.columns.flat().find((el) => el.node?.id === id);
    expect(
      [taskIds.a, taskIds.d, taskIds.b, taskIds.c, taskIds.e].map((id) => [where(id)?.column, where(id)?.row]),
    ).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      // E waits for B (row 0) and C (row 1): it sits level with the later one, on the critical path's row.
      [2, 1],
    ]);
    expect(layout.rows).toBe(2);
    // A fans out to B and C, B and C fan in to E: one bus each.
    expect(layout.channels.map((ch) => ch.buses.map((b) => [b.sources, b.targets.map((t) => t.row)]))).toEqual([
      [[[0], [0, 1]]],
      [[[0, 1], [1]]],
    ]);
  });

  it("keeps a dependant right of its prerequisite even when it may start with it (start_to_start)", () => {
    const nodes = [node("A", 2, 0), node("B", 1, 0)];
    expect([...assignColumns(nodes, [{ from: "A", to: "B" }])]).toEqual([
      ["A", 0],
      ["B", 1],
    ]);
    // No dependency: same start, same column.
    expect([...assignColumns(nodes, [])]).toEqual([
      ["A", 0],
      ["B", 0],
    ]);
  });

  it("hands a parent's dependency to every leaf under it", () => {
    const g: Graph = {
      nodes: [
        node("P1", 2, 0, 0, { leaf: false }),
        node("P2", 1, 2, 0, { leaf: false }),
        node("A", 1, 0, 1, { parentTaskId: "P1" }),
        node("B", 2, 0, 0, { parentTaskId: "P1" }),
        node("C", 1, 2, 0, { parentTaskId: "P2" }),
      ],
      edges: [edge("P2", "P1")],
      criticalPath: ["B", "C"],
      totalHours: 3,
    };
    expect(leafGraph(g)).toEqual({
      leaves: g.nodes.slice(2),
      edges: [
        { from: "A", to: "C" },
        { from: "B", to: "C" },
      ],
    });
  });
});

describe("renderTaskGraph", () => {
  it("draws the hand-made DAG with its edges, hours, slack and the critical path marked *", () => {
    expect(formatTaskGraph(graphFixture(), plain, 200).split("\n")).toEqual([
      "*Design the schema (2h, slack 0) ─┬─▶ Create endpoint (1h, slack 2h) ─┐",
      "Write the docs (1h, slack 6h)     └─▶ *Read endpoint (3h, slack 0) ───┴─▶ *Tests (2h, slack 0)",
      "",
      "critical path: Design the schema → Read endpoint → Tests (7 h)",
    ]);
  });

  it("shows the critical path in bold red instead of * when colour is on", () => {
    const c = createColors(true);
    const out = formatTaskGraph(graphFixture(), c, 200);
    expect(out).not.toContain("*");
    expect(out).toContain(c.bold(c.red("Design the schema (2h, slack 0)")));
    expect(out).toContain("Create endpoint (1h, slack 2h) ─");
  });

  it("shortens titles to fit the width", () => {
    const lines = formatTaskGraph(graphFixture(), plain, 90).split("\n");
    expect(Math.max(...lines.slice(0, 2).map((l) => l.length))).toBeLessThanOrEqual(90);
    expect(lines[0]).toBe("*Design the s… (2h, slack 0) ─┬─▶ Create endpo… (1h, slack 2h) ─┐");
    expect(lines.at(-1)).toBe("critical path: Design the schema → Read endpoint → Tests (7 h)");
  });

  it("draws keys with hours/slack and a legend when titles cannot fit", () => {
    expect(formatTaskGraph(graphFixture(), plain, 60).split("\n")).toEqual([
      "*A 2h/0 ─┬─▶ C 1h/2h ─┐",
      "B 1h/6h  └─▶ *D 3h/0 ─┴─▶ *E 2h/0",
      "",
      "KEY  ID        HOURS  SLACK  TITLE",
      "*A   a0000000    2 h      0  Design the schema",
      "B    d0000000    1 h    6 h  Write the docs",
      "C    b0000000    1 h    2 h  Create endpoint",
      "*D   c0000000    3 h      0  Read endpoint",
      "*E   e0000000    2 h      0  Tests",
      "",
      "critical path: A → D → E (7 h)",
    ]);
    expect([0, 25, 26, 27, 701, 702].map(graphKey)).toEqual(["A", "Z", "AA", "AB", "ZZ", "AAA"]);
  });

  it("runs a long edge through the columns it crosses, and routes a partial fan-in without false joins", () => {
    // A → B, A → G, F → G (A and F do not both feed B), and A → E across B's column.
    const g: Graph = {
      nodes: [node("A", 1, 0), node("F", 1, 0, 1), node("B", 1, 1, 1), node("G", 2, 1), node("E", 1, 3)],
      edges: [edge("B", "A"), edge("G", "A"), edge("G", "F"), edge("E", "B"), edge("E", "G")],
      criticalPath: ["A", "G", "E"],
      totalHours: 4,
    };
    expect(renderTaskGraph(layoutTaskGraph(g), plain, titleLabel(40, plain)).split("\n")).toEqual([
      "*A (1h, slack 0) ─┬───▶ B (1h, slack 1h) ─┐",
      "F (1h, slack 1h) ─┴───▶ *G (2h, slack 0) ─┴─▶ *E (1h, slack 0)",
    ]);
    const long: Graph = {
      ...g,
      edges: [...g.edges, edge("E", "A")],
      nodes: [...g.nodes.slice(0, 4), node("E", 1, 3), node("H", 1, 4)],
    };
    long.edges.push(edge("H", "A"));
    const lines = renderTaskGraph(layoutTaskGraph(long), plain, titleLabel(40, plain)).split("\n");
    // E also waits for A, H only for A: both lines pass below B and G (E's joins its fan-in), H's runs straight on.
    expect(lines).toEqual([
      "*A (1h, slack 0) ─┬─┬─▶ B (1h, slack 1h) ─┐",
      "F (1h, slack 1h) ─┴─┼─▶ *G (2h, slack 0) ─┼─▶ *E (1h, slack 0)",
      "                    ├─────────────────────┘",
      "                    └─────────────────────────────────────────────▶ *H (1h, slack 0)",
    ]);
  });
});

describe("formatCriticalPath", () => {
  it("joins side-by-side critical tasks with |", () => {
    const g: Graph = {
      nodes: [node("Design", 1, 0), node("Create", 1, 1), node("Read", 1, 1), node("Tests", 2, 2)],
      edges: [],
      criticalPath: ["Design", "Create", "Read", "Tests"],
      totalHours: 4,
    };
    expect(formatCriticalPath(g, plain)).toBe("critical path: Design → Create | Read → Tests (4 h)");
  });
});
