import { describe, expect, it } from "vitest";
import { temperatureProblem } from "./agent";

describe("temperatureProblem", () => {
  it("accepts no temperature with any OpenCode agent, and steps of 0.05 on build", () => {
    expect(temperatureProblem(null, "plan")).toBeNull();
    for (const t of [0, 0.05, 0.35, 0.7, 1.15, 2]) expect(temperatureProblem(t, "build")).toBeNull();
  });

  it("refuses temperatures between steps and temperatures on other OpenCode agents, saying why", () => {
    expect(temperatureProblem(0.33, "build")).toBe("must be a multiple of 0.05");
    expect(temperatureProblem(0.2, "plan")).toMatch(/only agents on OpenCode's build agent can set a temperature/);
  });
});
