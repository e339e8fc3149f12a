import type { DependencySchema, TaskTreeNode, TaskView } from "@industrial/contracts";
import type { DependencyType } from "@industrial/core";
import type { z } from "zod";
import { visibleLength, type Colors } from "./colors";
import { formatHours, formatProgressBar, formatTaskStatus } from "./task";
import { describeTaskError } from "./task-error";
import { shortId, truncate } from "./text";

export type Dependency = z.output<typeof DependencySchema>;

/** Titles are cut to fit the terminal, between these. */
const MAX_TITLE = 60;
const MIN_TITLE = 20;
const NAME_COLUMNS = 40;

/** One drawn node: its branch prefix, the node, and the prefix its own notes (dependencies, error) hang from. */
interface Line {
  prefix: string;
  notePrefix: string;
  node: TaskView;
  parent: boolean;
}

/** Depth-first, children in their order, with the box-drawing prefixes of a `tree` listing. */
function walk(nodes: readonly TaskTreeNode[], prefix: string, out: Line[], topLevel: boolean): void {
  nodes.forEach((n, i) => {
    const last = i === nodes.length - 1;
    const branch = topLevel ? "" : last ? "└── " : "├── ";
    const childPrefix = topLevel ? prefix : prefix + (last ? "    " : "│   ");
    const parent = n.children.length > 0;
    out.push({ prefix: prefix + branch, notePrefix: `${childPrefix}${parent ? "│" : " "}  `, node: n, parent });
    walk(n.children, childPrefix, out, false);
  });
}

/** How a task is named in a `← waits for` note: its title, with the short id when another task of the tree would read the same. */
function namer(lines: readonly Line[]): (id: string) => string {
  const names = new Map(lines.map((l) => [l.node.id, truncate(l.node.title, NAME_COLUMNS)]));
  const count = new Map<string, number>();
  for (const n of names.values()) count.set(n, (count.get(n) ?? 0) + 1);
  return (id) => {
    const name = names.get(id);
    if (name === undefined) return shortId(id);
    return (count.get(name) ?? 0) > 1 ? `${shortId(id)} ${name}` : name;
  };
}

/** `← waits for A, B (finish_to_start)`: one note per dependency type, prerequisites in edge order. */
export function formatWaitsFor(
  taskId: string,
  dependencies: readonly Dependency[],
  name: (id: string) => string,
): string[] {
  const byType = new Map<DependencyType, string[]>();
  for (const d of dependencies)
    if (d.taskId === taskId) byType.set(d.type, [...(byType.get(d.type) ?? []), name(d.dependsOnTaskId)]);
  return [...byType].map(([type, names]) => `← waits for ${names.join(", ")} (${type})`);
}

/**
 * Nodes drawn as a tree: each line is `<branch> <short id> <title>`, then
 * aligned columns of status, a progress bar (parents only) and expected
 * hours; under a node, its dependencies (`← waits for …`) and its error.
 * Titles are cut (to 60 characters at most, 20 at least) to fit `width`.
 */
function renderForest(
  top: readonly TaskTreeNode[],
  dependencies: readonly Dependency[],
  c: Colors,
  topLevel: boolean,
  width: number,
): string {
  const lines: Line[] = [];
  walk(top, "", lines, topLevel);
  const name = namer(lines);
  // Prerequisites in tree order, not in the order the edges were added.
  const at = new Map(lines.map((l, i) => [l.node.id, i]));
  const edges = [...dependencies].sort(
    (a, b) => (at.get(a.dependsOnTaskId) ?? Infinity) - (at.get(b.dependsOnTaskId) ?? Infinity),
  );
  const rest = lines.map((l) => [
    formatTaskStatus(l.node.status, c),
    l.parent ? formatProgressBar(l.node.progress.percent, c) : "",
    formatHours(l.node.estimate.expected),
  ]);
  const restWidths = [0, 1, 2].map((i) => Math.max(...rest.map((r) => visibleLength(r[i] ?? ""))));
  const fixed =
    Math.max(...lines.map((l) => l.prefix.length)) + 9 + restWidths.reduce((a, w) => a + (w ? w + 2 : 0), 0);
  const titleMax = Math.max(MIN_TITLE, Math.min(MAX_TITLE, width - fixed));
  const cells = lines.map((l, i) => [
    `${l.prefix}${c.bold(shortId(l.node.id))} ${truncate(l.node.title, titleMax)}`,
    ...rest[i]!,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...cells.map((r) => visibleLength(r[i] ?? ""))));
  const pad = (s: string, w: number) => s + " ".repeat(Math.max(0, w - visibleLength(s)));
  const out: string[] = [];
  lines.forEach((l, i) => {
    const [left = "", status = "", bar = "", hours = ""] = cells[i] ?? [];
    const columns = [
      pad(left, widths[0]!),
      pad(status, widths[1]!),
      ...(widths[2] ? [pad(bar, widths[2])] : []),
      " ".repeat(widths[3]! - visibleLength(hours)) + hours,
    ];
    out.push(columns.join("  ").trimEnd());
    for (const note of formatWaitsFor(l.node.id, edges, name)) out.push(`${l.notePrefix}${c.gray(note)}`);
    const err = l.node.error;
    if (err) out.push(`${l.notePrefix}${c.red(`✗ ${describeTaskError(err, 100)}`)}`);
  });
  return out.join("\n");
}

/** `tasks tree`: the task and its subtasks with box-drawing branches, statuses, progress, hours and dependencies. */
export function formatTaskTree(
  tree: { root: TaskTreeNode; dependencies: readonly Dependency[] },
  c: Colors,
  width = Infinity,
): string {
  return renderForest([tree.root], tree.dependencies, c, true, width);
}

/**
 * Tasks given flat (as `decompose` returns the ones it created), drawn as
 * the subtrees under `parentId`: the top ones are its children.
 */
export function formatTaskForest(
  parentId: string,
  tasks: readonly TaskView[],
  dependencies: readonly Dependency[],
  c: Colors,
  width = Infinity,
): string {
  const nest = (id: string): TaskTreeNode[] =>
    tasks
      .filter((t) => t.parentTaskId === id)
      .sort((a, b) => a.position - b.position)
      .map((t) => ({ ...t, children: nest(t.id) }));
  return renderForest(nest(parentId), dependencies, c, false, width);
}

/** The leaves under a node, in tree order: what actually runs. */
export function leavesOf(node: TaskTreeNode): TaskTreeNode[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(leavesOf);
}
