import { describe, expect, it } from "vitest";
import { computeDispatchKey, PRIORITIES } from "./priority";
import { computeHealthScore } from "./health";

const t0 = new Date("2026-01-01T12:00:00Z");
const minutes = (m: number) => new Date(t0.getTime() + m * 60_000);

describe("dispatch order", () => {
  it("orders fresh sessions by priority", () => {
    const keys = PRIORITIES.map((p) => computeDispatchKey(p, t0).getTime());
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
  });

  it("lets a low session that waited 10 minutes outrank a fresh medium one (older wins the tie)", () => {
    const low = computeDispatchKey("low", t0);
    const medium = computeDispatchKey("medium", minutes(10));
    expect(low.getTime()).toBe(medium.getTime());
    const mediumLater = computeDispatchKey("medium", minutes(10.5));
    expect(low.getTime()).toBeLessThan(mediumLater.getTime());
  });

  it("keeps same-priority sessions first in, first out", () => {
    expect(computeDispatchKey("high", t0).getTime()).toBeLessThan(computeDispatchKey("high", minutes(1)).getTime());
  });
});

describe("health score", () => {
  it("follows the spec", () => {
    expect(computeHealthScore("completed")).toBe(1);
    expect(computeHealthScore("failed")).toBe(0);
    expect(computeHealthScore("timeout")).toBe(0);
    expect(computeHealthScore("orphaned")).toBe(0);
    expect(computeHealthScore("running", 0.5)).toBe(0.9);
    expect(computeHealthScore("running", 0.75)).toBe(0.7);
    expect(computeHealthScore("running", 0.95)).toBe(0.3);
    expect(computeHealthScore("degraded")).toBe(0.4);
    expect(computeHealthScore("queued")).toBe(0.8);
  });
});
