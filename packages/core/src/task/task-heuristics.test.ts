import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateHoursFromText, inferCapabilities, inferFromText, inferSessionType } from "./task-heuristics";

describe("inferFromText: capabilities", () => {
  it.each([
    ["Design the storage layer", ["system_design"]],
    ["Add tests for the parser", ["test_generation"]],
    ["Testing the importer", ["test_generation"]],
    ["Security review of the upload path", ["code_review", "security_audit"]],
    ["Audit the permissions", ["security_audit"]],
    ["Fix the login redirect", ["debugging"]],
    ["Debug the flaky worker", ["debugging"]],
    ["A bug in the exporter", ["debugging"]],
    ["Refactor the job runner", ["refactoring"]],
    ["Document the API", ["documentation"]],
    ["Update the docs", ["documentation"]],
    ["Deploy to staging", ["deployment"]],
    ["Optimise the query", ["performance_analysis", "optimization"]],
    ["Optimize the query", ["performance_analysis", "optimization"]],
    ["Improve performance of search", ["performance_analysis", "optimization"]],
    ["Review the pull request", ["code_review"]],
    ["Implement paging", ["code_generation"]],
  ] as const)("%s → %j", (text, capabilities) => {
    expect(inferFromText(text).capabilities).toEqual(capabilities);
  });

  it("defaults to code_generation when no rule matches; inferCapabilities has no default", () => {
    expect(inferFromText("Add a users table").capabilities).toEqual(["code_generation"]);
    expect(inferCapabilities("Add a users table")).toEqual([]);
  });

  it("collects every matching rule, in CAPABILITIES order", () => {
    expect(inferFromText("Design, implement, test and deploy the webhook, then document it").capabilities).toEqual([
      "system_design",
      "code_generation",
      "test_generation",
      "documentation",
      "deployment",
    ]);
  });

  it("matches word starts only: a fixture is not a fix, a prefix is not a fix, a contest is not a test", () => {
    expect(inferCapabilities("Add a fixture and a prefix to the contest entry")).toEqual([]);
  });
});

describe("inferFromText: session type", () => {
  it("follows the capabilities: debugging first, then writing, reviewing, designing, deploying", () => {
    expect(inferFromText("Fix and test the parser").type).toBe("debug");
    expect(inferFromText("Add a users table").type).toBe("execution");
    expect(inferFromText("Review the change").type).toBe("review");
    expect(inferFromText("Design the schema").type).toBe("planning");
    expect(inferFromText("Deploy the app").type).toBe("integration");
    expect(inferFromText("Design and implement the schema").type).toBe("execution");
    expect(inferSessionType([])).toBe("execution");
  });
});

describe("inferFromText: hours", () => {
  it("is 0.5 h + 0.1 h per word, to the quarter hour", () => {
    expect(estimateHoursFromText("Add paging")).toBe(0.75); // 0.7
    expect(estimateHoursFromText("Add paging to the list of invoices")).toBe(1.25); // 1.2
    expect(estimateHoursFromText(Array(40).fill("word").join(" "))).toBe(4.5);
  });

  it("grows 1.5× per distinct scope-widening word, at most three", () => {
    expect(estimateHoursFromText("Redesign the storage")).toBe(1.25); // 0.8 × 1.5 = 1.2
    expect(estimateHoursFromText("Rewrite the whole platform")).toBe(3); // 0.9 × 3.375 = 3.04
    expect(estimateHoursFromText("Rewrite the whole platform architecture")).toBe(3.5); // 1.0 × 3.375, not × 5.06
    // "migrate" and "migration" are one word: 0.9 × 1.5 = 1.35, not × 2.25.
    expect(estimateHoursFromText("Migrate, then migration again")).toBe(1.25);
  });

  it("halves for a scope-narrowing word", () => {
    expect(estimateHoursFromText("Fix a small typo in the readme")).toBe(0.5); // 1.2 × 0.5 = 0.6
  });

  it("is clamped to [0.25, 40]", () => {
    expect(estimateHoursFromText("")).toBe(0.5); // the base alone
    expect(estimateHoursFromText("tiny")).toBe(0.25);
    expect(estimateHoursFromText(`Rewrite the entire platform architecture ${Array(600).fill("word").join(" ")}`)).toBe(
      40,
    );
  });

  it("always lies in [0.25, 40] on the quarter hour", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (text) => {
        const { hours, capabilities } = inferFromText(text);
        expect(hours).toBeGreaterThanOrEqual(0.25);
        expect(hours).toBeLessThanOrEqual(40);
        expect(hours * 4).toBe(Math.round(hours * 4));
        expect(capabilities.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
