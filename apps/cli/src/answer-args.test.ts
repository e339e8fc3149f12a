import { describe, expect, it } from "vitest";
import { computeAnswers } from "./answer-args";
import { UsageError } from "./cli-error";

const question = (multiple: boolean) => ({
  question: "Which?",
  header: "Pick",
  options: [
    { label: "Blue", description: "" },
    { label: "Red", description: "" },
  ],
  multiple,
  custom: true,
});

describe("computeAnswers", () => {
  it("takes one positional per question; a multiple-choice one is split on commas, a single one kept whole", () => {
    const item = { kind: "question" as const, questions: [question(false), question(true)] };
    expect(computeAnswers(item, ["Blue, or red", "Blue, Red ,"])).toEqual([["Blue, or red"], ["Blue", "Red"]]);
  });

  it("refuses a count that does not match the questions, no answer at all, and a permission", () => {
    const item = { kind: "question" as const, questions: [question(false), question(false)] };
    expect(() => computeAnswers(item, ["Blue"])).toThrow(
      /asks 2 questions; give one answer for each, in order \(got 1\)/,
    );
    expect(() => computeAnswers(item, [])).toThrow(UsageError);
    expect(() => computeAnswers({ kind: "permission" }, ["yes"])).toThrow(/orchestrator reply/);
  });

  it("without the item (no longer listed) sends each positional whole, for the server to judge", () => {
    expect(computeAnswers(null, ["a,b", "c"])).toEqual([["a,b"], ["c"]]);
  });
});
