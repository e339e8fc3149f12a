import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkInputReply,
  computeInputReply,
  type InputAsk,
  type InputReplyBody,
  type QuestionInfo,
} from "./input-request";

// Property tests of checkInputReply (docs/input-requests.md §3, Core): drawn
// from a small world of labels so that answers that are options, free text,
// repeats, and too many or too few answers all occur often.

const LABELS = ["a", "b", "c", "d"];
const RUNS = { numRuns: 500 };

const questionArb: fc.Arbitrary<QuestionInfo> = fc.record({
  question: fc.constant("?"),
  header: fc.constant("h"),
  options: fc
    .uniqueArray(fc.constantFrom(...LABELS), { minLength: 1, maxLength: 4 })
    .map((ls) => ls.map((label) => ({ label, description: "" }))),
  multiple: fc.boolean(),
  custom: fc.boolean(),
});
const askArb: fc.Arbitrary<InputAsk & { kind: "question" }> = fc
  .array(questionArb, { minLength: 1, maxLength: 4 })
  .map((questions) => ({ kind: "question", payload: { questions } }));
const answerArb = fc.array(fc.constantFrom(...LABELS, "free text", "a"), { maxLength: 4 });

/** Whether one answer fits its question, said directly from the rules. */
function fits(q: QuestionInfo, answer: string[]): boolean {
  if (answer.length === 0 || (answer.length > 1 && !q.multiple)) return false;
  if (new Set(answer).size !== answer.length) return false;
  return answer.every((a) => q.custom || q.options.some((o) => o.label === a));
}

describe("checkInputReply (properties)", () => {
  it("accepts answers exactly when there is one per question and each fits its question", () => {
    fc.assert(
      fc.property(askArb, fc.array(answerArb, { maxLength: 5 }), (ask, answers) => {
        const issues = checkInputReply(ask, { answers });
        const qs = ask.payload.questions;
        const expected = answers.length === qs.length && qs.every((q, i) => fits(q, answers[i]!));
        expect(issues.length === 0).toBe(expected);
      }),
      RUNS,
    );
  });

  it("names only fields of the body, and for a wrong answer the answer itself (body.answers.<i>[.<j>])", () => {
    fc.assert(
      fc.property(askArb, fc.array(answerArb, { maxLength: 5 }), (ask, answers) => {
        for (const issue of checkInputReply(ask, { answers })) {
          expect(issue.path).toMatch(/^body\.answers(\.\d+(\.\d+)?)?$/);
          const [, , i] = issue.path.split(".");
          if (i !== undefined) expect(Number(i)).toBeLessThan(ask.payload.questions.length);
        }
      }),
      RUNS,
    );
  });

  it("a fitting answer is stored as given, answered; reject: true is always a fitting rejection", () => {
    fc.assert(
      fc.property(askArb, fc.array(answerArb, { maxLength: 5 }), (ask, answers) => {
        if (checkInputReply(ask, { answers }).length === 0)
          expect(computeInputReply(ask, { answers })).toEqual({ status: "answered", reply: { answers } });
        expect(checkInputReply(ask, { reject: true })).toEqual([]);
        expect(computeInputReply(ask, { reject: true }).status).toBe("rejected");
      }),
      RUNS,
    );
  });

  it("never accepts a body that mixes a permission's fields into a question's, or the reverse", () => {
    const permission: InputAsk = { kind: "permission", payload: { name: "bash", patterns: ["ls"] } };
    const bodyArb: fc.Arbitrary<InputReplyBody> = fc.record(
      {
        reply: fc.constantFrom("once", "always", "reject" as const),
        message: fc.string(),
        answers: fc.array(answerArb, { maxLength: 2 }),
        reject: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(askArb, bodyArb, (ask, body) => {
        const permissionFields = body.reply !== undefined || body.message !== undefined;
        const questionFields = body.answers !== undefined || body.reject !== undefined;
        if (permissionFields) expect(checkInputReply(ask, body)).not.toEqual([]);
        if (questionFields || body.reply === undefined) expect(checkInputReply(permission, body)).not.toEqual([]);
      }),
      RUNS,
    );
  });
});
