import { describe, expect, it } from "vitest";
import { exceedsJsonDepth } from "./json-depth";

const nested = (depth: number, shape: "array" | "object") =>
  JSON.parse(
    shape === "array" ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth),
  ) as unknown;

describe("exceedsJsonDepth", () => {
  it("counts the top level as 1 and scalars as no level", () => {
    expect(exceedsJsonDepth(1, 0)).toBe(false);
    expect(exceedsJsonDepth("x", 0)).toBe(false);
    expect(exceedsJsonDepth(null, 0)).toBe(false);
    expect(exceedsJsonDepth({}, 0)).toBe(true);
    expect(exceedsJsonDepth({}, 1)).toBe(false);
    expect(exceedsJsonDepth({ a: [1, { b: 2 }] }, 3)).toBe(false);
    expect(exceedsJsonDepth({ a: [1, { b: 2 }] }, 2)).toBe(true);
  });

  it("finds the one deep branch among shallow ones", () => {
    expect(exceedsJsonDepth({ a: 1, b: [2, 3], c: { d: nested(10, "array") } }, 11)).toBe(true);
    expect(exceedsJsonDepth({ a: 1, b: [2, 3], c: { d: nested(10, "array") } }, 12)).toBe(false);
  });

  it("answers for a hundred thousand levels without overflowing the stack", () => {
    for (const shape of ["array", "object"] as const) {
      expect(exceedsJsonDepth(nested(100_000, shape), 256)).toBe(true);
      expect(exceedsJsonDepth(nested(256, shape), 256)).toBe(false);
    }
  });
});
