import { describe, expect, it } from "vitest";
import { computeBackoffSeconds, decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry";

const policy: RetryPolicy = { maxAttempts: 4, backoffBaseSeconds: 10, backoffFactor: 2, jitter: 0.25 };
const now = new Date("2026-03-29T00:30:00Z");

describe("retry maths", () => {
  it("grows exponentially from the base with no jitter at the midpoint", () => {
    expect(computeBackoffSeconds(policy, 1, 0.5)).toBe(10);
    expect(computeBackoffSeconds(policy, 2, 0.5)).toBe(20);
    expect(computeBackoffSeconds(policy, 3, 0.5)).toBe(40);
  });

  it("keeps jitter within ±jitter of the delay", () => {
    expect(computeBackoffSeconds(policy, 2, 0)).toBe(15);
    expect(computeBackoffSeconds(policy, 2, 0.999999)).toBeCloseTo(25, 3);
  });

  it("retries retryable failures until maxAttempts", () => {
    const d = decideRetry({ attempt: 1, retryable: true, policy, now, random: 0.5 });
    expect(d).toEqual({ retry: true, delaySeconds: 10, notBefore: new Date(now.getTime() + 10_000) });
    expect(decideRetry({ attempt: 4, retryable: true, policy, now, random: 0.5 })).toEqual({
      retry: false,
      reason: "attempts_exhausted",
    });
  });

  it("never retries a failure that is not retryable", () => {
    expect(decideRetry({ attempt: 1, retryable: false, policy, now, random: 0.5 })).toEqual({
      retry: false,
      reason: "not_retryable",
    });
  });

  it("has the spec defaults", () => {
    expect(DEFAULT_RETRY_POLICY).toMatchObject({ maxAttempts: 3, backoffBaseSeconds: 10, backoffFactor: 2 });
  });
});
