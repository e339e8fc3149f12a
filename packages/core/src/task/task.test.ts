import { describe, expect, it } from "vitest";
import { InvalidInputError, InvalidTransitionError } from "../errors";
import {
  assertTaskTransition,
  canTaskTransition,
  complexityOf,
  computeEstimate,
  isTaskTerminal,
  TASK_STATUSES,
  TASK_TERMINAL,
} from "./task";

describe("computeEstimate", () => {
  it("is the PERT estimate: expected (o + 4l + p) / 6, σ (p − o) / 6", () => {
    expect(computeEstimate({ optimistic: 1, likely: 2, pessimistic: 9, source: "manual" })).toEqual({
      optimistic: 1,
      likely: 2,
      pessimistic: 9,
      expected: 3,
      stdDev: 8 / 6,
      confidence: 0.7,
      source: "manual",
    });
    expect(computeEstimate({ optimistic: 0, likely: 0, pessimistic: 0, source: "heuristic" })).toMatchObject({
      expected: 0,
      stdDev: 0,
    });
    expect(computeEstimate({ optimistic: 2, likely: 2, pessimistic: 2, source: "historical" })).toMatchObject({
      expected: 2,
      stdDev: 0,
    });
  });

  it("drops float noise, so a 1 h estimate is moderate, and keeps real fractions", () => {
    const points = { optimistic: 0.01, likely: 1.13, pessimistic: 1.47 };
    expect((points.optimistic + 4 * points.likely + points.pessimistic) / 6).toBe(0.9999999999999999);
    expect(computeEstimate({ ...points, source: "heuristic" }).expected).toBe(1);
    expect(complexityOf(computeEstimate({ ...points, source: "heuristic" }).expected)).toBe("moderate");
    expect(computeEstimate({ optimistic: 1, likely: 1, pessimistic: 2, source: "manual" }).expected).toBe(7 / 6);
  });

  it("defaults confidence by source and keeps the one given", () => {
    const at = (source: "manual" | "heuristic" | "historical") =>
      computeEstimate({ optimistic: 1, likely: 1, pessimistic: 1, source }).confidence;
    expect([at("historical"), at("manual"), at("heuristic")]).toEqual([0.8, 0.7, 0.5]);
    expect(
      computeEstimate({ optimistic: 1, likely: 1, pessimistic: 1, source: "manual", confidence: 0.95 }).confidence,
    ).toBe(0.95);
  });

  it.each([
    [{ optimistic: 3, likely: 2, pessimistic: 4 }, "likely"],
    [{ optimistic: 1, likely: 5, pessimistic: 4 }, "pessimistic"],
    [{ optimistic: -1, likely: 2, pessimistic: 4 }, "optimistic"],
    [{ optimistic: 1, likely: Number.NaN, pessimistic: 4 }, "likely"],
    [{ optimistic: 1, likely: 2, pessimistic: Number.POSITIVE_INFINITY }, "pessimistic"],
  ])("throws InvalidInputError unless 0 ≤ o ≤ l ≤ p: %o names %s", (points, path) => {
    const e = (() => {
      try {
        computeEstimate({ ...points, source: "manual" });
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(InvalidInputError);
    expect((e as InvalidInputError).details!.map((d) => d.path)).toContain(path);
  });

  it("refuses a confidence outside [0, 1]", () => {
    expect(() =>
      computeEstimate({ optimistic: 1, likely: 1, pessimistic: 1, source: "manual", confidence: 1.5 }),
    ).toThrow(InvalidInputError);
  });
});

describe("complexityOf", () => {
  it.each([
    [0, "trivial"],
    [0.2499, "trivial"],
    [0.25, "simple"],
    [0.99, "simple"],
    [1, "moderate"],
    [3.99, "moderate"],
    [4, "complex"],
    [7.99, "complex"],
    [8, "expert"],
    [400, "expert"],
  ] as const)("%s h is %s (lower bounds inclusive)", (hours, complexity) => {
    expect(complexityOf(hours)).toBe(complexity);
  });
});

describe("task status", () => {
  it("terminal states are the spec's five plus a parent's partially_completed", () => {
    expect([...TASK_TERMINAL].sort()).toEqual([
      "blocked",
      "cancelled",
      "completed",
      "failed",
      "partially_completed",
      "skipped",
    ]);
    expect(TASK_STATUSES.filter(isTaskTerminal)).toEqual(
      TASK_TERMINAL.slice().sort((a, b) => TASK_STATUSES.indexOf(a) - TASK_STATUSES.indexOf(b)),
    );
  });

  it("follows pending → ready → running → completed | failed", () => {
    expect(canTaskTransition("pending", "ready")).toBe(true);
    expect(canTaskTransition("ready", "running")).toBe(true);
    expect(canTaskTransition("running", "completed")).toBe(true);
    expect(canTaskTransition("running", "failed")).toBe(true);
    expect(canTaskTransition("pending", "running")).toBe(false);
    expect(canTaskTransition("pending", "completed")).toBe(false);
  });

  it("blocks and unblocks only what has not started; retries failed and blocked tasks", () => {
    expect(canTaskTransition("pending", "blocked")).toBe(true);
    expect(canTaskTransition("ready", "blocked")).toBe(true);
    expect(canTaskTransition("running", "blocked")).toBe(false);
    expect(canTaskTransition("blocked", "pending")).toBe(true);
    expect(canTaskTransition("failed", "pending")).toBe(true);
  });

  it("never leaves completed, cancelled or skipped, and never writes partially_completed to a leaf", () => {
    for (const to of TASK_STATUSES) {
      expect(canTaskTransition("completed", to)).toBe(false);
      expect(canTaskTransition("cancelled", to)).toBe(false);
      expect(canTaskTransition("skipped", to)).toBe(false);
    }
    for (const from of TASK_STATUSES) expect(canTaskTransition(from, "partially_completed")).toBe(false);
  });

  it("assertTaskTransition throws InvalidTransitionError naming the task", () => {
    expect(() => assertTaskTransition("ready", "running")).not.toThrow();
    expect(() => assertTaskTransition("completed", "running")).toThrow(InvalidTransitionError);
    expect(() => assertTaskTransition("completed", "running")).toThrow("cannot move task from completed to running");
  });
});
