import { describe, expect, it } from "vitest";
import { changedPaths, computeContextDiff } from "./context-diff";

describe("context diff", () => {
  it("lists added, modified and deleted dot paths with their values", () => {
    const from = { a: 1, b: { c: 2, d: [1, 2], e: "gone" }, keep: true, obj: { x: 1 }, "dotted.key": 1 };
    const to = { a: 1, b: { c: 3, d: [1, 2, 3], f: { new: 1 } }, keep: true, obj: "flat", "dotted.key": 2, added: [1] };
    expect(computeContextDiff(from, to)).toEqual({
      added: [
        { path: "b.f", value: { new: 1 } },
        { path: "added", value: [1] },
      ],
      modified: [
        { path: "b.c", from: 2, to: 3 },
        { path: "b.d", from: [1, 2], to: [1, 2, 3] },
        { path: "obj", from: { x: 1 }, to: "flat" },
        { path: "dotted\\.key", from: 1, to: 2 },
      ],
      deleted: [{ path: "b.e", value: "gone" }],
    });
  });

  it("is empty for equal documents whatever the key order, and symmetric", () => {
    expect(computeContextDiff({ a: { x: 1, y: [1, { z: 2 }] } }, { a: { y: [1, { z: 2 }], x: 1 } })).toEqual({
      added: [],
      modified: [],
      deleted: [],
    });
    const d1 = computeContextDiff({ a: 1 }, { b: 2 });
    const d2 = computeContextDiff({ b: 2 }, { a: 1 });
    expect(d1.added).toEqual(d2.deleted);
    expect(changedPaths(d1)).toEqual(["a", "b"]);
  });

  it("treats null as a value", () => {
    expect(computeContextDiff({ a: null }, { a: 0 }).modified).toEqual([{ path: "a", from: null, to: 0 }]);
    expect(computeContextDiff({}, { a: null }).added).toEqual([{ path: "a", value: null }]);
  });
});
