import { describe, expect, it } from "vitest";
import { toAnsiLines } from "./ansi";
import { computeSpanLook } from "./ansi-classes";

const looks = (text: string) => toAnsiLines(text)[0]!.map((s) => ({ text: s.text, ...computeSpanLook(s) }));

describe("computeSpanLook", () => {
  it("draws the 16 named colours with the theme's ansi tokens, text and background", () => {
    expect(looks("\x1b[31mred\x1b[0m \x1b[92mok\x1b[0m")).toEqual([
      { text: "red", className: "text-ansi-red" },
      { text: " ", className: "" },
      { text: "ok", className: "text-ansi-bright-green" },
    ]);
    expect(looks("\x1b[33;44mwarn\x1b[0m")).toEqual([{ text: "warn", className: "text-ansi-yellow bg-ansi-blue" }]);
  });

  it("draws text on a coloured background without a colour of its own in ink", () => {
    expect(looks("\x1b[41m FAIL \x1b[0m")).toEqual([{ text: " FAIL ", className: "text-ink bg-ansi-red" }]);
  });

  it("draws reverse video (anser's black on the colour) and black on a colour in ink, which stays readable", () => {
    expect(looks("\x1b[7mplain\x1b[0m")).toEqual([{ text: "plain", className: "text-ink bg-ansi-white" }]);
    expect(looks("\x1b[7;32mgreen\x1b[0m")).toEqual([{ text: "green", className: "text-ink bg-ansi-green" }]);
    expect(looks("\x1b[30;47mbw\x1b[0m")).toEqual([{ text: "bw", className: "text-ink bg-ansi-white" }]);
    expect(computeSpanLook({ text: "r", styles: ["reverse"] })).toEqual({ className: "text-ink bg-fg" });
  });

  it("keeps 256-colour and true colours as inline colours, and maps styles to classes", () => {
    expect(looks("\x1b[38;2;10;20;30mtc\x1b[0m")).toEqual([
      { text: "tc", className: "", style: { color: "rgb(10, 20, 30)" } },
    ]);
    expect(looks("\x1b[1;3;4;9mall\x1b[0m")).toEqual([
      { text: "all", className: "font-bold italic underline line-through" },
    ]);
  });
});
