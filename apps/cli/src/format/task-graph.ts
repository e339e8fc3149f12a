import type { Colors } from "./colors";
import { formatHours, formatSlack } from "./task";
import { layoutTaskGraph, type Graph, type GraphLayout, type GraphNode } from "./task-graph-layout";
import { renderTable } from "./table";
import { shortId, truncate } from "./text";

/** Titles are cut to fit the terminal, but never below this: shorter, the drawing switches to keys and a legend. */
const MIN_TITLE = 12;
const MAX_TITLE = 40;
const PATH_TITLE = 40;

// Box-drawing by arms: a cell's lines leave it up, down, left or right.
const UP = 1;
const DOWN = 2;
const LEFT = 4;
const RIGHT = 8;
const BOX: Record<number, string> = {
  [UP]: "│",
  [DOWN]: "│",
  [UP | DOWN]: "│",
  [LEFT]: "─",
  [RIGHT]: "─",
  [LEFT | RIGHT]: "─",
  [DOWN | RIGHT]: "┌",
  [DOWN | LEFT]: "┐",
  [UP | RIGHT]: "└",
  [UP | LEFT]: "┘",
  [UP | DOWN | RIGHT]: "├",
  [UP | DOWN | LEFT]: "┤",
  [LEFT | RIGHT | DOWN]: "┬",
  [LEFT | RIGHT | UP]: "┴",
  [UP | DOWN | LEFT | RIGHT]: "┼",
};

/** Width of channel c: a lead-in, two cells per track, then `─▶ `. */
const channelWidth = (tracks: number) => (tracks ? 2 * tracks + 3 : 3);

/** `2.5h`: hours without the space, labels are tight. */
const compact = (text: string) => text.replace(/ h$/, "h");

/** What a node is drawn as (its visible text; critical nodes are painted by the renderer). */
export type GraphLabel = (n: GraphNode) => string;

/** `Title (2.5h, slack 0)`; critical ones marked `*` when there is no colour to show it. */
export function titleLabel(titleMax: number, c: Colors): GraphLabel {
  return (n) =>
    `${n.critical && !c.enabled ? "*" : ""}${truncate(n.title, titleMax)} (${compact(formatHours(n.hours))}, slack ${compact(formatSlack(n.slack))})`;
}

/** Column widths: the longest label, plus one cell before the outgoing line. */
function columnWidths(layout: GraphLayout, label: GraphLabel): number[] {
  return layout.columns.map((col) => Math.max(1, ...col.map((el) => (el.node ? label(el.node).length : 1))) + 1);
}

/** How wide the drawing is with these labels. */
export function graphWidth(layout: GraphLayout, label: GraphLabel): number {
  return (
    columnWidths(layout, label).reduce((a, b) => a + b, 0) +
    layout.channels.reduce((a, ch) => a + channelWidth(ch.tracks), 0)
  );
}

/**
 * Draws a laid-out graph: nodes as labels in their columns (critical ones
 * bold red when colour is on), edges as box-drawing lines through the
 * channels, `▶` where an edge reaches a task.
 */
export function renderTaskGraph(layout: GraphLayout, c: Colors, label: GraphLabel): string {
  const widths = columnWidths(layout, label);
  const x0: number[] = [];
  let x = 0;
  layout.columns.forEach((_, i) => {
    x0.push(x);
    x += widths[i]! + (layout.channels[i] ? channelWidth(layout.channels[i].tracks) : 0);
  });

  const arms = Array.from({ length: layout.rows }, () => new Array<number>(x).fill(0));
  const text: (string | null)[][] = Array.from({ length: layout.rows }, () => new Array<string | null>(x).fill(null));
  const line = (row: number, from: number, to: number) => {
    for (let i = from; i <= to; i++) arms[row]![i]! |= (i > from ? LEFT : 0) | (i < to ? RIGHT : 0);
  };

  layout.columns.forEach((col, ci) => {
    const start = x0[ci]!;
    const end = start + widths[ci]! - 1;
    for (const el of col) {
      if (el.node) {
        const l = label(el.node);
        text[el.row]![start] = el.node.critical ? c.bold(c.red(l)) : l;
        for (let i = start + 1; i < start + l.length; i++) text[el.row]![i] = "";
        // The outgoing line starts one blank after the label and runs into the channel.
        if (el.out && start + l.length + 1 <= end) line(el.row, start + l.length + 1, end + 1);
      } else line(el.row, start, end + 1);
    }
  });

  layout.channels.forEach((ch, ci) => {
    const lead = x0[ci]! + widths[ci]!;
    const arrow = x0[ci + 1]! - 2;
    for (const bus of ch.buses) {
      const tx = lead + 1 + 2 * bus.track;
      for (let r = bus.top; r <= bus.bottom; r++) arms[r]![tx]! |= (r > bus.top ? UP : 0) | (r < bus.bottom ? DOWN : 0);
      for (const r of bus.sources) {
        line(r, lead, tx);
        arms[r]![lead]! |= LEFT;
      }
      for (const t of bus.targets) {
        if (t.arrow) {
          line(t.row, tx, arrow - 1);
          text[t.row]![arrow] = "▶";
        } else line(t.row, tx, arrow + 2);
      }
    }
  });

  return arms
    .map((row, r) =>
      row
        .map((a, i) => {
          const t = text[r]![i];
          return t !== null && t !== undefined ? t : a ? (BOX[a] ?? "┼") : " ";
        })
        .join("")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * `critical path: A → B → C (12.5 h)`: the zero-slack tasks by earliest
 * start; tasks that are critical side by side (same start) are joined by
 * `|`. Tasks are named by `name` (their title, or their key in the legend).
 */
export function formatCriticalPath(
  graph: Graph,
  c: Colors,
  name: (n: GraphNode) => string = (n) => truncate(n.title, PATH_TITLE),
): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const steps: GraphNode[][] = [];
  for (const id of graph.criticalPath) {
    const n = byId.get(id);
    if (!n) continue;
    const last = steps.at(-1);
    if (last && Math.abs(last[0]!.earliestStart - n.earliestStart) < 1e-9) last.push(n);
    else steps.push([n]);
  }
  const path = steps.map((s) => s.map(name).join(" | ")).join(" → ");
  return `${c.bold("critical path:")} ${path || c.gray("none")} (${formatHours(graph.totalHours)})`;
}

/** A, B, …, Z, AA, AB, …: short keys for the legend. */
export function graphKey(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : `${graphKey(Math.floor(index / 26) - 1)}${letter}`;
}

/** The legend of the keyed drawing: key, short id, hours, slack and the full title of each task. */
function formatLegend(layout: GraphLayout, keys: ReadonlyMap<string, string>, c: Colors): string {
  const nodes = layout.columns.flatMap((col) => col.flatMap((el) => (el.node ? [el.node] : [])));
  const rows = nodes.map((n) => {
    const key = `${n.critical && !c.enabled ? "*" : ""}${keys.get(n.id)}`;
    return [n.critical ? c.bold(c.red(key)) : key, shortId(n.id), formatHours(n.hours), formatSlack(n.slack), n.title];
  });
  const columns = [
    { header: "KEY" },
    { header: "ID" },
    { header: "HOURS", align: "right" as const },
    { header: "SLACK", align: "right" as const },
    { header: "TITLE" },
  ];
  return renderTable(columns, rows, c.dim);
}

/**
 * `tasks graph`: the DAG of the leaves, then the critical path line. Titles
 * are shortened (to no less than 12 characters) until the drawing fits
 * `width`; when even that is too wide, tasks are drawn as keys (A, B, …)
 * with their hours and slack, explained by a legend under the drawing.
 */
export function formatTaskGraph(graph: Graph, c: Colors, width: number): string {
  const layout = layoutTaskGraph(graph);
  for (let titleMax = MAX_TITLE; titleMax >= MIN_TITLE; titleMax--) {
    const label = titleLabel(titleMax, c);
    if (graphWidth(layout, label) <= width)
      return `${renderTaskGraph(layout, c, label)}\n\n${formatCriticalPath(graph, c)}`;
  }
  const keys = new Map(
    layout.columns
      .flatMap((col) => col.flatMap((el) => (el.node ? [el.node.id] : [])))
      .map((id, i) => [id, graphKey(i)]),
  );
  const keyLabel: GraphLabel = (n) =>
    `${n.critical && !c.enabled ? "*" : ""}${keys.get(n.id)} ${compact(formatHours(n.hours))}/${compact(formatSlack(n.slack))}`;
  return [
    renderTaskGraph(layout, c, keyLabel),
    formatLegend(layout, keys, c),
    formatCriticalPath(graph, c, (n) => keys.get(n.id) ?? shortId(n.id)),
  ].join("\n\n");
}
