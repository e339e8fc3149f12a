import { describe, expect, it } from "vitest";
import { INFRASTRUCTURE_LOST } from "../session/adoption";
import { emptyAgentStats, type AgentStats } from "./agent";
import { addToStats, judgeAttempt, recordAgentOutcome, type FinishedAttempt } from "./agent-record";
import { closedBreaker } from "./breaker";
import { SessionErrorCode, type SessionError } from "../session/session";
import type { SessionStatus } from "../session/session-status";

const NOW = new Date("2026-03-29T12:00:00.000Z");
const err = (code: string): SessionError => ({ code, message: code, retryable: false });
const attempt = (over: Partial<FinishedAttempt> = {}): FinishedAttempt => ({
  verdict: "success",
  durationSeconds: 60,
  tokens: 1000,
  costUsd: 0.1,
  capabilities: [],
  ...over,
});

describe("judgeAttempt", () => {
  it("a completed attempt is a success for both the agent and the runner", () => {
    expect(judgeAttempt("completed", null)).toEqual({ agent: "success", runner: "success" });
  });

  it("a provider or model failure counts against the agent; the runner did its job", () => {
    for (const code of [
      SessionErrorCode.PROVIDER_ERROR,
      SessionErrorCode.PROVIDER_UNAVAILABLE,
      SessionErrorCode.NO_MODEL,
      SessionErrorCode.INTERNAL,
    ])
      expect(judgeAttempt("failed", err(code))).toEqual({ agent: "failure", runner: "success" });
  });

  it("a failure without an error is treated as INTERNAL: against the agent", () => {
    expect(judgeAttempt("failed", null)).toEqual({ agent: "failure", runner: "success" });
  });

  it("a lost or unreachable OpenCode server counts against the runner, not the agent", () => {
    for (const code of [SessionErrorCode.RUNNER_UNAVAILABLE, SessionErrorCode.OPENCODE_SESSION_LOST]) {
      expect(judgeAttempt("failed", err(code))).toEqual({ agent: "neutral", runner: "failure" });
      expect(judgeAttempt("timeout", err(code))).toEqual({ agent: "neutral", runner: "failure" });
    }
  });

  it("the session's own faults (budget, workspace) are neutral for both", () => {
    for (const code of [
      SessionErrorCode.BUDGET_EXCEEDED,
      SessionErrorCode.WORKSPACE_ERROR,
      SessionErrorCode.REPOSITORY_UNREACHABLE,
    ])
      expect(judgeAttempt("failed", err(code))).toEqual({ agent: "neutral", runner: "neutral" });
  });

  it("an attempt lost to the infrastructure (its replica died) is neutral for both", () => {
    for (const retryable of [true, false])
      expect(judgeAttempt("failed", { code: INFRASTRUCTURE_LOST, message: "lost", retryable })).toEqual({
        agent: "neutral",
        runner: "neutral",
      });
  });

  it("a person's stop, pause or cancel is neutral for both, whatever the error", () => {
    for (const status of ["stopped", "paused", "cancelled"] as const satisfies readonly SessionStatus[]) {
      expect(judgeAttempt(status, null)).toEqual({ agent: "neutral", runner: "neutral" });
      expect(judgeAttempt(status, err(SessionErrorCode.PROVIDER_ERROR))).toEqual({
        agent: "neutral",
        runner: "neutral",
      });
    }
  });

  it("a timeout counts against the agent", () => {
    expect(judgeAttempt("timeout", err(SessionErrorCode.TIMEOUT))).toEqual({ agent: "failure", runner: "success" });
    expect(judgeAttempt("timeout", null)).toEqual({ agent: "failure", runner: "success" });
  });
});

describe("addToStats", () => {
  it("keeps running means of duration, tokens and cost over the counted attempts", () => {
    let s = emptyAgentStats();
    s = addToStats(s, attempt({ durationSeconds: 10, tokens: 100, costUsd: 0.3 }));
    s = addToStats(s, attempt({ verdict: "failure", durationSeconds: 20, tokens: 300, costUsd: 0.1 }));
    s = addToStats(s, attempt({ durationSeconds: 60, tokens: 200, costUsd: 0.2 }));
    expect(s).toMatchObject({ finished: 3, succeeded: 2, failed: 1 });
    expect(s.successRate).toBeCloseTo(2 / 3, 12);
    expect(s.avgDurationSeconds).toBeCloseTo(30, 12);
    expect(s.avgTokens).toBeCloseTo(200, 12);
    expect(s.avgCostUsd).toBeCloseTo(0.2, 12);
  });

  it("counts each capability once per attempt, successes only on success", () => {
    let s = emptyAgentStats();
    s = addToStats(s, attempt({ capabilities: ["code_generation", "testing", "code_generation"] }));
    s = addToStats(s, attempt({ verdict: "failure", capabilities: ["testing"] }));
    expect(s.perCapability).toEqual({
      code_generation: { finished: 1, succeeded: 1 },
      testing: { finished: 2, succeeded: 1 },
    });
  });

  it("ignores neutral attempts entirely", () => {
    const s = addToStats(emptyAgentStats(), attempt());
    expect(addToStats(s, attempt({ verdict: "neutral", durationSeconds: 9999, capabilities: ["testing"] }))).toBe(s);
  });

  it("does not mutate the stats it is given", () => {
    const s: AgentStats = {
      ...emptyAgentStats(),
      finished: 1,
      succeeded: 1,
      successRate: 1,
      perCapability: { testing: { finished: 1, succeeded: 1 } },
    };
    const copy = structuredClone(s);
    addToStats(s, attempt({ verdict: "failure", capabilities: ["testing", "debugging"] }));
    expect(s).toEqual(copy);
  });
});

describe("recordAgentOutcome", () => {
  const record = (finished: number, succeeded: number, tier: "ELITE" | "STANDARD" | "PROBATION") => ({
    stats: {
      ...emptyAgentStats(),
      finished,
      succeeded,
      failed: finished - succeeded,
      successRate: finished ? succeeded / finished : 0,
    },
    tier,
    breaker: closedBreaker(),
  });

  it("reports a tier change when the fifth success leaves probation", () => {
    const r = recordAgentOutcome(record(4, 4, "PROBATION"), attempt(), NOW);
    expect(r).toMatchObject({ tier: "STANDARD", tierChanged: true });
    expect(r.stats.finished).toBe(5);
  });

  it("reports no change when the tier stays the same", () => {
    expect(recordAgentOutcome(record(10, 8, "STANDARD"), attempt(), NOW)).toMatchObject({
      tier: "STANDARD",
      tierChanged: false,
    });
    expect(recordAgentOutcome(record(2, 2, "PROBATION"), attempt({ verdict: "failure" }), NOW)).toMatchObject({
      tier: "PROBATION",
      tierChanged: false,
    });
  });

  it("promotes at the 35th straight success, and demotes when the rate falls below 0.5", () => {
    expect(recordAgentOutcome(record(34, 34, "STANDARD"), attempt(), NOW)).toMatchObject({
      tier: "ELITE",
      tierChanged: true,
    });
    expect(recordAgentOutcome(record(10, 5, "STANDARD"), attempt({ verdict: "failure" }), NOW)).toMatchObject({
      tier: "PROBATION",
      tierChanged: true,
    });
    expect(recordAgentOutcome(record(35, 35, "ELITE"), attempt({ verdict: "failure" }), NOW)).toMatchObject({
      tier: "STANDARD",
      tierChanged: true,
    });
  });

  it("recomputes a stale stored tier", () => {
    // The stored tier disagrees with the stats (e.g. written before the formula changed): the new one wins and is reported.
    expect(recordAgentOutcome(record(3, 3, "ELITE"), attempt(), NOW)).toMatchObject({
      tier: "PROBATION",
      tierChanged: true,
    });
  });

  it("feeds the verdict to the breaker", () => {
    const r = recordAgentOutcome(record(10, 8, "STANDARD"), attempt({ verdict: "failure" }), NOW);
    expect(r.breaker).toMatchObject({ state: "closed", consecutiveFailures: 1, recent: [false] });
  });

  it("a neutral attempt changes neither stats, tier nor breaker", () => {
    const before = record(10, 8, "STANDARD");
    const r = recordAgentOutcome(before, attempt({ verdict: "neutral" }), NOW);
    expect(r).toEqual({ ...before, tierChanged: false });
  });
});
