import { describe, expect, it } from "vitest";
import {
  breakerAdmits,
  breakerDispatched,
  breakerReopensAt,
  breakerStateAt,
  closedBreaker,
  DEFAULT_BREAKER_POLICY,
  recordBreakerOutcome,
  type Breaker,
  type Verdict,
} from "./breaker";

const T0 = new Date("2026-03-29T12:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Feeds verdicts one second apart, starting at `from` seconds. */
function feed(b: Breaker, verdicts: readonly Verdict[], from = 0): Breaker {
  return verdicts.reduce((acc, v, i) => recordBreakerOutcome(acc, v, at(from + i)), b);
}
const fails = (n: number): Verdict[] => Array.from({ length: n }, () => "failure");
const parse = (s: string): Verdict[] => [...s].map((c) => (c === "S" ? "success" : "failure"));
/** The `recent` window a string of S/F leaves (true = success). */
const bits = (s: string): boolean[] => [...s].map((c) => c === "S");

/** A breaker that opened at `seconds` after 5 straight failures. */
function openedAt(seconds: number): Breaker {
  const b = feed(closedBreaker(), fails(5), seconds - 4);
  expect(b.state).toBe("open");
  expect(b.openedAt).toBe(at(seconds).toISOString());
  return b;
}

describe("circuit breaker", () => {
  it("has the spec's defaults", () => {
    expect(DEFAULT_BREAKER_POLICY).toEqual({
      failureThreshold: 5,
      window: 10,
      minSuccessRate: 0.3,
      baseCooldownSeconds: 60,
      maxCooldownSeconds: 1800,
    });
    expect(closedBreaker()).toEqual({
      state: "closed",
      consecutiveFailures: 0,
      recent: [],
      openedAt: null,
      cooldownSeconds: 60,
      trialInFlight: false,
    });
    expect(breakerAdmits(closedBreaker(), T0)).toBe(true);
    expect(breakerReopensAt(closedBreaker())).toBeNull();
  });

  it("opens after 5 consecutive failures, not 4", () => {
    const four = feed(closedBreaker(), fails(4));
    expect(four).toMatchObject({ state: "closed", consecutiveFailures: 4, openedAt: null });
    expect(breakerAdmits(four, at(4))).toBe(true);
    const five = recordBreakerOutcome(four, "failure", at(4));
    expect(five).toMatchObject({
      state: "open",
      consecutiveFailures: 5,
      openedAt: at(4).toISOString(),
      cooldownSeconds: 60,
      trialInFlight: false,
    });
    expect(breakerReopensAt(five)).toEqual(at(64));
  });

  it("resets the consecutive count on a success", () => {
    const b = feed(closedBreaker(), [...fails(4), "success", ...fails(4)]);
    expect(b).toMatchObject({ state: "closed", consecutiveFailures: 4 });
    expect(b.recent).toEqual(bits("FFFFSFFFF"));
  });

  it("opens below 30 % success over a full window of 10, without 5 failures in a row", () => {
    const nine = feed(closedBreaker(), parse("SFFFFSFFF"));
    expect(nine.state).toBe("closed"); // 2/9, but the window is not full yet
    const ten = recordBreakerOutcome(nine, "failure", at(9));
    expect(ten.consecutiveFailures).toBe(4);
    expect(ten).toMatchObject({ state: "open", openedAt: at(9).toISOString(), cooldownSeconds: 60 });
  });

  it("stays closed at exactly 30 % over the window", () => {
    const b = feed(closedBreaker(), parse("FFSFFSFFSF"));
    expect(b.recent).toHaveLength(10);
    expect(b.state).toBe("closed");
  });

  it("keeps only the last 10 outcomes, and judges the window as it slides", () => {
    // 3 successes in 10, never 5 failures in a row: closed.
    const b = feed(closedBreaker(), parse("SSSFFFFSFF"));
    expect(b.state).toBe("closed");
    expect(b.recent).toHaveLength(10);
    // Each new outcome pushes the oldest out; the breaker opens only when the window holds 2 successes.
    const c = recordBreakerOutcome(b, "failure", at(10));
    expect(c.recent).toEqual(bits("SSFFFFSFFF"));
    expect(c.state).toBe("closed");
    const d = recordBreakerOutcome(c, "success", at(11));
    expect(d.recent).toEqual(bits("SFFFFSFFFS"));
    expect(d.state).toBe("closed");
    const e = recordBreakerOutcome(d, "failure", at(12));
    expect(e.recent).toEqual(bits("FFFFSFFFSF"));
    expect(e.state).toBe("open");
  });

  it("does not admit an open breaker during its cooldown", () => {
    const b = openedAt(100);
    for (const s of [100, 130, 159]) {
      expect(breakerStateAt(b, at(s))).toBe("open");
      expect(breakerAdmits(b, at(s))).toBe(false);
    }
  });

  it("is half-open, and admits one trial, once the cooldown has passed", () => {
    const b = openedAt(100);
    for (const s of [160, 161, 10_000]) {
      expect(breakerStateAt(b, at(s))).toBe("half_open");
      expect(breakerAdmits(b, at(s))).toBe(true);
    }
  });

  it("takes the trial when work is dispatched, so a second one is not admitted", () => {
    const b = breakerDispatched(openedAt(100), at(170));
    expect(b).toMatchObject({ state: "half_open", trialInFlight: true });
    expect(breakerStateAt(b, at(171))).toBe("half_open");
    expect(breakerAdmits(b, at(171))).toBe(false);
  });

  it("dispatching through a closed breaker, or an open one in its cooldown, changes nothing", () => {
    const closed = closedBreaker();
    expect(breakerDispatched(closed, T0)).toBe(closed);
    const open = openedAt(100);
    expect(breakerDispatched(open, at(120))).toBe(open);
  });

  it("closes on the trial's success and resets counters, window and cooldown", () => {
    // Reopened twice, so the cooldown is no longer the base one.
    let b = breakerDispatched(openedAt(100), at(160));
    b = recordBreakerOutcome(b, "failure", at(170));
    b = breakerDispatched(b, at(290));
    expect(b.cooldownSeconds).toBe(120);
    const closed = recordBreakerOutcome(b, "success", at(300));
    expect(closed).toEqual(closedBreaker());
    expect(breakerAdmits(closed, at(300))).toBe(true);
  });

  it("reopens on the trial's failure with the cooldown doubled, capped at 30 minutes", () => {
    let b = openedAt(0);
    let t = 0;
    const cooldowns: number[] = [b.cooldownSeconds];
    for (let i = 0; i < 7; i++) {
      t += b.cooldownSeconds;
      expect(breakerStateAt(b, at(t))).toBe("half_open");
      b = breakerDispatched(b, at(t));
      t += 10;
      b = recordBreakerOutcome(b, "failure", at(t));
      expect(b).toMatchObject({ state: "open", openedAt: at(t).toISOString(), trialInFlight: false });
      expect(breakerAdmits(b, at(t + b.cooldownSeconds - 1))).toBe(false);
      cooldowns.push(b.cooldownSeconds);
    }
    expect(cooldowns).toEqual([60, 120, 240, 480, 960, 1800, 1800, 1800]);
  });

  it("a neutral verdict frees the trial without changing state", () => {
    const trial = breakerDispatched(openedAt(100), at(160));
    const freed = recordBreakerOutcome(trial, "neutral", at(165));
    expect(freed).toEqual({ ...trial, trialInFlight: false });
    expect(breakerStateAt(freed, at(166))).toBe("half_open");
    expect(breakerAdmits(freed, at(166))).toBe(true);
  });

  it("a neutral verdict changes nothing otherwise", () => {
    const closed = feed(closedBreaker(), fails(3));
    expect(recordBreakerOutcome(closed, "neutral", at(3))).toBe(closed);
    const open = openedAt(100);
    expect(recordBreakerOutcome(open, "neutral", at(110))).toBe(open);
  });

  it("outcomes of sessions that were running when it opened do not move it", () => {
    const open = openedAt(100);
    for (const v of ["success", "failure"] as const) {
      const after = recordBreakerOutcome(open, v, at(120));
      expect(after).toMatchObject({
        state: "open",
        openedAt: open.openedAt,
        cooldownSeconds: 60,
        trialInFlight: false,
      });
      expect(breakerReopensAt(after)).toEqual(at(160));
    }
    // Past the cooldown but before any trial was dispatched: still waiting for the trial.
    const late = recordBreakerOutcome(open, "success", at(200));
    expect(late.state).toBe("open");
    expect(breakerStateAt(late, at(200))).toBe("half_open");
    expect(breakerAdmits(late, at(200))).toBe(true);
  });

  it("never mutates the breaker it is given", () => {
    const b = Object.freeze({ ...closedBreaker(), recent: Object.freeze([true, false]) as boolean[] });
    expect(() => feed(b, [...fails(6), "neutral", "success"])).not.toThrow();
    expect(b.recent).toEqual([true, false]);
  });
});
