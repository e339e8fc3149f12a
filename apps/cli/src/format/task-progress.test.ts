import { describe, expect, it } from "vitest";
import { createColors } from "./colors";
import { taskIds, treeFixture } from "./task-fixture";
import { describeTreeChanges, formatExecutionProgress } from "./task-progress";

const plain = createColors(false);

describe("formatExecutionProgress", () => {
  it("shows the root's progress and every leaf's status", () => {
    expect(formatExecutionProgress(treeFixture().root, plain)).toEqual([
      "00000000 Build the users API  running  ██░░░░░░░░  20% (1/5 leaves)",
      "  ✓ Design the schema  completed",
      "  ▸ Create endpoint    running",
      "  ✗ Read endpoint      failed",
      "  · Write the docs     ready",
      "  ⊘ Tests              blocked",
    ]);
  });

  it("fits a short terminal by leaving out finished leaves first, and says how many", () => {
    const lines = formatExecutionProgress(treeFixture().root, plain, 4);
    expect(lines).toEqual([
      "00000000 Build the users API  running  ██░░░░░░░░  20% (1/5 leaves)",
      "  ▸ Create endpoint  running",
      "  ✗ Read endpoint    failed",
      "  … 3 more",
    ]);
  });

  it("says when the execution has ended", () => {
    const root = { ...treeFixture().root, status: "partially_completed" as const };
    root.execution = {
      state: "finished",
      repository: "/r",
      baseRef: "HEAD",
      baseCommit: "abc",
      branch: "b",
      path: "/p",
      startedAt: "",
      finishedAt: "",
    };
    expect(formatExecutionProgress(root, plain)[0]).toBe(
      "00000000 Build the users API  partially_completed  ██░░░░░░░░  20% (1/5 leaves) · execution finished",
    );
  });
});

describe("describeTreeChanges", () => {
  it("first says where the tree stands, then only what moved", () => {
    const before = treeFixture().root;
    expect(describeTreeChanges(null, before)).toEqual(["00000000 running 20% (1/5 leaves)"]);
    expect(describeTreeChanges(before, before)).toEqual([]);
    const after = structuredClone(before);
    after.children[1]!.status = "completed";
    after.progress = { done: 2, total: 5, percent: 40 };
    expect(describeTreeChanges(before, after)).toEqual([
      `${taskIds.b.slice(0, 8)} Create endpoint: running → completed`,
      "00000000 running 40% (2/5 leaves)",
    ]);
  });
});
