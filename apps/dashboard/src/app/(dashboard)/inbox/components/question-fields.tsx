"use client";

import type { QuestionInfo } from "@industrial/core";
import { ChoiceInput } from "@/components/ui/choice";
import { Input } from "@/components/ui/input";
import { chooseOption, typeCustom, type QuestionAnswer } from "../lib/answer-form";

/**
 * One fieldset per question: its header and text, its options as radio
 * buttons (checkboxes when several may be chosen), a free-text box when the
 * question takes one, and the error under it (the form's or the API's).
 */
export function QuestionFields({
  id,
  questions,
  answers,
  errorAt,
  disabled,
  onChange,
}: {
  id: string;
  questions: QuestionInfo[];
  answers: QuestionAnswer[];
  errorAt: (i: number) => string | undefined;
  disabled: boolean;
  /** Question `i`'s answer changed. */
  onChange: (i: number, answer: QuestionAnswer) => void;
}) {
  const set = onChange;
  return (
    <div className="flex flex-col gap-3">
      {questions.map((q, i) => {
        const a = answers[i] ?? { chosen: [], custom: "" };
        const error = errorAt(i);
        const base = `${id}-q${i}`;
        return (
          <fieldset
            key={base}
            data-slot="question"
            className="flex min-w-0 flex-col gap-2 border-2 border-line p-3"
            aria-describedby={error ? `${base}-error` : undefined}
          >
            <legend className="label px-1 text-fg">{q.header || `Question ${i + 1}`}</legend>
            <p className="text-sm text-fg">{q.question}</p>
            <p className="text-xs text-subtle">
              {q.multiple ? "Choose one or more" : "Choose one"}
              {q.custom ? (q.options.length ? ", or type your own answer" : ": type your answer") : ""}
            </p>
            {q.options.length ? (
              <ul className="flex flex-col gap-1.5">
                {q.options.map((o, k) => (
                  <li key={o.label}>
                    <label htmlFor={`${base}-o${k}`} className="flex cursor-pointer items-start gap-2.5 text-sm">
                      <ChoiceInput
                        id={`${base}-o${k}`}
                        type={q.multiple ? "checkbox" : "radio"}
                        name={base}
                        value={o.label}
                        checked={a.chosen.includes(o.label)}
                        disabled={disabled}
                        onChange={() => set(i, chooseOption(a, q, o.label))}
                      />
                      <span className="min-w-0">
                        <span className="text-fg">{o.label}</span>
                        {o.description ? <span className="block text-xs text-muted">{o.description}</span> : null}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            ) : null}
            {q.custom ? (
              <Input
                id={`${base}-custom`}
                aria-label={`Your own answer to ${q.header || `question ${i + 1}`}`}
                aria-invalid={error ? true : undefined}
                value={a.custom}
                disabled={disabled}
                onChange={(e) => set(i, typeCustom(a, q, e.target.value))}
                placeholder={q.options.length ? "Or type your own answer" : "Your answer"}
              />
            ) : null}
            {error ? (
              <p id={`${base}-error`} role="alert" data-slot="field-error" className="text-xs text-st-failed">
                ✗ {error}
              </p>
            ) : null}
          </fieldset>
        );
      })}
    </div>
  );
}
