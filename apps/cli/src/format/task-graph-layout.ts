import type { GraphSchema } from "@industrial/contracts";
import type { z } from "zod";

/**
 * The layout of `tasks graph`, before any text: which column and row each
 * task sits in, and how the edges between neighbouring columns are routed.
 *
 * Terminology:
 * - node: a leaf task (leaves are what runs; the server's critical path is
 *   over them). A dependency on a parent binds each leaf under it, on either
 *   side, as the server's schedule has it.
 * - column: tasks left to right by earliest start, every prerequisite in a
 *   column left of its dependants (a `start_to_start` dependant may start at
 *   the same hour, it still goes one column right).
 * - element: what occupies one row of one column: a node, or a dummy (an
 *   edge passing through a column on its way further right).
 * - channel: the gap between column c and c + 1, where the edges between
 *   them turn vertical. Each bus is one vertical line on a track of the
 *   channel: sources join it from the left, targets leave it to the right.
 */
export type Graph = z.output<typeof GraphSchema>;
export type GraphNode = Graph["nodes"][number];

export interface Element {
  column: number;
  row: number;
  /** Null for a dummy. */
  node: GraphNode | null;
  /** Has at least one edge leaving to the right. */
  out: boolean;
}

export interface Bus {
  track: number;
  /** Rows of the elements in column c that join it. */
  sources: number[];
  /** Rows of the elements in column c + 1 it leads to, and whether each is a node (drawn with an arrow). */
  targets: { row: number; arrow: boolean }[];
  top: number;
  bottom: number;
}

export interface Channel {
  tracks: number;
  buses: Bus[];
}

export interface GraphLayout {
  /** Per column, its elements top to bottom. */
  columns: Element[][];
  /** channels[c] lies between columns c and c + 1. */
  channels: Channel[];
  rows: number;
}

const EPSILON = 1e-9;

/** The leaves and the edges among them (taskId waits for dependsOnTaskId), a parent's edges handed to its leaves. */
export function leafGraph(graph: Graph): { leaves: GraphNode[]; edges: { from: string; to: string }[] } {
  const leaves = graph.nodes.filter((n) => n.leaf);
  const leafIds = new Set(leaves.map((n) => n.id));
  const children = new Map<string, string[]>();
  for (const n of graph.nodes)
    if (n.parentTaskId) children.set(n.parentTaskId, [...(children.get(n.parentTaskId) ?? []), n.id]);
  const under = (id: string): string[] => (leafIds.has(id) ? [id] : (children.get(id) ?? []).flatMap(under));
  const seen = new Set<string>();
  const edges: { from: string; to: string }[] = [];
  for (const e of graph.edges)
    for (const to of under(e.taskId))
      for (const from of under(e.dependsOnTaskId)) {
        const key = `${from}|${to}`;
        if (from === to || seen.has(key)) continue;
        seen.add(key);
        edges.push({ from, to });
      }
  return { leaves, edges };
}

/** Prerequisites first; among free nodes the earliest start, then the server's order. A cycle (never from the server) just ends the order early. */
function topological(leaves: readonly GraphNode[], edges: readonly { from: string; to: string }[]): GraphNode[] {
  const index = new Map(leaves.map((n, i) => [n.id, i]));
  const waiting = new Map(leaves.map((n) => [n.id, 0]));
  for (const e of edges) waiting.set(e.to, (waiting.get(e.to) ?? 0) + 1);
  const byPriority = (a: GraphNode, b: GraphNode) =>
    a.earliestStart - b.earliestStart || index.get(a.id)! - index.get(b.id)!;
  const free = leaves.filter((n) => waiting.get(n.id) === 0).sort(byPriority);
  const order: GraphNode[] = [];
  while (free.length) {
    const n = free.shift()!;
    order.push(n);
    for (const e of edges)
      if (e.from === n.id) {
        const left = waiting.get(e.to)! - 1;
        waiting.set(e.to, left);
        if (left === 0) {
          free.push(leaves[index.get(e.to)!]!);
          free.sort(byPriority);
        }
      }
  }
  return order.length === leaves.length ? order : [...order, ...leaves.filter((n) => !order.includes(n))];
}

/** Column of each node: the rank of its earliest start, pushed right of its prerequisites; empty columns closed up. */
export function assignColumns(
  order: readonly GraphNode[],
  edges: readonly { from: string; to: string }[],
): Map<string, number> {
  const starts: number[] = [];
  for (const s of [...order.map((n) => n.earliestStart)].sort((a, b) => a - b))
    if (!starts.length || s - starts.at(-1)! > EPSILON) starts.push(s);
  const rank = (s: number) => starts.findIndex((x) => Math.abs(x - s) <= EPSILON);
  const column = new Map<string, number>();
  for (const n of order) {
    let col = rank(n.earliestStart);
    for (const e of edges) if (e.to === n.id && column.has(e.from)) col = Math.max(col, column.get(e.from)! + 1);
    column.set(n.id, col);
  }
  const used = [...new Set(column.values())].sort((a, b) => a - b);
  return new Map([...column].map(([id, col]) => [id, used.indexOf(col)]));
}

/**
 * Lays out the graph: columns by earliest start, rows by the barycentre of
 * each element's predecessors (so a chain stays on one row and a fan-in
 * sits between its sources), then the buses of each channel.
 */
export function layoutTaskGraph(graph: Graph): GraphLayout {
  const { leaves, edges } = leafGraph(graph);
  const order = topological(leaves, edges);
  const columnOf = assignColumns(order, edges);
  const count = Math.max(0, ...columnOf.values()) + 1;
  const columns: Element[][] = Array.from({ length: count }, () => []);
  const elementOf = new Map<string, Element>();
  for (const n of leaves) {
    const el: Element = { column: columnOf.get(n.id)!, row: -1, node: n, out: false };
    elementOf.set(n.id, el);
    columns[el.column]!.push(el);
  }
  // Segments join elements of neighbouring columns; a long edge goes through one dummy per column it crosses.
  const segments: { from: Element; to: Element }[] = [];
  for (const e of edges) {
    let from = elementOf.get(e.from)!;
    const to = elementOf.get(e.to)!;
    for (let col = from.column + 1; col < to.column; col++) {
      const dummy: Element = { column: col, row: -1, node: null, out: false };
      columns[col]!.push(dummy);
      segments.push({ from, to: dummy });
      from = dummy;
    }
    segments.push({ from, to });
  }
  for (const s of segments) s.from.out = true;

  const inputOrder = new Map<Element, number>();
  columns.flat().forEach((el, i) => inputOrder.set(el, i));
  for (const col of columns) {
    const bary = new Map<Element, number>();
    for (const el of col) {
      const preds = segments.filter((s) => s.to === el).map((s) => s.from.row);
      bary.set(el, preds.length ? preds.reduce((a, b) => a + b, 0) / preds.length : -1);
    }
    // Tasks first, by barycentre; long edges pass below them, so they do not push tasks away from their prerequisites.
    col.sort(
      (a, b) =>
        Number(a.node === null) - Number(b.node === null) ||
        bary.get(a)! - bary.get(b)! ||
        inputOrder.get(a)! - inputOrder.get(b)!,
    );
    let next = 0;
    for (const el of col) {
      el.row = Math.max(next, Math.round(bary.get(el)!));
      next = el.row + 1;
    }
  }
  const rows = Math.max(0, ...columns.flat().map((el) => el.row + 1));
  const channels = columns.slice(0, -1).map((_, c) => routeChannel(segments.filter((s) => s.from.column === c)));
  return { columns, channels, rows };
}

type Segment = { from: Element; to: Element };

/**
 * The buses of one channel. Targets fed by the same set of sources share a
 * bus (a fan-out, a fan-in, or both), so a line never suggests an edge that
 * is not there; a source in several sets joins several buses. Each bus gets
 * a track; buses whose rows do not overlap may share one.
 */
export function routeChannel(segments: readonly Segment[]): Channel {
  const sourcesOf = new Map<Element, Set<number>>();
  for (const s of segments) sourcesOf.set(s.to, (sourcesOf.get(s.to) ?? new Set()).add(s.from.row));
  const byKey = new Map<string, Bus>();
  for (const [target, rows] of sourcesOf) {
    const sources = [...rows].sort((a, b) => a - b);
    const key = sources.join(",");
    const bus = byKey.get(key) ?? { track: -1, sources, targets: [], top: Infinity, bottom: -Infinity };
    bus.targets.push({ row: target.row, arrow: target.node !== null });
    byKey.set(key, bus);
  }
  const buses = [...byKey.values()];
  for (const b of buses) {
    b.targets.sort((x, y) => x.row - y.row);
    const all = [...b.sources, ...b.targets.map((t) => t.row)];
    b.top = Math.min(...all);
    b.bottom = Math.max(...all);
  }
  placeTracks(buses);
  return { tracks: Math.max(0, ...buses.map((b) => b.track + 1)), buses };
}

const overlaps = (a: Bus, b: Bus) => a.top <= b.bottom && b.top <= a.bottom;

/** Tracks for buses taken left to right in `order`: each one just right of the overlapping buses before it. */
function assignTracks(order: readonly Bus[]): void {
  order.forEach((bus, i) => {
    bus.track = Math.max(
      0,
      ...order
        .slice(0, i)
        .filter((p) => overlaps(p, bus))
        .map((p) => p.track + 1),
    );
  });
}

/**
 * How bad the current tracks are. A source's stub runs from the column to
 * its farthest bus, a target's stub from its bus to the arrow. Where a row
 * has a source and a target of different buses, the source's buses must be
 * left of the target's, or the two stubs run into each other and draw an
 * edge that is not there (1000 each); a stub passing a bus it does not join
 * is a crossing (1 each); then fewer tracks (narrower) is better.
 */
function trackCost(buses: readonly Bus[]): number {
  let cost = Math.max(0, ...buses.map((b) => b.track + 1)) / 100;
  const spans = (b: Bus, row: number) => b.top <= row && row <= b.bottom;
  const sourceRows = new Set(buses.flatMap((b) => b.sources));
  for (const row of sourceRows) {
    const mine = buses.filter((b) => b.sources.includes(row));
    const far = Math.max(...mine.map((b) => b.track));
    cost += buses.filter((b) => !mine.includes(b) && b.track < far && spans(b, row)).length;
    const target = buses.find((b) => b.targets.some((t) => t.row === row));
    if (target) cost += 1000 * mine.filter((b) => b !== target && b.track >= target.track).length;
  }
  for (const target of buses)
    for (const { row } of target.targets)
      cost += buses.filter(
        (b) => b !== target && b.track > target.track && spans(b, row) && !b.sources.includes(row),
      ).length;
  return cost;
}

/** Up to this many buses in one channel, every left-to-right order is tried (7! = 5040). */
const EXHAUSTIVE = 7;

/** The track of each bus: the cheapest order (trackCost) of them all when there are few, else by top row. */
function placeTracks(buses: Bus[]): void {
  const byTop = [...buses].sort((a, b) => a.top - b.top || a.bottom - b.bottom);
  if (buses.length > EXHAUSTIVE) return assignTracks(byTop);
  let best = byTop;
  assignTracks(best);
  let bestCost = trackCost(buses);
  const permute = (prefix: Bus[], rest: Bus[]) => {
    if (!rest.length) {
      assignTracks(prefix);
      const cost = trackCost(buses);
      if (cost < bestCost) [best, bestCost] = [[...prefix], cost];
      return;
    }
    rest.forEach((b, i) => permute([...prefix, b], [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  permute([], byTop);
  assignTracks(best);
}
