import type { TaskTreeNode } from "@industrial/contracts";
import type { TaskStatus } from "@industrial/core";
import { visibleLength, type Colors } from "./colors";
import { formatProgressBar, formatTaskStatus, taskStatusPaint } from "./task";
import { leavesOf } from "./task-tree";
import { shortId, truncate } from "./text";

const TITLE_COLUMNS = 50;

/** One glyph per leaf status: what is done, running, stuck or still waiting. */
const ICON: Record<TaskStatus, string> = {
  completed: "✓",
  skipped: "–",
  running: "▸",
  ready: "·",
  pending: "·",
  failed: "✗",
  blocked: "⊘",
  cancelled: "–",
  partially_completed: "◐",
};

/** Which leaves to keep when the display must be cut: the ones something is happening to. */
const INTEREST: Record<TaskStatus, number> = {
  running: 0,
  failed: 1,
  blocked: 2,
  ready: 3,
  pending: 4,
  partially_completed: 5,
  completed: 6,
  cancelled: 7,
  skipped: 8,
};

/** `00000000 Build the users API  running  ██░░░░░░░░  20% (1/5 leaves)`, with the execution's state once it ended. */
export function formatProgressHeader(root: TaskTreeNode, c: Colors): string {
  const ended =
    root.execution && root.execution.state !== "running" ? c.dim(` · execution ${root.execution.state}`) : "";
  return `${c.bold(shortId(root.id))} ${truncate(root.title, TITLE_COLUMNS)}  ${formatTaskStatus(root.status, c)}  ${formatProgressBar(root.progress.percent, c)} (${root.progress.done}/${root.progress.total} leaves)${ended}`;
}

/**
 * The live display of `tasks execute --wait`: the root's progress, then
 * one line per leaf (icon, title, status), in tree order. At most
 * `maxLines` lines (a redrawn block must fit the terminal): when there are
 * more leaves, the skipped, cancelled and completed ones are left out first,
 * then the waiting ones, and a last line says how many are not shown.
 */
export function formatExecutionProgress(root: TaskTreeNode, c: Colors, maxLines = Infinity): string[] {
  const leaves = leavesOf(root);
  const room = Math.max(1, maxLines - 1);
  let shown = leaves;
  if (leaves.length > room) {
    const keep = new Set([...leaves].sort((a, b) => INTEREST[a.status] - INTEREST[b.status]).slice(0, room - 1));
    shown = leaves.filter((l) => keep.has(l));
  }
  const titles = shown.map(
    (l) => `${taskStatusPaint(c, l.status)(ICON[l.status])} ${truncate(l.title, TITLE_COLUMNS)}`,
  );
  const width = Math.max(0, ...titles.map(visibleLength));
  const lines = shown.map(
    (l, i) => `  ${titles[i]}${" ".repeat(width - visibleLength(titles[i]!))}  ${formatTaskStatus(l.status, c)}`,
  );
  const hidden = leaves.length - shown.length;
  return [formatProgressHeader(root, c), ...lines, ...(hidden ? [c.dim(`  … ${hidden} more`)] : [])];
}

/**
 * What changed between two polls of a tree, as plain lines (the display
 * when stderr is not a terminal): each leaf whose status moved, then the
 * root's progress when it moved. `prev` null: the first poll, which says
 * where the tree stands.
 */
export function describeTreeChanges(prev: TaskTreeNode | null, next: TaskTreeNode): string[] {
  const before = new Map(prev ? leavesOf(prev).map((l) => [l.id, l.status]) : []);
  const lines: string[] = [];
  for (const l of leavesOf(next)) {
    const was = before.get(l.id);
    if (prev && was !== l.status)
      lines.push(`${shortId(l.id)} ${truncate(l.title, TITLE_COLUMNS)}: ${was ?? "new"} → ${l.status}`);
  }
  const p = next.progress;
  if (
    !prev ||
    prev.progress.percent !== p.percent ||
    prev.status !== next.status ||
    prev.execution?.state !== next.execution?.state
  )
    lines.push(
      `${shortId(next.id)} ${next.status} ${p.percent}% (${p.done}/${p.total} leaves)${next.execution && next.execution.state !== "running" ? `, execution ${next.execution.state}` : ""}`,
    );
  return lines;
}
