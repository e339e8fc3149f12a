"use client";

import { MAX_FALLBACK_MODELS } from "@industrial/core";
import { errorAt } from "@/lib/field-errors";
import { Field, fieldAria, Input, Textarea } from "@/components/ui/input";
import type { InputFallbackForm } from "../lib/input-fallback-form";

/**
 * The "Input and fallback" group of the register and edit dialogs
 * (docs/input-requests.md §3): the fallback models tried in order when the
 * model keeps failing, whether the agent may ask a person questions, and how
 * long a permission ask or question waits. Errors are the API's, under each
 * field; `fallbackError` quotes the entry it names.
 */
export function InputFallbackFields({
  idPrefix,
  value,
  onChange,
  fields,
  fallbackError,
}: {
  idPrefix: string;
  value: InputFallbackForm;
  onChange: (v: InputFallbackForm) => void;
  fields: Record<string, string>;
  fallbackError: string | undefined;
}) {
  const id = (k: string) => `${idPrefix}-${k}`;
  const set = <K extends keyof InputFallbackForm>(k: K, v: InputFallbackForm[K]) => onChange({ ...value, [k]: v });
  const timeoutError = errorAt(fields, "inputTimeoutSeconds");
  const questionsError = errorAt(fields, "allowQuestions");
  return (
    <fieldset
      data-slot="input-fallback-fields"
      className="grid min-w-0 grid-cols-1 gap-4 border-2 border-line p-4 sm:grid-cols-2"
    >
      <legend className="label px-1 text-muted">Input and fallback</legend>
      <Field
        id={id("fallback-models")}
        label="Fallback models"
        hint={`provider/model, one per line, tried in order when the model keeps failing (outage, quota, auth); at most ${MAX_FALLBACK_MODELS}`}
        error={fallbackError}
        className="sm:col-span-2"
      >
        <Textarea
          {...fieldAria(id("fallback-models"), fallbackError)}
          rows={2}
          spellCheck={false}
          placeholder="none"
          value={value.fallbackModels}
          onChange={(e) => set("fallbackModels", e.target.value)}
        />
      </Field>
      <Field
        id={id("input-timeout")}
        label="Input timeout (seconds)"
        hint="how long a permission ask or question waits for a person; 0: forever"
        error={timeoutError}
      >
        <Input
          {...fieldAria(id("input-timeout"), timeoutError)}
          inputMode="numeric"
          value={value.inputTimeoutSeconds}
          onChange={(e) => set("inputTimeoutSeconds", e.target.value)}
        />
      </Field>
      <div className="flex flex-col justify-center gap-1.5">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            id={id("allow-questions")}
            name={id("allow-questions")}
            className="h-4 w-4 accent-[var(--color-accent)]"
            checked={value.allowQuestions}
            onChange={(e) => set("allowQuestions", e.target.checked)}
          />
          Allow questions: the agent may ask a person (otherwise OpenCode&apos;s question tool is denied)
        </label>
        {questionsError ? <p className="text-xs text-st-failed">✗ {questionsError}</p> : null}
      </div>
    </fieldset>
  );
}
