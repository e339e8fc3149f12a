import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TimeLimit } from "./time-limit";

describe("TimeLimit: the session's limit stands still while a person is asked", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const now = () => Date.now();

  it("fires once the limit has run", () => {
    const fired = vi.fn();
    new TimeLimit(1_000, fired, now);
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it("does not count paused time, and keeps what was left", () => {
    const fired = vi.fn();
    const limit = new TimeLimit(1_000, fired, now);
    vi.advanceTimersByTime(600);
    limit.pause();
    vi.advanceTimersByTime(10_000);
    expect(fired).not.toHaveBeenCalled();
    limit.resume();
    vi.advanceTimersByTime(399);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it("pause and resume twice in a row change nothing; a cleared limit never fires, even resumed", () => {
    const fired = vi.fn();
    const limit = new TimeLimit(1_000, fired, now);
    limit.pause();
    limit.pause();
    vi.advanceTimersByTime(5_000);
    limit.resume();
    limit.resume();
    vi.advanceTimersByTime(1_000);
    expect(fired).toHaveBeenCalledTimes(1);
    const other = vi.fn();
    const cleared = new TimeLimit(100, other, now);
    cleared.clear();
    cleared.resume();
    vi.advanceTimersByTime(1_000);
    expect(other).not.toHaveBeenCalled();
  });

  it("a limit that already fired does not fire again when resumed", () => {
    const fired = vi.fn();
    const limit = new TimeLimit(10, fired, now);
    vi.advanceTimersByTime(10);
    limit.pause();
    limit.resume();
    vi.advanceTimersByTime(100);
    expect(fired).toHaveBeenCalledTimes(1);
  });
});
