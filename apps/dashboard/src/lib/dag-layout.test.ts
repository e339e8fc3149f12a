import { describe, expect, it } from "vitest";
import { computeDagLayout, layoutToFit } from "./dag-layout";

describe("DAG layout", () => {
  const nodes = [
    { id: "root", leaf: false },
    { id: "a", leaf: true },
    { id: "b", leaf: true },
    { id: "c", leaf: true },
  ];
  const edges = [
    { id: "e1", taskId: "b", dependsOnTaskId: "a" },
    { id: "e2", taskId: "c", dependsOnTaskId: "a" },
  ];

  it("puts prerequisites left of what waits for them and leaves parents without edges out", () => {
    const l = computeDagLayout({ nodes, edges, criticalPath: ["a", "b"] });
    expect(l.nodes.map((n) => n.id).sort()).toEqual(["a", "b", "c"]);
    const x = Object.fromEntries(l.nodes.map((n) => [n.id, n.x]));
    expect(x.a!).toBeLessThan(x.b!);
    expect(x.a!).toBeLessThan(x.c!);
    expect(l.width).toBeGreaterThan(0);
    expect(l.edges.every((e) => e.points.length >= 2)).toBe(true);
  });

  it("marks only consecutive critical-path edges critical", () => {
    const l = computeDagLayout({ nodes, edges, criticalPath: ["a", "b"] });
    expect(Object.fromEntries(l.edges.map((e) => [e.id, e.critical]))).toEqual({ e1: true, e2: false });
  });

  it("turns a long chain top to bottom when left to right would not fit", () => {
    const chain = ["a", "b", "c", "d", "e"].map((id) => ({ id, leaf: true }));
    const links = chain.slice(1).map((n, i) => ({ id: `e${i}`, taskId: n.id, dependsOnTaskId: chain[i]!.id }));
    const wide = layoutToFit({ nodes: chain, edges: links, criticalPath: [] }, 5000);
    const narrow = layoutToFit({ nodes: chain, edges: links, criticalPath: [] }, 800);
    expect(wide.width).toBeGreaterThan(wide.height);
    expect(narrow.height).toBeGreaterThan(narrow.width);
    const y = Object.fromEntries(narrow.nodes.map((n) => [n.id, n.y]));
    expect(y.a!).toBeLessThan(y.e!);
  });
});
