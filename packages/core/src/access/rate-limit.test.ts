import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ErrorCode } from "../errors";
import { computeTokenBucket, computeTokenBucketIdleMs, RateLimitedError, type TokenBucketState } from "./rate-limit";

const T0 = Date.UTC(2026, 2, 29, 0, 30);

/** Runs requests at the given times (ms after T0) through one bucket; returns which were allowed. */
function replay(times: number[], rate: number, burst: number): boolean[] {
  let state: TokenBucketState | null = null;
  return times.map((t) => {
    const r = computeTokenBucket({ state, now: T0 + t, rate, burst });
    state = r.state;
    return r.allowed;
  });
}

describe("computeTokenBucket", () => {
  it("starts full: a new caller may spend the whole burst at once, and not one more", () => {
    const allowed = replay(Array(11).fill(0), 5, 10);
    expect(allowed.slice(0, 10).every(Boolean)).toBe(true);
    expect(allowed[10]).toBe(false);
  });

  it("takes one token per request and keeps the fraction", () => {
    const r = computeTokenBucket({ state: null, now: T0, rate: 5, burst: 10 });
    expect(r).toEqual({ allowed: true, state: { tokens: 9, updatedAtMs: T0 }, retryAfterSeconds: 0 });
    const later = computeTokenBucket({ state: { tokens: 1.5, updatedAtMs: T0 }, now: T0 + 50, rate: 5, burst: 10 });
    expect(later.allowed).toBe(true);
    expect(later.state.tokens).toBeCloseTo(0.75, 12);
  });

  it("refills whole intervals to whole tokens (200 ms at 5/s is exactly one)", () => {
    const empty = { tokens: 0, updatedAtMs: T0 };
    expect(computeTokenBucket({ state: empty, now: T0 + 199, rate: 5, burst: 10 }).allowed).toBe(false);
    const r = computeTokenBucket({ state: empty, now: T0 + 200, rate: 5, burst: 10 });
    expect(r).toEqual({ allowed: true, state: { tokens: 0, updatedAtMs: T0 + 200 }, retryAfterSeconds: 0 });
  });

  it("never refills past the burst, however long the bucket sat", () => {
    const r = computeTokenBucket({ state: { tokens: 3, updatedAtMs: T0 }, now: T0 + 86_400_000, rate: 20, burst: 100 });
    expect(r.state.tokens).toBe(99);
  });

  it("refuses without taking anything, and says when to come back in whole seconds (at least 1)", () => {
    const state = { tokens: 0.2, updatedAtMs: T0 };
    const r = computeTokenBucket({ state, now: T0, rate: 5, burst: 10 });
    expect(r).toEqual({ allowed: false, state, retryAfterSeconds: 1 });
    // 0.5 token short at 0.1/s: 5 s.
    expect(
      computeTokenBucket({ state: { tokens: 0.5, updatedAtMs: T0 }, now: T0, rate: 0.1, burst: 1 }).retryAfterSeconds,
    ).toBe(5);
    // A cost of 3 with 0 tokens at 2/s: 1.5 s → 2.
    expect(
      computeTokenBucket({ state: { tokens: 0, updatedAtMs: T0 }, now: T0, rate: 2, burst: 5, cost: 3 })
        .retryAfterSeconds,
    ).toBe(2);
  });

  it("lets a refused client in as soon as its Retry-After has passed", () => {
    let state: TokenBucketState = { tokens: 0, updatedAtMs: T0 };
    const refused = computeTokenBucket({ state, now: T0, rate: 0.5, burst: 1 });
    expect(refused.retryAfterSeconds).toBe(2);
    state = refused.state;
    expect(computeTokenBucket({ state, now: T0 + 2000, rate: 0.5, burst: 1 }).allowed).toBe(true);
  });

  it("counts no time when the clock goes backwards, and keeps the later stamp", () => {
    const state = { tokens: 1, updatedAtMs: T0 + 5000 };
    const r = computeTokenBucket({ state, now: T0, rate: 5, burst: 10 });
    expect(r).toEqual({ allowed: true, state: { tokens: 0, updatedAtMs: T0 + 5000 }, retryAfterSeconds: 0 });
    // Back in the present, the interval already counted is not counted again.
    expect(computeTokenBucket({ state: r.state, now: T0 + 5100, rate: 5, burst: 10 }).state.tokens).toBeCloseTo(
      0.5,
      12,
    );
  });

  it("treats a negative stored count (a corrupt row) as empty", () => {
    const r = computeTokenBucket({ state: { tokens: -7, updatedAtMs: T0 }, now: T0 + 200, rate: 5, burst: 10 });
    expect(r.allowed).toBe(true);
    expect(r.state.tokens).toBe(0);
  });

  it("refuses impossible settings instead of guessing", () => {
    const base = { state: null, now: T0, rate: 5, burst: 10 };
    expect(() => computeTokenBucket({ ...base, rate: 0 })).toThrow(RangeError);
    expect(() => computeTokenBucket({ ...base, rate: Number.NaN })).toThrow(RangeError);
    expect(() => computeTokenBucket({ ...base, rate: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => computeTokenBucket({ ...base, burst: 0 })).toThrow(RangeError);
    expect(() => computeTokenBucket({ ...base, cost: 0 })).toThrow(RangeError);
    expect(() => computeTokenBucket({ ...base, cost: 11 })).toThrow(RangeError);
    expect(() => computeTokenBucket({ ...base, now: Number.NaN })).toThrow(RangeError);
  });

  it("a burst over the bucket at 5/s with 10: ten pass, the rest wait one second for five more", () => {
    const allowed = replay([...Array(15).fill(0), ...Array(6).fill(1000)], 5, 10);
    expect(allowed.filter(Boolean)).toHaveLength(15);
    expect(allowed.slice(10, 15).some(Boolean)).toBe(false);
    expect(allowed.slice(15)).toEqual([true, true, true, true, true, false]);
  });

  it("never lets more through than burst + rate × elapsed, nor refuses a caller who stays under the rate (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 200, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 300 }),
        (rate, burst, gaps) => {
          let t = 0;
          const times = gaps.map((g) => (t += g));
          const allowed = replay(times, rate, burst).filter(Boolean).length;
          expect(allowed).toBeLessThanOrEqual(burst + (rate * times[times.length - 1]!) / 1000 + 1e-9);
        },
      ),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 200 }),
        (rate, burst, n) => {
          const spacing = Math.ceil(1000 / rate);
          expect(
            replay(
              Array.from({ length: n }, (_, i) => i * spacing),
              rate,
              burst,
            ).every(Boolean),
          ).toBe(true);
        },
      ),
    );
  });

  it("the idle time after which a bucket is full again", () => {
    expect(computeTokenBucketIdleMs(20, 100)).toBe(5000);
    expect(computeTokenBucketIdleMs(3, 10)).toBe(3334);
  });
});

describe("RateLimitedError", () => {
  it("carries the code and the wait", () => {
    const e = new RateLimitedError(3);
    expect(e.code).toBe(ErrorCode.RATE_LIMITED);
    expect(e.retryAfterSeconds).toBe(3);
    expect(e.message).toContain("3 s");
  });
});
