import { describe, expect, it } from "vitest";
import { computeBackoffDelay } from "./backoff";

const opts = { baseMs: 100, maxMs: 1000, jitter: 0.2 };

describe("computeBackoffDelay", () => {
  it("doubles from the base and caps", () => {
    const mid = () => 0.5; // no spread
    expect([0, 1, 2, 3, 4, 10, 2000].map((a) => computeBackoffDelay(a, opts, mid))).toEqual([
      100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it("spreads by ±jitter and never exceeds the cap or goes negative", () => {
    expect(computeBackoffDelay(0, opts, () => 0)).toBe(80);
    expect(computeBackoffDelay(0, opts, () => 0.999999)).toBe(120);
    expect(computeBackoffDelay(5, opts, () => 0.999999)).toBe(1000);
    expect(computeBackoffDelay(-3, { baseMs: 10, maxMs: 10, jitter: 1 }, () => 0)).toBe(0);
  });
});
