import { describe, expect, it } from "vitest";
import { computeBinaryPackages } from "./opencode-binary";
import { parsePidfile } from "./process-control";

describe("parsePidfile", () => {
  it("reads JSON or a bare pid, and refuses nonsense", () => {
    expect(parsePidfile('{"pid":1234,"startedAt":"x"}\n')).toBe(1234);
    expect(parsePidfile("4321\n")).toBe(4321);
    expect(parsePidfile("")).toBeNull();
    expect(parsePidfile("1")).toBeNull(); // never init
    expect(parsePidfile('{"pid":"12"}')).toBeNull();
    expect(parsePidfile("abc")).toBeNull();
  });
});

describe("computeBinaryPackages", () => {
  it("lists the platform package first, then fallbacks", () => {
    expect(computeBinaryPackages("linux", "x64")).toEqual([
      "opencode-linux-x64",
      "opencode-linux-x64-baseline",
      "opencode-linux-x64-musl",
      "opencode-linux-x64-baseline-musl",
    ]);
    expect(computeBinaryPackages("win32", "x64")).toEqual(["opencode-windows-x64", "opencode-windows-x64-baseline"]);
    expect(computeBinaryPackages("darwin", "arm64")[0]).toBe("opencode-darwin-arm64");
  });
});
