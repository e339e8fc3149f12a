import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keepLeaseRenewed } from "./lease-renewal";
import { silentLogger } from "./logger";

const refused = () => Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** A renewal whose answers are `answers` in turn (an Error is thrown), recorded with the fake time it was asked at. */
function setup(answers: (boolean | Error)[], renewMs = 10_000) {
  const asked: number[] = [];
  const results: string[] = [];
  let done = false;
  const keeper = keepLeaseRenewed({
    renew: async () => {
      asked.push(Date.now());
      const a = answers.shift() ?? true;
      if (a instanceof Error) throw a;
      return a;
    },
    renewMs,
    leaseMs: 30_000,
    now: () => Date.now(),
    random: () => 0.5,
    log: silentLogger,
    renewed: () => results.push("renewed"),
    lost: () => results.push("lost"),
    failed: () => results.push("failed"),
    done: () => done,
  });
  return { asked, results, keeper, finish: () => (done = true) };
}

describe("keepLeaseRenewed", () => {
  it("renews every period", async () => {
    const t0 = Date.now();
    const s = setup([]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.asked.map((t) => t - t0)).toEqual([10_000, 20_000, 30_000]);
    expect(s.results).toEqual(["renewed", "renewed", "renewed"]);
    s.keeper.stop();
  });

  it("keeps the attempt through failed renewals and retries at the outage pace, back to the period once renewed", async () => {
    const t0 = Date.now();
    const s = setup([refused(), refused(), refused(), true]);
    await vi.advanceTimersByTimeAsync(21_000);
    // 10 s: fails; +100 ms, +200 ms: fail; +400 ms: renewed; then every 10 s again.
    expect(s.asked.map((t) => t - t0)).toEqual([10_000, 10_100, 10_300, 10_700, 20_700]);
    expect(s.results).toEqual(["failed", "failed", "failed", "renewed", "renewed"]);
    s.keeper.stop();
  });

  it("never gives the lease up on failures, even past a whole lease (only the database may say it is lost)", async () => {
    const s = setup(Array.from({ length: 80 }, refused));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.results.every((r) => r === "failed")).toBe(true);
    // At most a second apart once past the ramp: the lease is renewed soon after the database returns.
    const gaps = s.asked.slice(5).map((t, i) => t - s.asked[i + 4]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1_000);
    s.keeper.stop();
  });

  it("stops at a refused renewal: the lease went to someone else", async () => {
    const s = setup([true, false]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.results).toEqual(["renewed", "lost"]);
    expect(s.asked).toHaveLength(2);
  });

  it("stops when the attempt is done, and on stop()", async () => {
    const s = setup([]);
    await vi.advanceTimersByTimeAsync(10_000);
    s.finish();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.asked).toHaveLength(2);
    const t = setup([]);
    t.keeper.stop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.asked).toHaveLength(0);
  });
});
