import type { AgentPerformanceSchema, AgentView } from "@industrial/contracts";
import { formatMountSpec, type PermissionRule, type Tier } from "@industrial/core";
import type { z } from "zod";
import { statusPaint, type Colors, type Paint } from "./colors";
import { renderPairs, renderTable, type Pair } from "./table";
import { formatAge, formatClock, formatCost, formatCount, formatDuration, shortId, truncate } from "./text";

type AgentPerformance = z.output<typeof AgentPerformanceSchema>;
type Breaker = AgentView["breaker"];
type Sandbox = AgentView["sandbox"];

const TITLE_COLUMNS = 40;
const ERROR_COLUMNS = 60;

/** A rate out of `finished` as a whole percentage; `-` before anything finished (0 % would be a lie). */
export function formatRate(rate: number, finished: number): string {
  return finished > 0 ? `${Math.round(rate * 100)}%` : "-";
}

export function tierPaint(c: Colors, tier: Tier): Paint {
  return tier === "ELITE" ? c.green : tier === "PROBATION" ? c.yellow : (s) => s;
}

/** `active`, `draining`, `offline`, with `, maintenance` when it is switched on. */
export function formatAgentStatus(a: Pick<AgentView, "status" | "maintenance">, c: Colors): string {
  const paint = a.status === "active" ? c.green : a.status === "draining" ? c.yellow : c.gray;
  return `${paint(a.status)}${a.maintenance ? c.yellow(", maintenance") : ""}`;
}

/** The breaker in a table cell: `closed`, `open until 03:25:00` (UTC), `half-open` (`, trial running`). */
export function formatBreakerState(b: Breaker, c: Colors): string {
  if (b.state === "open") return c.red(`open${b.reopensAt ? ` until ${formatClock(b.reopensAt)}` : ""}`);
  if (b.state === "half_open") return c.yellow(`half-open${b.trialInFlight ? ", trial running" : ""}`);
  return "closed";
}

/** A rule in the syntax `agents add --permission` takes, so it can be copied back: `edit=deny`, `bash:git *=allow`. */
export function formatPermission(r: PermissionRule): string {
  return r.pattern === "*" ? `${r.permission}=${r.action}` : `${r.permission}:${r.pattern}=${r.action}`;
}

/** The sandbox in a table cell: the network, then only the limits set and the number of mounts (`network, 4096 procs`). */
export function formatSandboxSummary(s: Sandbox): string {
  const parts = [
    s.network === "none" ? "no network" : "network",
    s.memoryMb === null ? null : `${s.memoryMb} MiB`,
    s.maxProcesses === null ? null : `${s.maxProcesses} procs`,
    s.cpuSeconds === null ? null : `${s.cpuSeconds} cpu-s`,
    s.mounts.length ? `${s.mounts.length} mount${s.mounts.length === 1 ? "" : "s"}` : null,
  ];
  return parts.filter((p) => p !== null).join(", ");
}

/** The whole policy on one line, every limit named (`none`: no limit), for `agents show`. */
export function formatSandboxLimits(s: Sandbox): string {
  const limit = (n: number | null, unit: string) => (n === null ? "none" : `${n}${unit}`);
  return [
    `network ${s.network}`,
    `memory ${limit(s.memoryMb, " MiB")}`,
    `processes ${limit(s.maxProcesses, "")}`,
    `cpu ${limit(s.cpuSeconds, " s")}`,
  ].join(" · ");
}

/** The `agents ls` table: name, type, tier, status, load, success rate, finished, breaker, runner, sandbox. */
export function formatAgentTable(agents: readonly AgentView[], c: Colors): string {
  const rows = agents.map((a) => [
    c.bold(a.name),
    a.type,
    tierPaint(c, a.tier)(a.tier),
    formatAgentStatus(a, c),
    `${a.running}/${a.maxConcurrent}`,
    formatRate(a.stats.successRate, a.stats.finished),
    String(a.stats.finished),
    formatBreakerState(a.breaker, c),
    a.runnerId ? shortId(a.runnerId) : c.gray("managed"),
    formatSandboxSummary(a.sandbox),
  ]);
  const right = new Set(["LOAD", "SUCCESS", "FINISHED"]);
  const columns = ["NAME", "TYPE", "TIER", "STATUS", "LOAD", "SUCCESS", "FINISHED", "BREAKER", "RUNNER", "SANDBOX"].map(
    (header) => ({
      header,
      ...(right.has(header) ? { align: "right" as const } : {}),
    }),
  );
  return renderTable(columns, rows, c.dim);
}

/** The first line of a system prompt, with how much more there is. */
function promptSummary(prompt: string): string {
  const lines = prompt.trim().split(/\r?\n/);
  const more = lines.length > 1 ? ` (+${lines.length - 1} more line${lines.length > 2 ? "s" : ""})` : "";
  return `${truncate(lines[0] ?? "", 100)}${more}`;
}

function breakerDetail(b: Breaker, c: Colors): string {
  const recent = b.recent.length ? ` · recent ${b.recent.map((ok) => (ok ? c.green("✓") : c.red("✗"))).join("")}` : "";
  const failures = b.consecutiveFailures
    ? `, ${b.consecutiveFailures} failure${b.consecutiveFailures === 1 ? "" : "s"} in a row`
    : "";
  if (b.state === "open")
    return `${c.red("open")}${failures} · reopens at ${b.reopensAt ?? "?"} (cooldown ${formatDuration(b.cooldownSeconds)})${recent}`;
  return `${formatBreakerState(b, c)}${failures}${recent}`;
}

/** `agents show`, the top part: profile, load, stats, tier and breaker, as aligned pairs. */
export function formatAgentDetail(a: AgentView, c: Colors, now: Date): string {
  const s = a.stats;
  const pairs: Pair[] = [
    ["id", a.id],
    ["name", c.bold(a.name)],
    ["type", a.type],
    [
      "status",
      `${formatAgentStatus(a, c)}${a.maintenanceReason ? c.gray(` (${truncate(a.maintenanceReason, 100)})`) : ""}`,
    ],
    ["capabilities", a.capabilities.join(", ") || c.gray("none")],
    ["model", a.model ?? c.gray("the server's default")],
    ["opencode agent", a.openCodeAgent],
    ["temperature", a.temperature === null ? c.gray("the model's default") : String(a.temperature)],
    [
      "permissions",
      a.permissions.length ? a.permissions.map(formatPermission).join(", ") : c.gray("OpenCode's defaults"),
    ],
    ["system prompt", a.systemPrompt ? promptSummary(a.systemPrompt) : null],
    // Keys stay within 14 characters: the column is as wide as the longest key.
    ["fallbacks", a.fallbackModels.length ? a.fallbackModels.join(", ") : c.gray("none")],
    ["questions", a.allowQuestions ? "allowed (a person answers)" : c.gray("denied")],
    [
      "input timeout",
      a.inputTimeoutSeconds === 0 ? "none (waits for an answer)" : formatDuration(a.inputTimeoutSeconds),
    ],
    ["runner", a.runnerId ?? c.gray("managed")],
    ["sandbox", formatSandboxLimits(a.sandbox)],
    // In the syntax `--mount` takes, so a list can be copied back.
    ["mounts", a.sandbox.mounts.length ? a.sandbox.mounts.map(formatMountSpec).join(", ") : c.gray("none")],
    ["", null],
    [
      "load",
      `${a.running}/${a.maxConcurrent} running · ${a.available ? c.green("available") : c.yellow("not available")}`,
    ],
    ["tier", tierPaint(c, a.tier)(a.tier)],
    [
      "finished",
      `${s.finished} (${s.succeeded} succeeded, ${s.failed} failed) · ${formatRate(s.successRate, s.finished)} success`,
    ],
    [
      "averages",
      s.finished
        ? `${formatDuration(s.avgDurationSeconds)}, ${formatCount(Math.round(s.avgTokens))} tokens, ${formatCost(s.avgCostUsd)} per session`
        : null,
    ],
    ["breaker", breakerDetail(a.breaker, c)],
    ["heartbeat", a.lastHeartbeatAt ? `${a.lastHeartbeatAt} (${formatAge(a.lastHeartbeatAt, now)} ago)` : null],
    ["created", `${a.createdAt} (${formatAge(a.createdAt, now)} ago)`],
  ];
  return renderPairs(pairs, c.dim);
}

/** `agents show`, the bottom part: per-capability success, tier history and recent sessions, each a titled table. */
export function formatAgentPerformance(p: AgentPerformance, c: Colors, now: Date): string {
  const sections: string[] = [];
  const title = (t: string) => c.bold(t);
  if (p.perCapability.length) {
    const rows = p.perCapability.map((x) => [
      x.capability,
      String(x.finished),
      String(x.succeeded),
      formatRate(x.successRate, x.finished),
    ]);
    sections.push(
      `${title("per capability")}\n${renderTable([{ header: "CAPABILITY" }, ...["FINISHED", "SUCCEEDED", "SUCCESS"].map((header) => ({ header, align: "right" as const }))], rows, c.dim)}`,
    );
  }
  if (p.tierHistory.length) {
    const rows = p.tierHistory.map((h) => [
      h.at,
      h.from ? `${h.from} → ${tierPaint(c, h.to)(h.to)}` : tierPaint(c, h.to)(h.to),
      String(h.finished),
      formatRate(h.successRate, h.finished),
      h.reason,
    ]);
    const columns = [
      { header: "AT" },
      { header: "TIER" },
      { header: "FINISHED", align: "right" as const },
      { header: "SUCCESS", align: "right" as const },
      { header: "REASON" },
    ];
    sections.push(`${title("tier history")}\n${renderTable(columns, rows, c.dim)}`);
  }
  if (p.recentSessions.length) {
    const withErrors = p.recentSessions.some((r) => r.error);
    const rows = p.recentSessions.map((r) => [
      c.bold(shortId(r.sessionId)),
      `#${r.attempt}`,
      statusPaint(c, r.status)(r.status),
      truncate(r.title, TITLE_COLUMNS),
      r.durationSeconds === null ? c.gray("-") : formatDuration(r.durationSeconds),
      formatCount(r.tokens),
      formatCost(r.costUsd),
      formatAge(r.startedAt, now),
      ...(withErrors ? [r.error ? c.red(truncate(r.error, ERROR_COLUMNS)) : ""] : []),
    ]);
    const right = new Set(["ATTEMPT", "TIME", "TOKENS", "COST", "AGE"]);
    const headers = [
      "SESSION",
      "ATTEMPT",
      "STATUS",
      "TITLE",
      "TIME",
      "TOKENS",
      "COST",
      "AGE",
      ...(withErrors ? ["ERROR"] : []),
    ];
    const columns = headers.map((header) => ({ header, ...(right.has(header) ? { align: "right" as const } : {}) }));
    sections.push(`${title("recent sessions")}\n${renderTable(columns, rows, c.dim)}`);
  }
  return sections.length ? sections.join("\n\n") : c.dim("no finished sessions yet");
}
