import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { emptyAgentStats } from "./agent";
import { computeTier, TIER_RULES, wilsonLowerBound } from "./tier";

const tier = (succeeded: number, finished: number) => computeTier({ finished, succeeded });

describe("wilsonLowerBound", () => {
  it("matches known values of the 95 % Wilson interval", () => {
    expect(wilsonLowerBound(8, 10)).toBeCloseTo(0.4902, 4);
    expect(wilsonLowerBound(20, 20)).toBeCloseTo(0.8389, 4);
    expect(wilsonLowerBound(35, 35)).toBeCloseTo(0.9011, 4);
    expect(wilsonLowerBound(5, 10)).toBeCloseTo(0.2366, 4);
  });

  it("is n / (n + z²) for a perfect record: 34 straight successes stay under 0.9, 35 pass it", () => {
    expect(wilsonLowerBound(34, 34)).toBeCloseTo(34 / (34 + 1.96 ** 2), 12);
    expect(wilsonLowerBound(34, 34)).toBeLessThan(0.9);
    expect(wilsonLowerBound(35, 35)).toBeGreaterThanOrEqual(0.9);
  });

  it("is 0 with no sessions and with no successes (never negative)", () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(0, 1)).toBe(0);
  });

  it("lies in [0, raw rate] and grows with successes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }).chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: n }))),
        ([finished, succeeded]) => {
          const lb = wilsonLowerBound(succeeded, finished);
          expect(lb).toBeGreaterThanOrEqual(0);
          expect(lb).toBeLessThanOrEqual(succeeded / finished + 1e-12);
          if (succeeded < finished) expect(wilsonLowerBound(succeeded + 1, finished)).toBeGreaterThan(lb);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("computeTier", () => {
  it("puts a new agent on probation", () => {
    expect(computeTier(emptyAgentStats())).toBe("PROBATION");
  });

  it("keeps an agent with fewer than 5 finished sessions on probation, however good", () => {
    expect(TIER_RULES.probationBelowFinished).toBe(5);
    for (let n = 1; n < 5; n++) expect(tier(n, n)).toBe("PROBATION");
    expect(tier(5, 5)).toBe("STANDARD");
  });

  it("puts a success rate below 0.5 on probation, and exactly 0.5 is standard", () => {
    expect(tier(2, 5)).toBe("PROBATION");
    expect(tier(4, 9)).toBe("PROBATION");
    expect(tier(49, 100)).toBe("PROBATION");
    expect(tier(5, 10)).toBe("STANDARD");
    expect(tier(50, 100)).toBe("STANDARD");
  });

  it("does not promote on luck: 20/20 is STANDARD (Wilson 0.84 < 0.9)", () => {
    expect(tier(20, 20)).toBe("STANDARD");
    expect(tier(34, 34)).toBe("STANDARD");
  });

  it("promotes 35/35 to ELITE", () => {
    expect(tier(35, 35)).toBe("ELITE");
  });

  it("uses the lower bound, not the raw rate, on long records", () => {
    expect(tier(95, 100)).toBe("STANDARD"); // raw 0.95, Wilson ≈ 0.888
    expect(tier(960, 1000)).toBe("ELITE"); // Wilson ≈ 0.946
    expect(tier(900, 1000)).toBe("STANDARD"); // raw 0.9 exactly, Wilson ≈ 0.880
  });

  it("ELITE implies at least 20 finished and a Wilson bound ≥ 0.9; PROBATION exactly when < 5 or < 0.5", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 400 }).chain((n) => fc.tuple(fc.constant(n), fc.nat({ max: n }))),
        ([finished, succeeded]) => {
          const t = tier(succeeded, finished);
          const onProbation = finished < 5 || succeeded / finished < 0.5;
          expect(t === "PROBATION").toBe(onProbation);
          if (t === "ELITE") {
            expect(finished).toBeGreaterThanOrEqual(TIER_RULES.eliteMinFinished);
            expect(wilsonLowerBound(succeeded, finished)).toBeGreaterThanOrEqual(0.9);
          }
          if (!onProbation && t === "STANDARD") expect(wilsonLowerBound(succeeded, finished)).toBeLessThan(0.9);
        },
      ),
      { numRuns: 300 },
    );
  });
});
