import { describe, expect, it } from "vitest";
import type { JsonObject } from "./context";
import {
  ContextPathError,
  deleteAtPath,
  findUnstorableText,
  formatContextPath,
  getAtPath,
  parseContextPath,
  setAtPath,
} from "./context-path";

const doc: JsonObject = { a: { b: [10, { c: "x" }], n: 1, s: "str", z: null }, "src/app.ts": { lines: 3 } };
const p = parseContextPath;

describe("dot paths", () => {
  it("parses segments, escapes and array indices, and formats them back", () => {
    expect(p("a.b.1.c")).toEqual(["a", "b", "1", "c"]);
    expect(p("files.src/app\\.ts")).toEqual(["files", "src/app.ts"]);
    expect(p("a\\\\b")).toEqual(["a\\b"]);
    for (const s of [["a", "b.c", "d\\e"], ["x"], ["0", "1"]]) expect(p(formatContextPath(s))).toEqual(s);
  });

  it("refuses empty paths, empty segments and stray backslashes with the reason", () => {
    for (const bad of ["", "a..b", ".a", "a.", "a\\b", "a\\"]) expect(() => p(bad)).toThrow(ContextPathError);
    expect(() => p("a..b")).toThrow(/empty segment at 2/);
    expect(() => p("x".repeat(2000))).toThrow(/longer than/);
    expect(() => p(Array(70).fill("a").join("."))).toThrow(/more than 64 segments/);
  });

  it("gets values through objects and arrays; absent keys and indices are not found", () => {
    expect(getAtPath(doc, p("a.b.1.c"))).toEqual({ found: true, value: "x" });
    expect(getAtPath(doc, p("a.b.0"))).toEqual({ found: true, value: 10 });
    expect(getAtPath(doc, p("a.z"))).toEqual({ found: true, value: null });
    expect(getAtPath(doc, p("src/app\\.ts.lines"))).toEqual({ found: true, value: 3 });
    expect(getAtPath(doc, p("a.missing.deeper"))).toEqual({ found: false });
    expect(getAtPath(doc, p("a.b.5"))).toEqual({ found: false });
    expect(getAtPath(doc, p("constructor"))).toEqual({ found: false });
  });

  it("says clearly when a path goes through a scalar or misuses an array", () => {
    expect(() => getAtPath(doc, p("a.n.x"))).toThrow('path "a.n.x" goes through a number at a.n, which has no keys');
    expect(() => getAtPath(doc, p("a.s.x"))).toThrow(/goes through a string at a\.s/);
    expect(() => getAtPath(doc, p("a.z.x"))).toThrow(/goes through null at a\.z/);
    expect(() => getAtPath(doc, p("a.b.first"))).toThrow(/goes through an array at a\.b, and "first" is not an index/);
    expect(() => setAtPath(doc, p("a.n.x"), 1)).toThrow(/goes through a number at a\.n/);
    expect(() => deleteAtPath(doc, p("a.s.x"))).toThrow(/goes through a string at a\.s/);
    const e = (() => {
      try {
        setAtPath(doc, p("a.n.x"), 1);
      } catch (err) {
        return err as ContextPathError;
      }
    })();
    expect(e?.code).toBe("INVALID_INPUT");
  });

  it("sets values, creating missing objects, appending at an array's length, never mutating the input", () => {
    const before = structuredClone(doc);
    expect(setAtPath(doc, p("a.n"), 2).a).toMatchObject({ n: 2 });
    expect(setAtPath(doc, p("new.deep.key"), true)).toMatchObject({ new: { deep: { key: true } } });
    expect((setAtPath(doc, p("a.b.2"), "appended").a as JsonObject).b).toEqual([10, { c: "x" }, "appended"]);
    expect((setAtPath(doc, p("a.b.1.c"), "y").a as JsonObject).b).toEqual([10, { c: "y" }]);
    expect((setAtPath(doc, p("a.b.2.k"), 1).a as JsonObject).b).toEqual([10, { c: "x" }, { k: 1 }]);
    expect(() => setAtPath(doc, p("a.b.7"), 1)).toThrow(/indexes 7 of an array of length 2 at a\.b/);
    expect(doc).toEqual(before);
  });

  it("stores keys such as __proto__ as data, not as a prototype", () => {
    const out = setAtPath({}, p("__proto__.polluted"), true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("deletes keys and array elements, and reports a missing one", () => {
    expect(deleteAtPath(doc, p("a.n")).data.a).not.toHaveProperty("n");
    expect(deleteAtPath(doc, p("a.b.0"))).toMatchObject({ deleted: true, data: { a: { b: [{ c: "x" }] } } });
    expect(deleteAtPath(doc, p("a.nothing"))).toEqual({ deleted: false, data: doc });
    expect(deleteAtPath(doc, p("nothing.at.all"))).toEqual({ deleted: false, data: doc });
    expect(doc.a).toHaveProperty("n", 1);
  });
});

describe("text PostgreSQL cannot store", () => {
  it("finds NUL characters and lone surrogates in values and keys, and lets paired ones through", () => {
    expect(findUnstorableText({ a: ["ok", "emoji 😀"], b: { c: "fine" } })).toBeNull();
    expect(findUnstorableText({ a: ["ok", "x\u0000y"] })).toBe("a.1");
    expect(findUnstorableText({ a: { "k\u0000": 1 } })).toBe("a.k\u0000");
    expect(findUnstorableText({ "d.e": "\ud800" })).toBe("d\\.e");
  });
});
