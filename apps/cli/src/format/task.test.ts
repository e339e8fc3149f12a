import { describe, expect, it } from "vitest";
import { createColors, visibleLength } from "./colors";
import {
  formatHours,
  formatProgressBar,
  formatSlack,
  formatTaskDetail,
  formatTaskTable,
  taskStatusPaint,
} from "./task";
import { taskFixture, treeFixture } from "./task-fixture";

const plain = createColors(false);
const now = new Date("2026-11-22T03:25:23.393Z");

describe("formatTaskTable", () => {
  it("shows short id, title, status, complexity, expected hours and progress", () => {
    const { root } = treeFixture();
    expect(formatTaskTable([root, ...root.children.slice(0, 2)], plain).split("\n")).toEqual([
      "ID        TITLE                STATUS     COMPLEXITY  HOURS  PROGRESS",
      "00000000  Build the users API  running    expert        9 h       20%",
      "a0000000  Design the schema    completed  moderate      2 h      100%",
      "b0000000  Create endpoint      running    moderate      1 h        0%",
    ]);
  });

  it("colours statuses like the sessions' and keeps the columns aligned", () => {
    const c = createColors(true);
    const lines = formatTaskTable([taskFixture({ status: "failed" }), taskFixture({ status: "completed" })], c).split(
      "\n",
    );
    expect(lines[1]).toContain(c.red("failed"));
    expect(lines[2]).toContain(c.green("completed"));
    expect(new Set(lines.map(visibleLength)).size).toBe(1);
  });
});

describe("small task formatters", () => {
  it("hours: two decimals below ten, one above, no trailing zeros", () => {
    expect([0, 1 / 6, 2, 2.25, 4 / 3, 12.5, 12.46].map(formatHours)).toEqual([
      "0 h",
      "0.17 h",
      "2 h",
      "2.25 h",
      "1.33 h",
      "12.5 h",
      "12.5 h",
    ]);
    expect([0, 1e-12, 6].map(formatSlack)).toEqual(["0", "0", "6 h"]);
  });

  it("a progress bar of ten cells with the percentage", () => {
    expect(formatProgressBar(0, plain)).toBe("░░░░░░░░░░   0%");
    expect(formatProgressBar(40, plain)).toBe("████░░░░░░  40%");
    expect(formatProgressBar(100, plain)).toBe("██████████ 100%");
  });

  it("every status has a colour; only completed is green", () => {
    const c = createColors(true);
    const statuses = [
      "pending",
      "ready",
      "running",
      "completed",
      "failed",
      "blocked",
      "cancelled",
      "skipped",
      "partially_completed",
    ] as const;
    expect(statuses.filter((s) => taskStatusPaint(c, s)("x") === c.green("x"))).toEqual(["completed"]);
  });
});

describe("formatTaskDetail", () => {
  it("prints the fields, estimate and progress; leaves out what is not set", () => {
    const out = formatTaskDetail(taskFixture({ description: "Tables and indexes.\nThen migrations." }), plain, now);
    const lines = out.split("\n");
    expect(lines[0]).toBe("id            a0000000-0000-4000-8000-000000000001");
    expect(out).toMatch(/^description {3}Tables and indexes\. \(\+1 more line\)$/m);
    expect(out).toMatch(/^estimate {6}2 h expected \(1 \/ 2 \/ 3 h, σ 0\.33 h\), manual, confidence 70%$/m);
    expect(out).toMatch(/^progress {6}░░░░░░░░░░ {3}0% \(0\/1 leaves\)$/m);
    expect(out).toMatch(/^created {7}2026-11-22T03:23:23\.393Z \(2m ago\)$/m);
    for (const absent of ["parent", "session", "execution", "error", "started"])
      expect(out).not.toMatch(new RegExp(`^${absent} `, "m"));
  });

  it("shows the execution and the error when there are", () => {
    const out = formatTaskDetail(
      taskFixture({
        status: "failed",
        error: { message: "merge conflict", paths: ["a.txt"] },
        execution: {
          state: "finished",
          repository: "/repo",
          baseRef: "HEAD",
          baseCommit: "0123456789abcdef",
          branch: "orchestrator/tree-a0000000",
          path: "/data/x",
          startedAt: now.toISOString(),
          finishedAt: null,
        },
      }),
      plain,
      now,
    );
    expect(out).toMatch(
      /^execution {5}finished · branch orchestrator\/tree-a0000000 of \/repo \(from HEAD 01234567\)$/m,
    );
    expect(out).toMatch(/^error {9}merge conflict \(a\.txt\)$/m);
  });
});
