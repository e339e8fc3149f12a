import type { InboxItem } from "@industrial/core";
import { UsageError } from "./cli-error";

/**
 * `answer <id> <answer…>` → the `answers` of a question's reply
 * (docs/input-requests.md §3): one positional per question, in order; a
 * question that takes several labels (`multiple`) splits its positional on
 * commas. Which labels fit is the server's to say (400 naming
 * `body.answers.<i>`); this only shapes what was typed. Without the item (the
 * inbox no longer lists it) nothing is split: the server answers 409 anyway.
 */
export function computeAnswers(
  item: Pick<InboxItem, "kind" | "questions"> | null,
  positionals: readonly string[],
): string[][] {
  if (item?.kind === "permission")
    throw new UsageError(
      "this request asks for a permission, not an answer: use `orchestrator reply <id> once|always|reject`",
    );
  if (positionals.length === 0)
    throw new UsageError("give one answer per question, in order (or --reject to dismiss the question)", {
      details: [{ path: "<answer…>", reason: "required" }],
      suggestion: "`orchestrator inbox` shows each question's options",
    });
  const questions = item?.questions ?? [];
  if (item && positionals.length !== questions.length)
    throw new UsageError(
      `this request asks ${questions.length} question${questions.length === 1 ? "" : "s"}; give one answer for each, in order (got ${positionals.length})`,
      {
        details: [{ path: "<answer…>", reason: `expected ${questions.length}` }],
        suggestion: "quote an answer that holds spaces; separate several labels of one question with commas",
      },
    );
  return positionals.map((p, i) =>
    questions[i]?.multiple
      ? p
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : [p],
  );
}
