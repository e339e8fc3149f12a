import { PRIORITIES, SESSION_STATUSES } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { UsageError } from "./cli-error";
import {
  enumListOption,
  enumOption,
  intOption,
  numberOption,
  optionLabel,
  parseOptions,
  repeatedEnumOption,
} from "./options";

const Schema = z.object({
  priority: enumOption(PRIORITIES).optional(),
  maxDuration: intOption(5, 100).optional(),
  status: enumListOption(SESSION_STATUSES).optional(),
});

function usageError(raw: unknown): UsageError {
  try {
    parseOptions(Schema, raw, { id: "<id>" });
  } catch (e) {
    if (e instanceof UsageError) return e;
  }
  throw new Error("expected a UsageError");
}

describe("parseOptions", () => {
  it("turns commander's strings into typed values", () => {
    expect(parseOptions(Schema, { priority: "high", maxDuration: "60", status: "running, queued" })).toEqual({
      priority: "high",
      maxDuration: 60,
      status: ["running", "queued"],
    });
  });

  it("names the bad option and says what it accepts", () => {
    const e = usageError({ priority: "urgent" });
    expect(e.message).toBe("invalid --priority: must be one of critical, high, medium, low, deferred");
    expect(e.exitCode).toBe(2);
  });

  it("lists every bad option at once, kebab-cased", () => {
    const e = usageError({ priority: "urgent", maxDuration: "1e3", status: "running,nope" });
    expect(e.message).toBe("invalid options: --priority, --max-duration, --status");
    expect(e.details).toEqual([
      { path: "--priority", reason: "must be one of critical, high, medium, low, deferred" },
      { path: "--max-duration", reason: "must be a whole number from 5 to 100" },
      { path: "--status", reason: expect.stringContaining('"nope" is not one of pending') },
    ]);
  });

  it("checks integer ranges", () => {
    expect(usageError({ maxDuration: "4" }).message).toBe("invalid --max-duration: must be at least 5");
    expect(usageError({ maxDuration: "101" }).message).toBe("invalid --max-duration: must be at most 100");
  });

  it("labels positional arguments and whole-object issues", () => {
    expect(optionLabel(["id"], { id: "<id>" })).toBe("<id>");
    expect(optionLabel([])).toBe("options");
    expect(optionLabel(["fromCheckpoint"])).toBe("--from-checkpoint");
  });
});

describe("numberOption", () => {
  const T = z.object({ temperature: numberOption(0, 2) });
  it("takes plain decimals within the range", () => {
    expect(parseOptions(T, { temperature: "0.7" })).toEqual({ temperature: 0.7 });
    expect(parseOptions(T, { temperature: "2" })).toEqual({ temperature: 2 });
  });
  it("refuses signs, exponents and values out of range, naming the option", () => {
    for (const bad of ["-1", "1e0", ".5", "abc"])
      expect(() => parseOptions(T, { temperature: bad })).toThrow(
        "invalid --temperature: must be a number from 0 to 2",
      );
    expect(() => parseOptions(T, { temperature: "2.01" })).toThrow("invalid --temperature: must be at most 2");
  });
});

describe("repeatedEnumOption", () => {
  const R = z.object({ capability: repeatedEnumOption(["a", "b", "c"]).optional() });
  it("merges repeated and comma-separated values, dropping duplicates and blanks", () => {
    expect(parseOptions(R, { capability: ["a,b", " c ", "a", ""] })).toEqual({ capability: ["a", "b", "c"] });
    expect(parseOptions(R, {})).toEqual({});
  });
  it("names the value that is not in the list", () => {
    expect(() => parseOptions(R, { capability: ["a", "z"] })).toThrow(
      'invalid --capability: "z" is not one of a, b, c',
    );
  });
});
