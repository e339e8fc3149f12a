import { describe, expect, it } from "vitest";
import { createColors } from "./colors";
import { taskFixture, taskIds, treeFixture } from "./task-fixture";
import { formatTaskForest, formatTaskTree, formatWaitsFor } from "./task-tree";

const plain = createColors(false);

describe("formatTaskTree", () => {
  it("draws the tree with statuses, a progress bar for the parent, hours, dependencies and errors", () => {
    expect(formatTaskTree(treeFixture(), plain).split("\n")).toEqual([
      "00000000 Build the users API    running    ██░░░░░░░░  20%  9 h",
      "├── a0000000 Design the schema  completed                   2 h",
      "├── b0000000 Create endpoint    running                     1 h",
      "│      ← waits for Design the schema (finish_to_start)",
      "├── c0000000 Read endpoint      failed                      3 h",
      "│      ← waits for Design the schema (finish_to_start)",
      "│      ✗ merge conflict (src/users.ts)",
      "├── d0000000 Write the docs     ready                       1 h",
      "└── e0000000 Tests              blocked                     2 h",
      "       ← waits for Create endpoint, Read endpoint (finish_to_start)",
    ]);
  });

  it("nests deeper levels under │ and leaves no progress column for a lone leaf", () => {
    const { root } = treeFixture();
    const [a, b] = root.children;
    const nested = { ...root, children: [{ ...a!, children: [b!] }] };
    expect(formatTaskTree({ root: nested, dependencies: [] }, plain).split("\n")).toEqual([
      "00000000 Build the users API      running    ██░░░░░░░░  20%  9 h",
      "└── a0000000 Design the schema    completed  ██████████ 100%  2 h",
      "    └── b0000000 Create endpoint  running                     1 h",
    ]);
    expect(formatTaskTree({ root: { ...taskFixture(), children: [] }, dependencies: [] }, plain)).toBe(
      "a0000000 Design the schema  pending  2 h",
    );
  });

  it("cuts titles to fit the width, and names prerequisites that would read the same by short id too", () => {
    const { root, dependencies } = treeFixture();
    const long = "Implementation: build the users API with every endpoint";
    const tree = {
      root: {
        ...root,
        children: root.children.map((ch, i) => (i === 1 || i === 2 ? { ...ch, title: `${long} (part ${i})` } : ch)),
      },
      dependencies: [
        ...dependencies,
        { id: "x", taskId: taskIds.c, dependsOnTaskId: taskIds.b, type: "finish_to_start" as const },
      ],
    };
    const lines = formatTaskTree(tree, plain, 70).split("\n");
    expect(Math.max(...lines.filter((l) => !l.includes("←")).map((l) => l.length))).toBeLessThanOrEqual(70);
    expect(lines[2]).toBe("├── b0000000 Implementation: build t…  running                     1 h");
    expect(lines).toContain(
      "│      ← waits for Design the schema, b0000000 Implementation: build the users API wit… (finish_to_start)",
    );
  });

  it("colours statuses only when colour is on", () => {
    const c = createColors(true);
    const out = formatTaskTree(treeFixture(), c);
    expect(out).toContain(c.green("completed"));
    expect(out).toContain(c.magenta("blocked"));
    expect(formatTaskTree(treeFixture(), plain)).not.toContain("\x1b[");
  });
});

describe("formatWaitsFor", () => {
  it("groups prerequisites by dependency type", () => {
    const deps = [
      { id: "1", taskId: "x", dependsOnTaskId: "a", type: "finish_to_start" as const },
      { id: "2", taskId: "x", dependsOnTaskId: "b", type: "start_to_start" as const },
      { id: "3", taskId: "x", dependsOnTaskId: "c", type: "finish_to_start" as const },
      { id: "4", taskId: "y", dependsOnTaskId: "x", type: "finish_to_start" as const },
    ];
    expect(formatWaitsFor("x", deps, (id) => id.toUpperCase())).toEqual([
      "← waits for A, C (finish_to_start)",
      "← waits for B (start_to_start)",
    ]);
  });
});

describe("formatTaskForest", () => {
  it("draws flat tasks (as decompose returns them) as the subtrees of their parent, in position order", () => {
    const { root, dependencies } = treeFixture();
    const flat = [...root.children].reverse().map(({ children: _children, ...t }) => t);
    const lines = formatTaskForest(taskIds.root, flat, [...dependencies].reverse(), plain).split("\n");
    expect(lines[0]).toMatch(/^├── a0000000 Design the schema/);
    expect(lines.at(-2)).toMatch(/^└── e0000000 Tests/);
    expect(lines.at(-1)).toBe("       ← waits for Create endpoint, Read endpoint (finish_to_start)");
  });
});
