import { describe, expect, it } from "vitest";
import { planFinish } from "./finish";
import { DEFAULT_RETRY_POLICY } from "./retry";

const now = new Date("2026-01-01T00:00:00Z");
const base = { attempt: 1, policy: DEFAULT_RETRY_POLICY, now, random: 0.5 } as const;
const completed = { kind: "completed" as const, summary: "ok", filesChanged: [], diffStat: { files: 0, additions: 0, deletions: 0 } };

describe("planFinish", () => {
  it("completes a run that finished, even if a pause arrived late", () => {
    expect(planFinish({ ...base, status: "running", outcome: completed, interrupt: "pause" })).toMatchObject({
      steps: [{ to: "completed" }],
      attemptStatus: "succeeded",
      finished: true,
    });
  });

  it("detaching writes nothing", () => {
    expect(planFinish({ ...base, status: "running", outcome: { kind: "interrupted" }, interrupt: "detach" })).toBeNull();
  });

  it("retries a retryable failure with backoff", () => {
    const plan = planFinish({ ...base, status: "running", outcome: { kind: "failed", error: { code: "X", message: "boom", retryable: true } }, interrupt: null });
    expect(plan!.steps.map((s) => s.to)).toEqual(["failed", "pending"]);
    expect(plan!.notBefore).toEqual(new Date(now.getTime() + 10_000));
  });

  it("does not retry a non-retryable failure, nor past maxAttempts", () => {
    const e = { code: "X", message: "bad", retryable: false };
    expect(planFinish({ ...base, status: "running", outcome: { kind: "failed", error: e }, interrupt: null })!.steps.map((s) => s.to)).toEqual(["failed"]);
    const last = planFinish({ ...base, attempt: 3, status: "running", outcome: { kind: "failed", error: { ...e, retryable: true } }, interrupt: null })!;
    expect(last.steps.map((s) => s.to)).toEqual(["failed"]);
    expect(last.steps[0]!.reason).toContain("no retries left");
  });

  it("turns interrupts into paused, stopped, timeout (retried) and budget failures", () => {
    const i = { kind: "interrupted" } as const;
    expect(planFinish({ ...base, status: "running", outcome: i, interrupt: "pause" })).toMatchObject({ steps: [{ to: "paused" }], attemptStatus: "paused", finished: false });
    expect(planFinish({ ...base, status: "running", outcome: i, interrupt: "stop" })!.steps.map((s) => s.to)).toEqual(["stopped"]);
    expect(planFinish({ ...base, status: "running", outcome: i, interrupt: "timeout" })!.steps.map((s) => s.to)).toEqual(["timeout", "pending"]);
    expect(planFinish({ ...base, status: "running", outcome: i, interrupt: "budget" })).toMatchObject({ steps: [{ to: "failed" }], error: { code: "BUDGET_EXCEEDED", retryable: false } });
  });

  it("recovers a degraded session to running before pausing it", () => {
    expect(planFinish({ ...base, status: "degraded", outcome: { kind: "interrupted" }, interrupt: "pause" })!.steps.map((s) => s.to)).toEqual(["running", "paused"]);
  });
});
