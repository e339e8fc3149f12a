import { afterEach, describe, expect, it, vi } from "vitest";
import type { OcTransport, RunnerLease } from "./ports";
import { RunnerConnection } from "./runner-connection";

type Current = { url: string; restarts: number } | null;

/** A managed runner's lease whose process state the test moves along. */
function lease(initial: Current) {
  let now: Current = initial;
  const l: RunnerLease = { runnerId: "r1", url: "http://127.0.0.1:1", current: () => now, release: () => undefined };
  return { lease: l, set: (c: Current) => (now = c) };
}

const connection = (l: RunnerLease) =>
  new RunnerConnection(l, {
    transport: {} as OcTransport,
    connectTimeoutMs: 1000,
    interrupted: () => null,
    unlessInterrupted: (p) => p,
    onEvent: () => undefined,
    onStatus: () => undefined,
  });

afterEach(() => vi.useRealTimers());

describe("whether the runner's process died under the attempt", () => {
  it("is no for a remote runner (its lease tells no process)", async () => {
    const l: RunnerLease = { runnerId: "r", url: "http://x", release: () => undefined };
    expect(await connection(l).restartedOnceBack({ afterFailedCall: true })).toBe(false);
  });

  it("is no at once, at a turn's end, while the same process runs", async () => {
    const { lease: l } = lease({ url: "http://127.0.0.1:1", restarts: 0 });
    const started = Date.now();
    expect(await connection(l).restartedOnceBack()).toBe(false);
    expect(Date.now() - started).toBeLessThan(100);
  });

  it("waits, after a failed call, for the replica to notice the exit, then for the restart", async () => {
    vi.useFakeTimers();
    const p = lease({ url: "http://127.0.0.1:1", restarts: 0 });
    const answer = connection(p.lease).restartedOnceBack({ afterFailedCall: true });
    await vi.advanceTimersByTimeAsync(500); // the socket closed; the exit is not seen yet
    p.set(null); // seen: restarting
    await vi.advanceTimersByTimeAsync(2000);
    p.set({ url: "http://127.0.0.1:2", restarts: 1 });
    await vi.advanceTimersByTimeAsync(300);
    expect(await answer).toBe(true);
  });

  it("is no after a failed call when the process lives on (the failure was something else), within a few seconds", async () => {
    vi.useFakeTimers();
    const p = lease({ url: "http://127.0.0.1:1", restarts: 0 });
    let settled: boolean | null = null;
    void connection(p.lease)
      .restartedOnceBack({ afterFailedCall: true })
      .then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(2500);
    expect(settled).toBe(null);
    await vi.advanceTimersByTimeAsync(1000);
    expect(settled).toBe(false);
  });
});
