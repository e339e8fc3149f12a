import { describe, expect, it, vi } from "vitest";
import { raceDeadline, startDeadline } from "./deadline";

describe("startDeadline", () => {
  it("aborts with a TimeoutError once its time is up, and never after clear()", () => {
    vi.useFakeTimers();
    try {
      const late = startDeadline(200);
      const answered = startDeadline(200);
      vi.advanceTimersByTime(199);
      expect(late.signal.aborted).toBe(false);
      answered.clear();
      vi.advanceTimersByTime(1);
      expect(late.signal.aborted).toBe(true);
      expect((late.signal.reason as DOMException).name).toBe("TimeoutError");
      expect((late.signal.reason as DOMException).message).toBe("no answer within 200 ms");
      vi.advanceTimersByTime(1000);
      expect(answered.signal.aborted).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("raceDeadline", () => {
  it("gives the work's answer when it comes first, and the timeout's when the work ignores its signal", async () => {
    vi.useFakeTimers();
    try {
      expect(
        await raceDeadline(
          200,
          async () => "answered",
          () => "timed out",
        ),
      ).toBe("answered");
      const deaf = raceDeadline(
        200,
        () => new Promise<string>(() => undefined),
        (reason) => `timed out: ${(reason as DOMException).name}`,
      );
      await vi.advanceTimersByTimeAsync(200);
      expect(await deaf).toBe("timed out: TimeoutError");
    } finally {
      vi.useRealTimers();
    }
  });
});
