import { describe, expect, it } from "vitest";
import { UsageError } from "./cli-error";
import { parseOptions } from "./options";
import { AddTaskOptions, parseDependsOn } from "./task-options";

const parseAdd = (raw: Record<string, unknown>) =>
  parseOptions(AddTaskOptions, { title: "Build it", ...raw }, { title: "<title>" });

function usageError(raw: Record<string, unknown>): UsageError {
  try {
    parseAdd(raw);
  } catch (e) {
    if (e instanceof UsageError) return e;
  }
  throw new Error("expected a UsageError");
}

describe("parseDependsOn", () => {
  it("reads <task> as finish_to_start and <task>:type with any of the four types", () => {
    expect(parseDependsOn("abcd1234")).toEqual({ ok: true, value: { task: "abcd1234", type: "finish_to_start" } });
    expect(parseDependsOn("abcd:start_to_finish")).toEqual({
      ok: true,
      value: { task: "abcd", type: "start_to_finish" },
    });
  });

  it("refuses an unknown type and a missing task", () => {
    expect(parseDependsOn("abcd:after")).toEqual({
      ok: false,
      reason:
        '"abcd:after": the type must be one of finish_to_start, start_to_start, finish_to_finish, start_to_finish',
    });
    expect(parseDependsOn(":start_to_start").ok).toBe(false);
  });
});

describe("AddTaskOptions", () => {
  it("parses an estimate, capabilities and dependencies", () => {
    expect(
      parseAdd({ estimate: "1,2.5,4", capability: ["testing,debugging"], dependsOn: ["abcd", "beef:start_to_start"] }),
    ).toMatchObject({
      title: "Build it",
      estimate: { optimistic: 1, likely: 2.5, pessimistic: 4 },
      capability: ["testing", "debugging"],
      dependsOn: [
        { task: "abcd", type: "finish_to_start" },
        { task: "beef", type: "start_to_start" },
      ],
    });
  });

  it("names the option in every mistake", () => {
    expect(usageError({ estimate: "4,2,1" }).message).toBe(
      'invalid --estimate: "4,2,1": must satisfy optimistic ≤ likely ≤ pessimistic',
    );
    expect(usageError({ estimate: "2h" }).message).toBe(
      'invalid --estimate: "2h": give three hours, optimistic,likely,pessimistic (e.g. 1,2,4)',
    );
    expect(usageError({ dependsOn: ["abcd:later"] }).message).toContain("invalid --depends-on:");
    expect(usageError({ capability: ["flying"] }).message).toContain('invalid --capability: "flying" is not one of');
    expect(usageError({ priority: "urgent" }).message).toContain("invalid --priority: must be one of critical");
    expect(usageError({ title: " " }).message).toBe("invalid <title>: must not be empty");
    expect(usageError({ description: "x", descriptionFile: "f.md" }).message).toBe(
      "invalid --description-file: give either --description or --description-file, not both",
    );
  });
});
