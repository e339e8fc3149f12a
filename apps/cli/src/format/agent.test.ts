import { describe, expect, it } from "vitest";
import { parsePermissionFlag } from "../agent-options";
import { createColors } from "./colors";
import { parseMountSpec } from "@industrial/core";
import {
  formatAgentDetail,
  formatAgentPerformance,
  formatAgentTable,
  formatBreakerState,
  formatPermission,
  formatRate,
  formatSandboxLimits,
  formatSandboxSummary,
} from "./agent";
import { agentFixture, performanceFixture } from "./agent-fixture";

const plain = createColors(false);
const now = new Date("2026-11-22T03:25:23.393Z");
const idle = {
  finished: 0,
  succeeded: 0,
  failed: 0,
  successRate: 0,
  avgDurationSeconds: 0,
  avgTokens: 0,
  avgCostUsd: 0,
  perCapability: {},
};

describe("formatAgentTable", () => {
  it("shows name, type, tier, status with maintenance, load, success, finished, breaker, runner and sandbox", () => {
    const draining = agentFixture({
      name: "default",
      type: "implementer",
      tier: "PROBATION",
      status: "draining",
      maintenance: true,
      running: 0,
      maxConcurrent: 4,
      stats: idle,
      breaker: {
        ...agentFixture().breaker,
        state: "open",
        openedAt: "2026-11-22T03:29:00.000Z",
        reopensAt: "2026-11-22T03:30:00.000Z",
      },
      runnerId: "86a2012d-ce2d-4547-bf92-e42d26715992",
      sandbox: {
        network: "none",
        memoryMb: 2048,
        maxProcesses: null,
        cpuSeconds: 600,
        mounts: [{ path: "/srv/cache", mode: "ro" }],
      },
    });
    expect(formatAgentTable([agentFixture(), draining], plain).split("\n")).toEqual([
      "NAME     TYPE         TIER       STATUS                 LOAD  SUCCESS  FINISHED  BREAKER              RUNNER    SANDBOX",
      "auditor  reviewer     STANDARD   active                  1/2      83%        12  closed               managed   network, 4096 procs",
      "default  implementer  PROBATION  draining, maintenance   0/4        -         0  open until 03:30:00  86a2012d  no network, 2048 MiB, 600 cpu-s, 1 mount",
    ]);
  });

  it("colours tiers and trouble when colour is on", () => {
    const c = createColors(true);
    const out = formatAgentTable([agentFixture({ tier: "ELITE", maintenance: true })], c);
    expect(out).toContain(c.green("ELITE"));
    expect(out).toContain(c.yellow(", maintenance"));
  });
});

describe("small agent formatters", () => {
  it("a rate is a whole percentage, or - before anything finished", () => {
    expect(formatRate(10 / 12, 12)).toBe("83%");
    expect(formatRate(0, 0)).toBe("-");
    expect(formatRate(0, 3)).toBe("0%");
  });

  it("the breaker cell says when an open breaker lets a trial through", () => {
    const b = agentFixture().breaker;
    expect(formatBreakerState(b, plain)).toBe("closed");
    expect(formatBreakerState({ ...b, state: "open", reopensAt: "2026-11-22T03:30:00.000Z" }, plain)).toBe(
      "open until 03:30:00",
    );
    expect(formatBreakerState({ ...b, state: "half_open", trialInFlight: true }, plain)).toBe(
      "half-open, trial running",
    );
  });

  it("the sandbox cell names the network and only the limits set; show's line names every limit", () => {
    const all = {
      network: "none" as const,
      memoryMb: 4096,
      maxProcesses: 512,
      cpuSeconds: 60,
      mounts: [
        { path: "/a", mode: "ro" as const },
        { path: "/b", mode: "rw" as const },
      ],
    };
    expect(formatSandboxSummary(agentFixture().sandbox)).toBe("network, 4096 procs");
    expect(formatSandboxSummary({ ...agentFixture().sandbox, maxProcesses: null })).toBe("network");
    expect(formatSandboxSummary(all)).toBe("no network, 4096 MiB, 512 procs, 60 cpu-s, 2 mounts");
    expect(formatSandboxLimits(agentFixture().sandbox)).toBe("network full · memory none · processes 4096 · cpu none");
    expect(formatSandboxLimits(all)).toBe("network none · memory 4096 MiB · processes 512 · cpu 60 s");
  });

  it("permission rules print in the syntax --permission takes, and parse back to the same rule", () => {
    const rules = agentFixture().permissions;
    expect(rules.map(formatPermission)).toEqual(["edit=deny", "bash:git *=allow"]);
    for (const r of rules) expect(parsePermissionFlag(formatPermission(r))).toEqual({ ok: true, rule: r });
  });
});

describe("formatAgentDetail", () => {
  it("shows the profile, load, stats, tier and breaker, leaving out what is empty", () => {
    const out = formatAgentDetail(agentFixture(), plain, now);
    expect(out).toContain("type            reviewer");
    expect(out).toContain(
      "capabilities    code_review, security_audit, compliance_check, performance_analysis, testing",
    );
    expect(out).toContain("model           scripted/replay");
    expect(out).toContain("opencode agent  build");
    expect(out).toContain("temperature     0.2");
    expect(out).toContain("permissions     edit=deny, bash:git *=allow");
    expect(out).toContain("system prompt   You audit code for security issues. (+2 more lines)");
    expect(out).toContain("load            1/2 running · available");
    expect(out).toContain("tier            STANDARD");
    expect(out).toContain("finished        12 (10 succeeded, 2 failed) · 83% success");
    expect(out).toContain("averages        12.3s, 4.9k tokens, $0.0049 per session");
    expect(out).toContain("breaker         closed · recent ✓✗✓");
    expect(out).toContain("sandbox         network full · memory none · processes 4096 · cpu none");
    expect(out).toContain("mounts          none");
    expect(out).toContain("fallbacks       none");
    expect(out).toContain("questions       denied");
    expect(out).toContain("input timeout   15m 00s");
    expect(out).toContain("created         2026-11-22T01:25:23.393Z (2h ago)");
    expect(out).not.toMatch(/^heartbeat/m);
  });

  it("names the defaults an agent falls back on, and an open breaker's reopening time", () => {
    const a = agentFixture({
      model: null,
      temperature: null,
      permissions: [],
      systemPrompt: null,
      stats: idle,
      maintenance: true,
      maintenanceReason: "provider outage",
      available: false,
      breaker: {
        state: "open",
        consecutiveFailures: 5,
        recent: [false],
        openedAt: "2026-11-22T03:24:00.000Z",
        reopensAt: "2026-11-22T03:26:00.000Z",
        cooldownSeconds: 120,
        trialInFlight: false,
      },
    });
    const out = formatAgentDetail(a, plain, now);
    expect(out).toContain("status          active, maintenance (provider outage)");
    expect(out).toContain("model           the server's default");
    expect(out).toContain("temperature     the model's default");
    expect(out).toContain("permissions     OpenCode's defaults");
    expect(out).toContain("finished        0 (0 succeeded, 0 failed) · - success");
    expect(out).toContain(
      "breaker         open, 5 failures in a row · reopens at 2026-11-22T03:26:00.000Z (cooldown 2m 00s) · recent ✗",
    );
    expect(out).toContain("1/2 running · not available");
    expect(out).not.toMatch(/^system prompt|^averages/m);
  });

  it("lists fallback models in order, allowed questions and a timeout of 0 as waiting for ever", () => {
    const out = formatAgentDetail(
      agentFixture({
        fallbackModels: ["scripted/scripted-model", "scripted/scripted-model-large"],
        allowQuestions: true,
        inputTimeoutSeconds: 0,
      }),
      plain,
      now,
    );
    expect(out).toContain("fallbacks       scripted/scripted-model, scripted/scripted-model-large");
    expect(out).toContain("questions       allowed (a person answers)");
    expect(out).toContain("input timeout   none (waits for an answer)");
  });

  it("lists mounts in the syntax --mount takes, so each parses back to the same mount", () => {
    const mounts = [
      { path: "/srv/cache", mode: "ro" as const },
      { path: "/a:b/data", mode: "rw" as const },
    ];
    const out = formatAgentDetail(
      agentFixture({ sandbox: { network: "none", memoryMb: 1024, maxProcesses: null, cpuSeconds: 30, mounts } }),
      plain,
      now,
    );
    expect(out).toContain("sandbox         network none · memory 1024 MiB · processes none · cpu 30 s");
    expect(out).toContain("mounts          /srv/cache:ro, /a:b/data:rw");
    expect(["/srv/cache:ro", "/a:b/data:rw"].map((m) => parseMountSpec(m))).toEqual(
      mounts.map((mount) => ({ ok: true, mount })),
    );
  });
});

describe("formatAgentPerformance", () => {
  it("tabulates success per capability, the tier history and recent sessions", () => {
    expect(formatAgentPerformance(performanceFixture(), plain, now).split("\n")).toEqual([
      "per capability",
      "CAPABILITY      FINISHED  SUCCEEDED  SUCCESS",
      "security_audit         8          7      88%",
      "testing                0          0        -",
      "",
      "tier history",
      "AT                        TIER                  FINISHED  SUCCESS  REASON",
      "2026-11-22T03:00:00.000Z  PROBATION → STANDARD         5      80%  5 finished, 80% success",
      "2026-11-22T01:25:23.393Z  PROBATION                    0        -  registered",
      "",
      "recent sessions",
      "SESSION   ATTEMPT  STATUS     TITLE                     TIME  TOKENS     COST  AGE",
      "9371ba73       #1  completed  Audit the login handler  12.3s    4.9k  $0.0049   5m",
    ]);
  });

  it("adds an error column only when a recent session failed, and says when nothing ran yet", () => {
    const p = performanceFixture();
    const failed = { ...p.recentSessions[0]!, status: "failed" as const, error: "PROVIDER_ERROR: boom" };
    const out = formatAgentPerformance({ ...p, recentSessions: [failed] }, plain, now);
    expect(out).toMatch(/AGE {2}ERROR\n.*failed.* {2}PROVIDER_ERROR: boom$/);
    expect(formatAgentPerformance({ ...p, perCapability: [], tierHistory: [], recentSessions: [] }, plain, now)).toBe(
      "no finished sessions yet",
    );
  });
});
