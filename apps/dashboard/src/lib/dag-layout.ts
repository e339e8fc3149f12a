import { Graph, layout } from "@dagrejs/dagre";

export interface DagNodeIn {
  id: string;
  leaf: boolean;
}
export interface DagEdgeIn {
  id: string;
  /** The dependant: it waits for `dependsOnTaskId`. */
  taskId: string;
  dependsOnTaskId: string;
  /** From the graph API: the critical path runs along this edge (zero slack at both ends, and it binds). */
  critical: boolean;
}

export interface PlacedNode<N> {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  node: N;
}
export interface PlacedEdge {
  id: string;
  from: string;
  to: string;
  points: { x: number; y: number }[];
  critical: boolean;
}
export interface DagLayout<N> {
  width: number;
  height: number;
  nodes: PlacedNode<N>[];
  edges: PlacedEdge[];
}

export const NODE_W = 220;
export const NODE_H = 72;

/**
 * Lays the task graph out with dagre, left to right (or top to bottom):
 * prerequisites first, arrows to what waits for them. Drawn: every leaf, and every parent a
 * dependency names (parents only span their leaves otherwise). Which edges
 * are critical is the API's answer (`edges[].critical`), not worked out here:
 * a task with two critical prerequisites has two critical edges leading in.
 */
export function computeDagLayout<N extends DagNodeIn>(
  input: { nodes: N[]; edges: DagEdgeIn[] },
  size = { width: NODE_W, height: NODE_H },
  rankdir: "LR" | "TB" = "LR",
): DagLayout<N> {
  const inEdges = new Set(input.edges.flatMap((e) => [e.taskId, e.dependsOnTaskId]));
  const shown = input.nodes.filter((n) => n.leaf || inEdges.has(n.id));
  const ids = new Set(shown.map((n) => n.id));
  const g = new Graph();
  g.setGraph({ rankdir, nodesep: 28, ranksep: rankdir === "LR" ? 64 : 40, marginx: 16, marginy: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of shown) g.setNode(n.id, { width: size.width, height: size.height });
  const edges = input.edges.filter((e) => ids.has(e.taskId) && ids.has(e.dependsOnTaskId));
  for (const e of edges) g.setEdge(e.dependsOnTaskId, e.taskId);
  layout(g);
  const label = g.graph();
  return {
    width: Math.ceil(label.width ?? 0),
    height: Math.ceil(label.height ?? 0),
    nodes: shown.map((n) => {
      const p = g.node(n.id);
      return {
        id: n.id,
        x: p.x - size.width / 2,
        y: p.y - size.height / 2,
        width: size.width,
        height: size.height,
        node: n,
      };
    }),
    edges: edges.map((e) => ({
      id: e.id,
      from: e.dependsOnTaskId,
      to: e.taskId,
      points: (g.edge(e.dependsOnTaskId, e.taskId)?.points ?? []).map((p: { x: number; y: number }) => ({
        x: p.x,
        y: p.y,
      })),
      critical: e.critical,
    })),
  };
}

/**
 * Left to right unless that is much wider than the space it has and the
 * graph is longer than it is wide (a chain reads better top to bottom then).
 */
export function layoutToFit<N extends DagNodeIn>(
  input: { nodes: N[]; edges: DagEdgeIn[] },
  maxWidth: number,
): DagLayout<N> {
  const lr = computeDagLayout(input);
  if (lr.width <= maxWidth) return lr;
  const tb = computeDagLayout(input, undefined, "TB");
  return tb.width <= lr.width && tb.height <= lr.width ? tb : lr;
}
