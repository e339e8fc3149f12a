import { describe, expect, it } from "vitest";
import { createColors, shouldUseColor, statusPaint, visibleLength } from "./colors";
import { renderPairs, renderTable } from "./table";

describe("renderTable", () => {
  it("pads columns to the widest cell, right-aligns numbers, leaves no trailing blanks", () => {
    const out = renderTable(
      [{ header: "ID" }, { header: "N", align: "right" }, { header: "TITLE" }],
      [
        ["a", "5", "x"],
        ["abcd", "12", "longer title"],
      ],
    );
    expect(out.split("\n")).toEqual(["ID     N  TITLE", "a      5  x", "abcd  12  longer title"]);
  });

  it("measures cells without their colour codes", () => {
    const c = createColors(true);
    const out = renderTable(
      [{ header: "S" }, { header: "T" }],
      [
        [c.green("ok"), "x"],
        ["failed", "y"],
      ],
    );
    const [, first] = out.split("\n");
    expect(first).toBe(`${c.green("ok")}      x`);
    expect(visibleLength(first ?? "")).toBe("failed  y".length);
  });
});

describe("renderPairs", () => {
  it("aligns labels, leaves out null values and separates groups with one blank line", () => {
    const out = renderPairs([
      ["", null],
      ["id", "1"],
      ["missing", null],
      ["", null],
      ["", null],
      ["longer", "x"],
      ["", null],
    ]);
    expect(out.split("\n")).toEqual(["id      1", "", "longer  x"]);
  });
});

describe("colours", () => {
  it("are the identity when disabled", () => {
    const c = createColors(false);
    expect(c.red("x") + c.bold("y")).toBe("xy");
    expect(statusPaint(c, "failed")("failed")).toBe("failed");
  });

  it("paint statuses by meaning", () => {
    const c = createColors(true);
    expect(statusPaint(c, "completed")("s")).toBe(c.green("s"));
    expect(statusPaint(c, "failed")("s")).toBe(c.red("s"));
    expect(statusPaint(c, "running")("s")).toBe(c.cyan("s"));
    expect(statusPaint(c, "cancelled")("s")).toBe(c.gray("s"));
  });

  it("are on only for a TTY without NO_COLOR, --no-color or --json", () => {
    const base = { flag: true, json: false, isTTY: true, env: {} };
    expect(shouldUseColor(base)).toBe(true);
    expect(shouldUseColor({ ...base, isTTY: false })).toBe(false);
    expect(shouldUseColor({ ...base, flag: false })).toBe(false);
    expect(shouldUseColor({ ...base, json: true })).toBe(false);
    expect(shouldUseColor({ ...base, env: { NO_COLOR: "1" } })).toBe(false);
    expect(shouldUseColor({ ...base, env: { NO_COLOR: "" } })).toBe(true);
    expect(shouldUseColor({ ...base, isTTY: false, env: { FORCE_COLOR: "1" } })).toBe(true);
  });
});
