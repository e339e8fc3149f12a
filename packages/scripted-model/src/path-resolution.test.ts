import { describe, expect, it } from "vitest";
import { findWorkingDirectory, resolveToolInput } from "./path-resolution";

// The shape OpenCode 1.18.33 sends (copied from a recorded request).
const system = [
  "You are opencode, an interactive CLI tool…",
  "Here is some useful information about the environment you are running in:",
  "<env>",
  "  Working directory: /tmp/probe/my proj",
  "  Workspace root folder: /tmp/probe",
  "  Is directory a git repo: yes",
  "  Platform: linux",
  "</env>",
].join("\n");

describe("findWorkingDirectory", () => {
  it("reads the line in the <env> block, spaces included", () => {
    expect(findWorkingDirectory(system)).toBe("/tmp/probe/my proj");
  });

  it("prefers <env> over a mention elsewhere", () => {
    expect(findWorkingDirectory(`Working directory: /elsewhere\n${system}`)).toBe("/tmp/probe/my proj");
  });

  it("falls back to a line anywhere, and trims trailing spaces and CR", () => {
    expect(findWorkingDirectory("x\nWorking directory: /a/b  \r\ny")).toBe("/a/b");
  });

  it("returns null when absent or not absolute", () => {
    expect(findWorkingDirectory("no env here")).toBeNull();
    expect(findWorkingDirectory("<env>\n Working directory: relative/dir\n</env>")).toBeNull();
    expect(findWorkingDirectory("<env>\n Working directory:\n</env>")).toBeNull();
  });
});

describe("resolveToolInput", () => {
  it("resolves relative filePath and path", () => {
    expect(resolveToolInput({ filePath: "src/a.ts", path: "./lib/../docs", content: "rel/x" }, "/w")).toEqual({
      filePath: "/w/src/a.ts",
      path: "/w/docs",
      content: "rel/x",
    });
  });

  it("leaves absolute paths, non-strings and unknown directories alone", () => {
    const input = { filePath: "/abs/a.ts", path: 3 };
    expect(resolveToolInput(input, "/w")).toEqual(input);
    expect(resolveToolInput({ filePath: "a.ts" }, null)).toEqual({ filePath: "a.ts" });
    expect(resolveToolInput({ filePath: "" }, "/w")).toEqual({ filePath: "" });
  });

  it("does not mutate its input", () => {
    const input = { filePath: "a" };
    resolveToolInput(input, "/w");
    expect(input).toEqual({ filePath: "a" });
  });
});
