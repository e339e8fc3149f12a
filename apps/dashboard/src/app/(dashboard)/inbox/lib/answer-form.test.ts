import { ApiError } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import { answerErrorsOf, chooseOption, emptyAnswerForm, questionErrorAt, toReplyBody, typeCustom } from "./answer-form";

const q = (multiple: boolean, custom = false) => ({
  question: "Which?",
  header: "Pick",
  options: [
    { label: "Blue", description: "" },
    { label: "Red", description: "" },
  ],
  multiple,
  custom,
});

describe("answer form", () => {
  it("a permission: once and always as they are, reject with the message when one is typed", () => {
    const form = { ...emptyAnswerForm({ kind: "permission" }), message: "  use tmp/ instead " } as const;
    expect(toReplyBody(form, "once")).toEqual({ ok: true, body: { reply: "once" } });
    expect(toReplyBody(form, "always")).toEqual({ ok: true, body: { reply: "always" } });
    expect(toReplyBody(form, "reject")).toEqual({ ok: true, body: { reply: "reject", message: "use tmp/ instead" } });
    expect(toReplyBody({ kind: "permission", message: " " }, "reject")).toEqual({
      ok: true,
      body: { reply: "reject" },
    });
    expect(toReplyBody(form, "submit").ok).toBe(false);
  });

  it("radio buttons replace the choice, checkboxes toggle; free text replaces a single answer's choice", () => {
    let single = emptyAnswerForm({ kind: "question", questions: [q(false, true)] });
    if (single.kind !== "question") throw new Error("a question");
    let a = chooseOption(single.answers[0]!, q(false), "Blue");
    a = chooseOption(a, q(false), "Red");
    expect(a).toEqual({ chosen: ["Red"], custom: "" });
    expect(typeCustom(a, q(false), "Green")).toEqual({ chosen: [], custom: "Green" });
    let m = chooseOption({ chosen: [], custom: "" }, q(true), "Blue");
    m = chooseOption(m, q(true), "Red");
    m = chooseOption(m, q(true), "Blue");
    expect(typeCustom(m, q(true), "Green")).toEqual({ chosen: ["Red"], custom: "Green" });
    single = { kind: "question", answers: [{ chosen: ["Red"], custom: " Green " }] };
    expect(toReplyBody(single, "submit")).toEqual({ ok: true, body: { answers: [["Red", "Green"]] } });
  });

  it("a question left unanswered is a field error under it; Dismiss needs no answer", () => {
    const form = {
      kind: "question" as const,
      answers: [
        { chosen: ["Blue"], custom: "" },
        { chosen: [], custom: "  " },
      ],
    };
    const r = toReplyBody(form, "submit");
    expect(r).toEqual({
      ok: false,
      errors: { fields: { "answers.1": "choose an option or type an answer" }, form: null },
    });
    if (!r.ok) expect(questionErrorAt(r.errors, 1)).toBe("choose an option or type an answer");
    expect(toReplyBody(form, "dismiss")).toEqual({ ok: true, body: { reject: true } });
  });

  it("the API's 400 lands under the question it names; other refusals are the form's", () => {
    const bad = new ApiError(400, {
      code: "INVALID_INPUT",
      message: "the reply does not fit",
      requestId: "r",
      details: [{ path: "body.answers.1.0", reason: "not one of the options (Blue, Red)" }],
    });
    const errors = answerErrorsOf(bad);
    expect(questionErrorAt(errors, 1)).toBe("0: not one of the options (Blue, Red)");
    expect(questionErrorAt(errors, 0)).toBeUndefined();
    const gone = new ApiError(409, { code: "CONFLICT", message: "input request x is answered", requestId: "r" });
    expect(answerErrorsOf(gone)).toEqual({ fields: {}, form: "input request x is answered" });
  });
});
