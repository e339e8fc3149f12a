import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TASK_STATUSES, type TaskStatus } from "./task";
import { rollUp } from "./task-rollup";

const of = (...statuses: TaskStatus[]) => rollUp(statuses.map((status) => ({ status })));

describe("rollUp", () => {
  it("no children: pending, 0 of 0, 0 %", () => {
    expect(rollUp([])).toEqual({ status: "pending", done: 0, total: 0, percent: 0 });
  });

  it("all completed → completed, 100 %", () => {
    expect(of("completed", "completed", "completed")).toEqual({ status: "completed", done: 3, total: 3, percent: 100 });
  });

  it("skipped counts as done", () => {
    expect(of("completed", "skipped")).toEqual({ status: "completed", done: 2, total: 2, percent: 100 });
    expect(of("skipped", "skipped").status).toBe("completed");
  });

  it("any running → running, even beside failures and pending work", () => {
    expect(of("running", "pending")).toMatchObject({ status: "running", done: 0 });
    expect(of("completed", "running", "ready")).toMatchObject({ status: "running", done: 1, percent: 33 });
    expect(of("failed", "running")).toMatchObject({ status: "running" });
    expect(of("completed", "completed", "running")).toMatchObject({ status: "running", percent: 67 });
  });

  it("nothing left to run with failures: partially_completed when some work was done", () => {
    expect(of("completed", "failed")).toEqual({ status: "partially_completed", done: 1, total: 2, percent: 50 });
    expect(of("completed", "blocked", "cancelled")).toMatchObject({ status: "partially_completed" });
    expect(of("skipped", "completed", "failed")).toMatchObject({ status: "partially_completed", done: 2 });
  });

  it("nothing left to run with failures and nothing done: failed", () => {
    expect(of("failed", "blocked")).toEqual({ status: "failed", done: 0, total: 2, percent: 0 });
    expect(of("failed", "cancelled")).toMatchObject({ status: "failed" });
    expect(of("skipped", "failed")).toMatchObject({ status: "failed", done: 1 });
  });

  it("a child parent that ended partially_completed counts as work done, and as not done", () => {
    expect(of("partially_completed", "completed")).toMatchObject({ status: "partially_completed", done: 1 });
    expect(of("partially_completed", "failed")).toMatchObject({ status: "partially_completed", done: 0 });
    expect(of("partially_completed")).toMatchObject({ status: "partially_completed", done: 0, percent: 0 });
  });

  it("everything cancelled → cancelled; cancelled beside completed work → partially_completed", () => {
    expect(of("cancelled", "cancelled")).toEqual({ status: "cancelled", done: 0, total: 2, percent: 0 });
    expect(of("cancelled", "completed")).toMatchObject({ status: "partially_completed" });
    expect(of("cancelled", "skipped")).toMatchObject({ status: "cancelled", done: 1 });
  });

  it("work left but none running: ready when a child is ready, else pending", () => {
    expect(of("pending", "ready")).toMatchObject({ status: "ready" });
    expect(of("completed", "ready")).toMatchObject({ status: "ready", percent: 50 });
    expect(of("pending", "pending")).toMatchObject({ status: "pending" });
    expect(of("completed", "pending")).toMatchObject({ status: "pending", done: 1 });
    // A failure does not end the parent while other work can still run.
    expect(of("failed", "pending")).toMatchObject({ status: "pending" });
    expect(of("failed", "ready")).toMatchObject({ status: "ready" });
  });

  it("rounds the percentage", () => {
    expect(of("completed", "pending", "pending").percent).toBe(33);
    expect(of("completed", "completed", "pending").percent).toBe(67);
    expect(of("completed", ...Array<TaskStatus>(7).fill("pending")).percent).toBe(13);
  });

  it("always gives 0 ≤ done ≤ total, a percent in [0, 100], and completed exactly when everything is done", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TASK_STATUSES), { maxLength: 12 }), (statuses) => {
        const r = of(...statuses);
        expect(r.total).toBe(statuses.length);
        expect(r.done).toBeGreaterThanOrEqual(0);
        expect(r.done).toBeLessThanOrEqual(r.total);
        expect(r.percent).toBeGreaterThanOrEqual(0);
        expect(r.percent).toBeLessThanOrEqual(100);
        expect(r.status === "completed").toBe(statuses.length > 0 && r.done === r.total);
        if (statuses.includes("running") && r.done < r.total) expect(r.status).toBe("running");
        expect(["skipped", "blocked"]).not.toContain(r.status);
      }),
      { numRuns: 300 },
    );
  });
});
