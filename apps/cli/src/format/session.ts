import type { SessionView } from "@industrial/contracts";
import { statusPaint, type Colors } from "./colors";
import { renderPairs, renderTable, type Pair } from "./table";
import { formatAge, formatCost, formatCount, formatDuration, shortId, truncate } from "./text";

const TITLE_COLUMNS = 48;

/** The `ls` table: short id, status, priority, title, agent, age. */
export function formatSessionTable(sessions: readonly SessionView[], c: Colors, now: Date): string {
  const rows = sessions.map((s) => [
    c.bold(shortId(s.id)),
    statusPaint(c, s.status)(s.status),
    s.priority === "critical" || s.priority === "high" ? c.yellow(s.priority) : s.priority,
    truncate(s.title, TITLE_COLUMNS),
    s.agentId ? shortId(s.agentId) : c.gray("-"),
    formatAge(s.createdAt, now),
  ]);
  const columns = ["ID", "STATUS", "PRIORITY", "TITLE", "AGENT", "AGE"].map((header) => ({
    header,
    ...(header === "AGE" ? { align: "right" as const } : {}),
  }));
  return renderTable(columns, rows, c.dim);
}

/** Tool calls as `write×2, bash×1`, most used first. */
export function formatToolCalls(toolCalls: Record<string, number>): string {
  const entries = Object.entries(toolCalls).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length ? entries.map(([tool, n]) => `${tool}×${n}`).join(", ") : "none";
}

/** `show`: the session's fields as aligned `label  value` lines, grouped; empty values are left out. */
export function formatSessionDetail(s: SessionView, c: Colors, now: Date): string {
  const m = s.metrics;
  const t = m.tokens;
  const w = s.workspace;
  const reason = s.statusReason ? c.gray(` (${truncate(s.statusReason, 100)})`) : "";
  const pairs: Pair[] = [
    ["id", s.id],
    ["title", s.title],
    [
      "status",
      `${statusPaint(c, s.status)(s.status)}${reason}${s.requestedAction ? c.yellow(` · ${s.requestedAction} requested`) : ""}`,
    ],
    ["type", `${s.type}, priority ${s.priority}`],
    ["agent", s.agentId],
    ["model", s.model],
    ["attempt", `${s.attempt} of ${s.retry.maxAttempts}`],
    ["created", `${s.createdAt} (${formatAge(s.createdAt, now)} ago)`],
    ["started", s.startedAt],
    ["finished", s.finishedAt],
    ["tags", s.tags.length ? s.tags.join(", ") : null],
    ["", null],
    [
      "repository",
      w.repository ? `${w.repository} @ ${w.baseRef}${w.baseCommit ? ` (${w.baseCommit.slice(0, 8)})` : ""}` : null,
    ],
    ["directory", w.directory],
    ["branch", w.branch],
    ["worktree", w.path],
    ["", null],
    [
      "tokens",
      `in ${formatCount(t.input)}, out ${formatCount(t.output)}, reasoning ${formatCount(t.reasoning)}, cache ${formatCount(t.cacheRead)}r/${formatCount(t.cacheWrite)}w`,
    ],
    ["cost", `${formatCost(m.costUsd)} over ${m.modelCalls} model call${m.modelCalls === 1 ? "" : "s"}`],
    // After a model fallback: what each model used (one model: the lines above say it all).
    ["by model", byModelLine(m.byModel)],
    ["tools", `${formatToolCalls(m.toolCalls)}${m.toolErrors ? c.red(` (${m.toolErrors} failed)`) : ""}`],
    ["files", `${m.filesChanged} changed, ${c.green(`+${m.linesAdded}`)} ${c.red(`−${m.linesRemoved}`)}`],
    ["time", `queued ${formatDuration(m.queueWaitSeconds)}, ran ${formatDuration(m.runSeconds)}`],
    ["checkpoints", String(m.checkpoints)],
    ["error", s.error ? c.red(`${s.error.code}: ${s.error.message}${s.error.retryable ? " (retryable)" : ""}`) : null],
    ["result", s.result ? truncate(s.result.summary, 300) : null],
  ];
  return renderPairs(pairs, c.dim);
}

function byModelLine(byModel: SessionView["metrics"]["byModel"]): string | null {
  const rows = Object.entries(byModel ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length < 2) return null;
  return rows
    .map(
      ([model, u]) =>
        `${model} ${formatCount(u.tokens.input + u.tokens.output + u.tokens.reasoning)} tokens ${formatCost(u.costUsd)}`,
    )
    .join("; ");
}
