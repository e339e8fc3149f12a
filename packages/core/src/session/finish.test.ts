import { describe, expect, it } from "vitest";
import { INFRASTRUCTURE_LOST } from "./adoption";
import { planFinish } from "./finish";
import { DEFAULT_RETRY_POLICY } from "./retry";

const now = new Date("2026-01-01T00:00:00Z");
const base = { attempt: 1, policy: DEFAULT_RETRY_POLICY, now, random: 0.5 } as const;
const completed = {
  kind: "completed" as const,
  summary: "ok",
  filesChanged: [],
  diffStat: { files: 0, additions: 0, deletions: 0 },
};

describe("planFinish", () => {
  it("completes a run that finished, even if a pause arrived late", () => {
    expect(planFinish({ ...base, status: "running", outcome: completed, interrupt: "pause" })).toMatchObject({
      steps: [{ to: "completed" }],
      attemptStatus: "succeeded",
      finished: true,
    });
  });

  it("detaching writes nothing", () => {
    expect(
      planFinish({ ...base, status: "running", outcome: { kind: "interrupted" }, interrupt: "detach" }),
    ).toBeNull();
  });

  it("retries a retryable failure with backoff", () => {
    const plan = planFinish({
      ...base,
      status: "running",
      outcome: { kind: "failed", error: { code: "X", message: "boom", retryable: true } },
      interrupt: null,
    });
    expect(plan!.steps.map((s) => s.to)).toEqual(["failed", "pending"]);
    expect(plan!.notBefore).toEqual(new Date(now.getTime() + 10_000));
  });

  it("does not retry a non-retryable failure, nor past maxAttempts", () => {
    const e = { code: "X", message: "bad", retryable: false };
    expect(
      planFinish({ ...base, status: "running", outcome: { kind: "failed", error: e }, interrupt: null })!.steps.map(
        (s) => s.to,
      ),
    ).toEqual(["failed"]);
    const last = planFinish({
      ...base,
      attempt: 3,
      status: "running",
      outcome: { kind: "failed", error: { ...e, retryable: true } },
      interrupt: null,
    })!;
    expect(last.steps.map((s) => s.to)).toEqual(["failed"]);
    expect(last.steps[0]!.reason).toContain("no retries left");
  });

  it("turns interrupts into paused, stopped, timeout (retried) and budget failures", () => {
    const i = { kind: "interrupted" } as const;
    expect(planFinish({ ...base, status: "running", outcome: i, interrupt: "pause" })).toMatchObject({
      steps: [{ to: "paused" }],
      attemptStatus: "paused",
      finished: false,
    });
    expect(planFinish({ ...base, status: "running", outcome: i, interrupt: "stop" })!.steps.map((s) => s.to)).toEqual([
      "stopped",
    ]);
    expect(
      planFinish({ ...base, status: "running", outcome: i, interrupt: "timeout" })!.steps.map((s) => s.to),
    ).toEqual(["timeout", "pending"]);
    expect(planFinish({ ...base, status: "running", outcome: i, interrupt: "budget" })).toMatchObject({
      steps: [{ to: "failed" }],
      error: { code: "BUDGET_EXCEEDED", retryable: false },
    });
  });

  it("recovers a degraded session to running before pausing it", () => {
    expect(
      planFinish({ ...base, status: "degraded", outcome: { kind: "interrupted" }, interrupt: "pause" })!.steps.map(
        (s) => s.to,
      ),
    ).toEqual(["running", "paused"]);
  });

  describe("attempts lost to the infrastructure", () => {
    const lost = { kind: "failed" as const, error: { code: INFRASTRUCTURE_LOST, message: "lost", retryable: true } };
    const boom = { kind: "failed" as const, error: { code: "X", message: "boom", retryable: true } };
    const one = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };

    it("continue at once as a new attempt, past maxAttempts", () => {
      for (const attempt of [1, 3, 7]) {
        const plan = planFinish({ ...base, attempt, policy: one, status: "running", outcome: lost, interrupt: null })!;
        expect(plan.steps.map((s) => s.to)).toEqual(["failed", "pending"]);
        expect(plan.notBefore).toEqual(now);
        expect(plan.attemptStatus).toBe("failed");
        expect(plan.steps[1]!.reason).toContain(`attempt ${attempt + 1}`);
        expect(plan.steps[1]!.reason).toContain("not counted against maxAttempts");
      }
    });

    it("continue from degraded too", () => {
      expect(
        planFinish({ ...base, status: "degraded", outcome: lost, interrupt: null })!.steps.map((s) => s.to),
      ).toEqual(["failed", "pending"]);
    });

    it("are not counted against maxAttempts by later failures", () => {
      // Attempt 2 after one loss is the first counted attempt: with maxAttempts 2 it is retried, as attempt 1 would be.
      const two = { ...DEFAULT_RETRY_POLICY, maxAttempts: 2 };
      const retried = planFinish({
        ...base,
        attempt: 2,
        infraRestarts: 1,
        policy: two,
        status: "running",
        outcome: boom,
        interrupt: null,
      })!;
      expect(retried.steps.map((s) => s.to)).toEqual(["failed", "pending"]);
      expect(retried.steps[1]!.reason).toContain("retry 2 of 2");
      // The same backoff as a first failure.
      expect(retried.notBefore).toEqual(new Date(now.getTime() + 10_000));
      const exhausted = planFinish({
        ...base,
        attempt: 2,
        infraRestarts: 1,
        policy: one,
        status: "running",
        outcome: boom,
        interrupt: null,
      })!;
      expect(exhausted.steps.map((s) => s.to)).toEqual(["failed"]);
      expect(exhausted.steps[0]!.reason).toContain("attempt 1 of 1");
      // Without the losses taken off, attempt 2 would have been past maxAttempts 2.
      expect(
        planFinish({ ...base, attempt: 2, policy: two, status: "running", outcome: boom, interrupt: null })!.steps.map(
          (s) => s.to,
        ),
      ).toEqual(["failed"]);
    });

    it("a timeout after losses is counted like any other", () => {
      const plan = planFinish({
        ...base,
        attempt: 3,
        infraRestarts: 2,
        policy: one,
        status: "running",
        outcome: { kind: "interrupted" },
        interrupt: "timeout",
      })!;
      expect(plan.steps.map((s) => s.to)).toEqual(["timeout"]);
    });

    it("a loss given up on (not retryable) ends the session failed", () => {
      const given = {
        kind: "failed" as const,
        error: { code: INFRASTRUCTURE_LOST, message: "too often", retryable: false },
      };
      expect(
        planFinish({
          ...base,
          attempt: 11,
          infraRestarts: 10,
          status: "running",
          outcome: given,
          interrupt: null,
        })!.steps.map((s) => s.to),
      ).toEqual(["failed"]);
    });
  });
});
