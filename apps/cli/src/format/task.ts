import type { TaskView } from "@industrial/contracts";
import { describeTaskError } from "./task-error";
import type { TaskStatus } from "@industrial/core";
import type { Colors, Paint } from "./colors";
import { renderPairs, renderTable, type Pair } from "./table";
import { formatAge, shortId, truncate } from "./text";

const TITLE_COLUMNS = 50;
const BAR_WIDTH = 10;

/** The colour of a task status, in the sessions' palette: green done, red failed, cyan working, blue waiting, gray dropped. */
export function taskStatusPaint(c: Colors, status: TaskStatus): Paint {
  switch (status) {
    case "completed":
      return c.green;
    case "partially_completed":
      return c.yellow;
    case "failed":
      return c.red;
    // A prerequisite failed: it will not run on its own (like an orphaned session, stuck for a reason elsewhere).
    case "blocked":
      return c.magenta;
    case "running":
      return c.cyan;
    case "pending":
    case "ready":
      return c.blue;
    case "cancelled":
    case "skipped":
      return c.gray;
  }
}

export function formatTaskStatus(status: TaskStatus, c: Colors): string {
  return taskStatusPaint(c, status)(status);
}

/** Hours as people read an estimate: `12.5 h`, `2.25 h`, `3 h`, `0.17 h` (two decimals below ten, one above). */
export function formatHours(hours: number): string {
  const digits = Math.abs(hours) >= 10 ? 1 : 2;
  return `${Number(hours.toFixed(digits)).toString()} h`;
}

/** Slack is `0` when the task is critical (no unit: nothing to spare), hours otherwise. */
export function formatSlack(slack: number): string {
  return Math.abs(slack) < 1e-9 ? "0" : formatHours(slack);
}

/** `██████░░░░  60%`: a parent's share of finished leaves. */
export function formatProgressBar(percent: number, c: Colors, width = BAR_WIDTH): string {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  const filled = Math.round((p / 100) * width);
  const paint = (color: (s: string) => string, s: string) => (s ? color(s) : "");
  return `${paint(c.green, "█".repeat(filled))}${paint(c.gray, "░".repeat(width - filled))} ${`${p}%`.padStart(4)}`;
}

/** The `tasks ls` table: short id, title, status, complexity, expected hours, progress. */
export function formatTaskTable(tasks: readonly TaskView[], c: Colors): string {
  const rows = tasks.map((t) => [
    c.bold(shortId(t.id)),
    truncate(t.title, TITLE_COLUMNS),
    formatTaskStatus(t.status, c),
    t.complexity,
    formatHours(t.estimate.expected),
    `${t.progress.percent}%`,
  ]);
  const right = new Set(["HOURS", "PROGRESS"]);
  const columns = ["ID", "TITLE", "STATUS", "COMPLEXITY", "HOURS", "PROGRESS"].map((header) => ({
    header,
    ...(right.has(header) ? { align: "right" as const } : {}),
  }));
  return renderTable(columns, rows, c.dim);
}

/** A description's first line, with how much more there is. */
function descriptionSummary(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  const more = lines.length > 1 ? ` (+${lines.length - 1} more line${lines.length > 2 ? "s" : ""})` : "";
  return `${truncate(lines[0] ?? "", 100)}${more}`;
}

/** `tasks show` and `tasks add`: the task's fields as aligned pairs. */
export function formatTaskDetail(t: TaskView, c: Colors, now: Date): string {
  const e = t.estimate;
  const x = t.execution;
  const pairs: Pair[] = [
    ["id", t.id],
    ["title", c.bold(t.title)],
    ["status", formatTaskStatus(t.status, c)],
    ["description", t.description.trim() ? descriptionSummary(t.description) : null],
    ["parent", t.parentTaskId],
    ["root", t.rootTaskId === t.id ? null : t.rootTaskId],
    ["type", t.type],
    ["priority", t.priority],
    ["capabilities", t.requiredCapabilities.join(", ") || c.gray("none")],
    ["", null],
    [
      "estimate",
      `${formatHours(e.expected)} expected (${e.optimistic} / ${e.likely} / ${e.pessimistic} h, σ ${formatHours(e.stdDev)}), ${e.source}, confidence ${Math.round(e.confidence * 100)}%`,
    ],
    ["complexity", t.complexity],
    ["progress", `${formatProgressBar(t.progress.percent, c)} (${t.progress.done}/${t.progress.total} leaves)`],
    ["session", t.sessionId],
    [
      "execution",
      x ? `${x.state} · branch ${x.branch} of ${x.repository} (from ${x.baseRef} ${x.baseCommit.slice(0, 8)})` : null,
    ],
    [
      "result",
      t.result
        ? `${truncate(t.result.summary, 100)}${t.result.mergedCommit ? c.gray(` (merged ${t.result.mergedCommit.slice(0, 8)})`) : ""}`
        : null,
    ],
    ["error", t.error ? c.red(describeTaskError(t.error)) : null],
    ["", null],
    ["created", `${t.createdAt} (${formatAge(t.createdAt, now)} ago)`],
    ["started", t.startedAt],
    ["completed", t.completedAt],
  ];
  return renderPairs(pairs, c.dim);
}
