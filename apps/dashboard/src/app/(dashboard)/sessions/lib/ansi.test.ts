import { describe, expect, it } from "vitest";
import { isStyled, plainOf, toAnsiLines } from "./ansi";

const ESC = "\x1b";

describe("ANSI → spans", () => {
  it("keeps plain text as one unstyled span per line", () => {
    const lines = toAnsiLines("hello\n  world");
    expect(lines).toEqual([[{ text: "hello" }], [{ text: "  world" }]]);
    expect(lines.some(isStyled)).toBe(false);
  });

  it("names the 16 standard colours and keeps styles, with no escape code left in the text", () => {
    const [line] = toAnsiLines(`${ESC}[31mred${ESC}[0m plain ${ESC}[1;92mbold green${ESC}[0m`);
    expect(line).toEqual([
      { text: "red", fg: "red" },
      { text: " plain " },
      { text: "bold green", fg: "bright-green", styles: ["bold"] },
    ]);
    expect(plainOf(line!)).toBe("red plain bold green");
  });

  it("carries a colour across newlines until it is reset", () => {
    const lines = toAnsiLines(`${ESC}[33mone\ntwo${ESC}[0m\nthree`);
    expect(lines).toEqual([[{ text: "one", fg: "yellow" }], [{ text: "two", fg: "yellow" }], [{ text: "three" }]]);
  });

  it("gives 256-colour and true-colour values as rgb(), backgrounds too", () => {
    const [line] = toAnsiLines(`${ESC}[38;5;208mor${ESC}[38;2;10;20;30;41mtc${ESC}[0m`);
    expect(line).toEqual([
      { text: "or", fg: "rgb(255, 135, 0)" },
      { text: "tc", fg: "rgb(10, 20, 30)", bg: "red" },
    ]);
  });

  it("drops cursor moves, hyperlink wrappers and control characters, and lets a carriage return overwrite its line", () => {
    const lines = toAnsiLines(
      `a${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\${ESC}[2K${ESC}[?25lb\x07\x00\n 10%\r 50%\r100% done\r\nend`,
    );
    expect(lines.map(plainOf)).toEqual(["alinkb", "100% done", "end"]);
  });

  it("expands tabs to stops of 8 columns, counted across spans", () => {
    const [line] = toAnsiLines(`ab\t${ESC}[31mc\td${ESC}[0m`);
    expect(plainOf(line!)).toBe("ab      c       d");
  });
});
