import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { UsageError } from "./cli-error";
import { applyKeystrokes, parseKeyInput, readFirstLine } from "./read-secret";

const KEY = "io_abcdefghijkl_0123456789abcdefghijABCDEFGHIJ-_0123456789a";

describe("applyKeystrokes", () => {
  it("adds a pasted key and ends at Enter, whatever follows", () => {
    expect(applyKeystrokes("", `${KEY}\rrest`)).toEqual({ state: "done", value: KEY });
    expect(applyKeystrokes("io_", "abc")).toEqual({ state: "typing", value: "io_abc" });
    expect(applyKeystrokes("io_abc", "\n")).toEqual({ state: "done", value: "io_abc" });
  });

  it("Backspace deletes, Ctrl-U clears", () => {
    expect(applyKeystrokes("abc", "\u007f\b")).toEqual({ state: "typing", value: "a" });
    expect(applyKeystrokes("abc", "\u0015xy")).toEqual({ state: "typing", value: "xy" });
  });

  it("Ctrl-C interrupts; Ctrl-D ends input only on an empty line", () => {
    expect(applyKeystrokes("secret", "\u0003")).toEqual({ state: "interrupted", value: "" });
    expect(applyKeystrokes("", "\u0004")).toEqual({ state: "eof", value: "" });
    expect(applyKeystrokes("ab", "\u0004c")).toEqual({ state: "typing", value: "abc" });
  });

  it("drops escape sequences whole: arrows and bracketed-paste markers never reach the key", () => {
    expect(applyKeystrokes("", "\u001b[D\u001b[200~abc\u001b[201~")).toEqual({ state: "typing", value: "abc" });
    expect(applyKeystrokes("a", "\u001bOb\t")).toEqual({ state: "typing", value: "ab" });
  });
});

describe("parseKeyInput", () => {
  it("trims a key and refuses what cannot be one before it is sent", () => {
    expect(parseKeyInput(`  ${KEY}\n`)).toBe(KEY);
    expect(() => parseKeyInput(" \n")).toThrow("no API key was given");
    expect(() => parseKeyInput("io_short")).toThrow(/not an API key: .*32 characters/);
    expect(() => parseKeyInput(`${KEY} ${KEY}`)).toThrow(UsageError);
  });
});

describe("readFirstLine", () => {
  it("returns the first line of piped input, across chunks, without its line ending", async () => {
    expect(await readFirstLine(Readable.from([Buffer.from("io_ab"), Buffer.from("c\r\nsecond line\n")]))).toBe(
      "io_abc",
    );
    expect(await readFirstLine(Readable.from(["no newline at all"]))).toBe("no newline at all");
    expect(await readFirstLine(Readable.from([]))).toBe("");
  });
});
