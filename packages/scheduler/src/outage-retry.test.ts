import { describe, expect, it } from "vitest";
import { silentLogger } from "./logger";
import { retryThroughOutage } from "./outage-retry";

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

/** `run` fails with `errors` in turn, then answers "done"; the waits are recorded, not slept. */
function scripted(errors: unknown[]) {
  let calls = 0;
  const waits: number[] = [];
  return {
    run: async () => {
      const e = errors[calls++];
      if (e) throw e;
      return "done";
    },
    sleep: async (ms: number) => void waits.push(ms),
    get calls() {
      return calls;
    },
    waits,
  };
}

const options = (s: { sleep: (ms: number) => Promise<void> }, giveUp = () => false) => ({
  what: "test write",
  log: silentLogger,
  random: () => 0.5,
  giveUp,
  sleep: s.sleep,
});

describe("retryThroughOutage", () => {
  it("answers at once when nothing fails", async () => {
    const s = scripted([]);
    expect(await retryThroughOutage(s.run, options(s))).toBe("done");
    expect(s.calls).toBe(1);
    expect(s.waits).toEqual([]);
  });

  it("waits an outage out at the outage pace, however many tries it takes", async () => {
    const s = scripted([
      refused(),
      new Error("Connection terminated unexpectedly"),
      Object.assign(new Error("starting up"), { code: "57P03" }),
      refused(),
      refused(),
      refused(),
    ]);
    expect(await retryThroughOutage(s.run, options(s))).toBe("done");
    expect(s.calls).toBe(7);
    expect(s.waits).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("throws any other error at once (a bug or bad data is not waited out)", async () => {
    const s = scripted([Object.assign(new Error("duplicate key"), { code: "23505" })]);
    await expect(retryThroughOutage(s.run, options(s))).rejects.toThrow("duplicate key");
    expect(s.calls).toBe(1);
  });

  it("throws an error that follows an outage", async () => {
    const s = scripted([refused(), new Error("boom")]);
    await expect(retryThroughOutage(s.run, options(s))).rejects.toThrow("boom");
    expect(s.waits).toEqual([100]);
  });

  it("gives up when told to (the lease is gone, the attempt detaches), with the outage's error", async () => {
    const s = scripted([refused(), refused(), refused()]);
    let tries = 0;
    await expect(
      retryThroughOutage(
        s.run,
        options(s, () => ++tries >= 2),
      ),
    ).rejects.toThrow("ECONNREFUSED");
    expect(s.calls).toBe(2);
  });
});
