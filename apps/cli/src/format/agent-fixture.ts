import type { AgentPerformanceSchema, AgentView } from "@industrial/contracts";
import type { z } from "zod";

/** An agent as the API returns it, for the formatter tests: 12 sessions finished, breaker closed. */
export function agentFixture(over: Partial<AgentView> = {}): AgentView {
  return {
    id: "3f2a1b2c-0000-4000-8000-000000000001",
    tenantId: "00000000-0000-4000-8000-000000000000",
    name: "auditor",
    type: "reviewer",
    capabilities: ["code_review", "security_audit", "compliance_check", "performance_analysis", "testing"],
    model: "scripted/replay",
    openCodeAgent: "build",
    systemPrompt: "You audit code for security issues.\nBe terse.\nCite lines.",
    temperature: 0.2,
    permissions: [
      { permission: "edit", pattern: "*", action: "deny" },
      { permission: "bash", pattern: "git *", action: "allow" },
    ],
    maxConcurrent: 2,
    runnerId: null,
    sandbox: { network: "full", memoryMb: null, maxProcesses: 4096, cpuSeconds: null, mounts: [] },
    allowQuestions: false,
    inputTimeoutSeconds: 900,
    fallbackModels: [],
    status: "active",
    maintenance: false,
    maintenanceReason: null,
    lastHeartbeatAt: null,
    stats: {
      finished: 12,
      succeeded: 10,
      failed: 2,
      successRate: 10 / 12,
      avgDurationSeconds: 12.34,
      avgTokens: 4900,
      avgCostUsd: 0.0049,
      perCapability: { security_audit: { finished: 8, succeeded: 7 } },
    },
    costByModel: { "scripted/replay": { attempts: 12, avgCostUsd: 0.0049, switchedAwayAt: null } },
    tier: "STANDARD",
    breaker: {
      state: "closed",
      consecutiveFailures: 0,
      recent: [true, false, true],
      openedAt: null,
      reopensAt: null,
      cooldownSeconds: 60,
      trialInFlight: false,
    },
    running: 1,
    available: true,
    createdAt: "2026-11-22T01:25:23.393Z",
    updatedAt: "2026-11-22T03:23:36.252Z",
    ...over,
  };
}

export function performanceFixture(
  over: Partial<z.output<typeof AgentPerformanceSchema>> = {},
): z.output<typeof AgentPerformanceSchema> {
  const a = agentFixture();
  return {
    agentId: a.id,
    name: a.name,
    tier: a.tier,
    stats: a.stats,
    breaker: a.breaker,
    perCapability: [
      { capability: "security_audit", finished: 8, succeeded: 7, successRate: 7 / 8 },
      { capability: "testing", finished: 0, succeeded: 0, successRate: 0 },
    ],
    tierHistory: [
      {
        at: "2026-11-22T03:00:00.000Z",
        from: "PROBATION",
        to: "STANDARD",
        finished: 5,
        successRate: 0.8,
        reason: "5 finished, 80% success",
      },
      {
        at: "2026-11-22T01:25:23.393Z",
        from: null,
        to: "PROBATION",
        finished: 0,
        successRate: 0,
        reason: "registered",
      },
    ],
    recentSessions: [
      {
        sessionId: "9371ba73-ff30-47f3-8d8c-25a075dbabe1",
        title: "Audit the login handler",
        attempt: 1,
        status: "completed",
        attemptStatus: "succeeded",
        startedAt: "2026-11-22T03:20:23.393Z",
        finishedAt: "2026-11-22T03:20:35.733Z",
        durationSeconds: 12.34,
        tokens: 4900,
        costUsd: 0.0049,
        error: null,
      },
    ],
    ...over,
  };
}
