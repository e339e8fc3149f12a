import type { InputReplyBody } from "@industrial/contracts";
import type { InboxItem, QuestionInfo } from "@industrial/core";
import { z } from "zod";
// Relative, not `@/`: the unit tests run this file outside Next.js, without its path alias.
import { errorAt, fieldErrorsOf } from "../../../../lib/field-errors";

/*
 * The answer a person gives in a request card (docs/input-requests.md §3,
 * Dashboard), as the form holds it, and the body `POST /inbox/{id}/reply`
 * takes. Pure. The server judges what fits the request (its 400 names
 * `body.answers.<i>`); the form only refuses a question left unanswered, so
 * nothing is sent that the agent would read as an empty answer.
 */

/** One question as typed: the labels ticked, and free text where the question takes it. */
export interface QuestionAnswer {
  chosen: string[];
  custom: string;
}

export type AnswerForm = { kind: "permission"; message: string } | { kind: "question"; answers: QuestionAnswer[] };

/** What the buttons do: a permission's three replies, a question's Submit and Dismiss. */
export type AnswerAction = "once" | "always" | "reject" | "submit" | "dismiss";

export function emptyAnswerForm(item: Pick<InboxItem, "kind" | "questions">): AnswerForm {
  if (item.kind === "permission") return { kind: "permission", message: "" };
  return { kind: "question", answers: (item.questions ?? []).map(() => ({ chosen: [], custom: "" })) };
}

/**
 * Ticks or unticks an option: a checkbox of a multiple-choice question
 * toggles, a radio button replaces the choice and clears free text (one
 * answer only).
 */
export function chooseOption(a: QuestionAnswer, q: Pick<QuestionInfo, "multiple">, label: string): QuestionAnswer {
  if (q.multiple)
    return { ...a, chosen: a.chosen.includes(label) ? a.chosen.filter((l) => l !== label) : [...a.chosen, label] };
  return { chosen: [label], custom: "" };
}

/** Free text typed: a single-answer question's text replaces its radio choice. */
export function typeCustom(a: QuestionAnswer, q: Pick<QuestionInfo, "multiple">, text: string): QuestionAnswer {
  return q.multiple ? { ...a, custom: text } : { chosen: text.trim() ? [] : a.chosen, custom: text };
}

const Answer = z
  .object({ chosen: z.array(z.string()), custom: z.string() })
  .transform((a) => [...a.chosen, ...(a.custom.trim() ? [a.custom.trim()] : [])])
  .refine((list) => list.length > 0, { error: "choose an option or type an answer" });

/** A question's answers → `{answers}`: one array per question, in order; an unanswered one is an issue at `answers.<i>`. */
export const QuestionAnswersSchema = z.array(Answer).transform((answers) => ({ answers }));

/** Field errors keyed as the card shows them: `answers.<i>` under a question, `message`, and `form` for the rest. */
export interface AnswerErrors {
  fields: Record<string, string>;
  form: string | null;
}

/** The body of a button press, or the field errors that keep it from being sent. */
export function toReplyBody(
  form: AnswerForm,
  action: AnswerAction,
): { ok: true; body: InputReplyBody } | { ok: false; errors: AnswerErrors } {
  if (form.kind === "permission") {
    if (action === "submit" || action === "dismiss")
      return { ok: false, errors: { fields: {}, form: "a permission takes Approve once, Always or Reject" } };
    const message = form.message.trim();
    // The message goes with a reject: it tells the agent what to do instead (and keeps its turn going).
    return { ok: true, body: { reply: action, ...(action === "reject" && message ? { message } : {}) } };
  }
  if (action === "dismiss") return { ok: true, body: { reject: true } };
  if (action !== "submit") return { ok: false, errors: { fields: {}, form: "a question takes Submit or Dismiss" } };
  const r = QuestionAnswersSchema.safeParse(form.answers);
  if (r.success) return { ok: true, body: r.data };
  const fields: Record<string, string> = {};
  for (const i of r.error.issues) fields[["answers", ...i.path.map(String)].join(".")] ??= i.message;
  return { ok: false, errors: { fields, form: null } };
}

/** The API's refusal as the card's errors (`body.answers.1.0` → under question 2; `body.message` → the message box). */
export function answerErrorsOf(error: unknown): AnswerErrors {
  return fieldErrorsOf(error);
}

/** The error to show under question `i` (its own, or one about any of its answers). */
export const questionErrorAt = (errors: AnswerErrors, i: number): string | undefined =>
  errorAt(errors.fields, `answers.${i}`);
