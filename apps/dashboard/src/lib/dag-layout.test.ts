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
    { id: "e1", taskId: "b", dependsOnTaskId: "a", critical: true },
    { id: "e2", taskId: "c", dependsOnTaskId: "a", critical: false },
  ];

  it("puts prerequisites left of what waits for them and leaves parents without edges out", () => {
    const l = computeDagLayout({ nodes, edges });
    expect(l.nodes.map((n) => n.id).sort()).toEqual(["a", "b", "c"]);
    const x = Object.fromEntries(l.nodes.map((n) => [n.id, n.x]));
    expect(x.a!).toBeLessThan(x.b!);
    expect(x.a!).toBeLessThan(x.c!);
    expect(l.width).toBeGreaterThan(0);
    expect(l.edges.every((e) => e.points.length >= 2)).toBe(true);
  });

  it("draws the edges the API marks critical, and only those", () => {
    const l = computeDagLayout({ nodes, edges });
    expect(Object.fromEntries(l.edges.map((e) => [e.id, e.critical]))).toEqual({ e1: true, e2: false });
    const both = computeDagLayout({ nodes, edges: edges.map((e) => ({ ...e, critical: true })) });
    expect(both.edges.every((e) => e.critical)).toBe(true);
  });

  it("turns a long chain top to bottom when left to right would not fit", () => {
    const chain = ["a", "b", "c", "d", "e"].map((id) => ({ id, leaf: true }));
    const links = chain
      .slice(1)
      .map((n, i) => ({ id: `e${i}`, taskId: n.id, dependsOnTaskId: chain[i]!.id, critical: false }));
    const wide = layoutToFit({ nodes: chain, edges: links }, 5000);
    const narrow = layoutToFit({ nodes: chain, edges: links }, 800);
    expect(wide.width).toBeGreaterThan(wide.height);
    expect(narrow.height).toBeGreaterThan(narrow.width);
    const y = Object.fromEntries(narrow.nodes.map((n) => [n.id, n.y]));
    expect(y.a!).toBeLessThan(y.e!);
  });
});
