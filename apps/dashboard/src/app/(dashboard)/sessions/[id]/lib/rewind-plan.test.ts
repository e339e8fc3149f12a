import { describe, expect, it } from "vitest";
import { computeRewindPlan, retryBodyOf, type CheckpointLike } from "./rewind-plan";

const cp = (seq: number, files: number, tokens: number, costUsd: number, attempt = 1): CheckpointLike => ({
  seq,
  attempt,
  diffStat: { files, additions: files * 10, deletions: files },
  tokens: { input: tokens, output: 0, reasoning: 0 },
  costUsd,
});
const CHAIN = [cp(1, 1, 100, 0.01), cp(2, 2, 300, 0.03), cp(3, 4, 700, 0.07, 2)];
const NOW = { files: 5, additions: 60, deletions: 5 };

describe("computeRewindPlan", () => {
  it("a restore to a middle checkpoint undoes the later ones and everything since", () => {
    const plan = computeRewindPlan(CHAIN, { kind: "checkpoint", seq: 1 }, NOW);
    expect(plan.resets).toBe(true);
    expect(plan.later).toEqual({ count: 2, first: 2, last: 3 });
    expect(plan.spentAfter.tokens).toBe(600);
    expect(plan.spentAfter.costUsd).toBeCloseTo(0.06);
    expect(plan.worktree).toEqual({ now: NOW, after: { files: 1, additions: 10, deletions: 1 } });
  });

  it("the latest checkpoint has no later one, but the worktree's changes since it still go", () => {
    const plan = computeRewindPlan(CHAIN, { kind: "checkpoint", seq: 3 }, NOW);
    expect(plan.later).toBeNull();
    expect(plan.spentAfter).toEqual({ tokens: 0, costUsd: 0 });
    // A checkpoint's stat is its own step's changes, not the worktree against the base: unknown after.
    expect(plan.worktree).toEqual({ now: NOW, after: null });
  });

  it("fresh goes back to the base: every checkpoint's work and all the spend", () => {
    const plan = computeRewindPlan(CHAIN, { kind: "fresh" }, null);
    expect(plan.later).toEqual({ count: 3, first: 1, last: 3 });
    expect(plan.spentAfter.tokens).toBe(700);
    expect(plan.worktree).toEqual({ now: null, after: { files: 0, additions: 0, deletions: 0 } });
    expect(computeRewindPlan([], { kind: "fresh" }, NOW)).toMatchObject({
      resets: true,
      later: null,
      spentAfter: { tokens: 0, costUsd: 0 },
    });
  });

  it("a plain retry keeps the worktree, and an unknown seq throws nothing away", () => {
    expect(computeRewindPlan(CHAIN, { kind: "latest" }, NOW)).toEqual({
      resets: false,
      later: null,
      spentAfter: { tokens: 0, costUsd: 0 },
      worktree: null,
    });
    expect(computeRewindPlan(CHAIN, { kind: "checkpoint", seq: 9 }, NOW)).toMatchObject({
      resets: false,
      later: null,
      worktree: null,
    });
  });
});

describe("retryBodyOf", () => {
  it("sends the body the API's RetryBody reads for each choice", () => {
    expect(retryBodyOf({ kind: "latest" })).toEqual({});
    expect(retryBodyOf({ kind: "checkpoint", seq: 2 })).toEqual({ fromCheckpoint: 2 });
    expect(retryBodyOf({ kind: "fresh" })).toEqual({ fresh: true });
  });
});
