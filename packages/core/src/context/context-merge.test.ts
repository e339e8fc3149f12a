import { describe, expect, it } from "vitest";
import { computeMerge, deepMerge, MERGE_STRATEGIES, type MergeSide } from "./context-merge";

const older = "2026-01-01T00:00:00.000Z";
const newer = "2026-01-02T00:00:00.000Z";
const source: MergeSide = {
  data: { shared: { a: 1, s: "source" }, onlySource: true, list: [1, 2], same: 5 },
  updatedAt: newer,
};
const target: MergeSide = {
  data: { shared: { b: 2, s: "target" }, onlyTarget: true, list: [3], same: 5 },
  updatedAt: older,
};

describe("merge strategies", () => {
  it("last_write_wins takes the whole document written last (the source on a tie)", () => {
    expect(computeMerge(source, target, "last_write_wins")).toEqual({ ok: true, data: source.data });
    expect(computeMerge({ ...source, updatedAt: older }, { ...target, updatedAt: newer }, "last_write_wins")).toEqual({
      ok: true,
      data: target.data,
    });
    expect(computeMerge({ ...source, updatedAt: older }, target, "last_write_wins")).toEqual({
      ok: true,
      data: source.data,
    });
  });

  it("deep_merge merges objects at every depth, the source winning other clashes, arrays replaced", () => {
    expect(computeMerge(source, target, "deep_merge")).toEqual({
      ok: true,
      data: { shared: { a: 1, b: 2, s: "source" }, onlySource: true, onlyTarget: true, list: [1, 2], same: 5 },
    });
    expect(deepMerge({ a: { x: 1 } }, { a: "flat" })).toEqual({ a: "flat" });
    expect(deepMerge({ a: "flat" }, { a: { x: 1 } })).toEqual({ a: { x: 1 } });
  });

  it("prefer_source merges top-level keys, the source's value whole on a shared key", () => {
    expect(computeMerge(source, target, "prefer_source")).toEqual({
      ok: true,
      data: { shared: { a: 1, s: "source" }, onlySource: true, onlyTarget: true, list: [1, 2], same: 5 },
    });
  });

  it("prefer_target keeps the target's values and only gains its missing top-level keys", () => {
    expect(computeMerge(source, target, "prefer_target")).toEqual({
      ok: true,
      data: { shared: { b: 2, s: "target" }, onlySource: true, onlyTarget: true, list: [3], same: 5 },
    });
  });

  it("manual refuses with the keys that hold different values on both sides, at the deepest path", () => {
    expect(computeMerge(source, target, "manual")).toEqual({ ok: false, conflicts: ["shared.s", "list"] });
    expect(
      computeMerge(
        { data: { a: { b: { c: 1 } } }, updatedAt: newer },
        { data: { a: { b: "x" } }, updatedAt: older },
        "manual",
      ),
    ).toEqual({
      ok: false,
      conflicts: ["a.b"],
    });
  });

  it("manual merges like deep_merge when only one side has each differing key", () => {
    const s: MergeSide = { data: { a: { x: 1 }, same: [1], n: null }, updatedAt: older };
    const t: MergeSide = { data: { a: { y: 2 }, same: [1], n: null, t: 1 }, updatedAt: newer };
    expect(computeMerge(s, t, "manual")).toEqual({ ok: true, data: { a: { y: 2, x: 1 }, same: [1], n: null, t: 1 } });
  });

  it("never mutates its inputs, for every strategy", () => {
    const before = structuredClone([source, target]);
    for (const strategy of MERGE_STRATEGIES) {
      const r = computeMerge(source, target, strategy);
      if (r.ok) (r.data as Record<string, unknown>).mutated = true;
    }
    expect([source, target]).toEqual(before);
  });
});
