"use client";

import type { AllowListForm } from "../lib/allow-lists";
import { Field, fieldAria, Select, Textarea } from "@/components/ui/input";

/**
 * One of a tenant's allow-lists: "any" or only the entries typed below, one
 * per line (none typed: none allowed). The list keeps its text while "any"
 * is chosen, so switching back loses nothing. Disabled with its fieldset.
 */
export function AllowListField({
  id,
  label,
  any,
  only,
  placeholder,
  hint,
  error,
  value,
  onChange,
}: {
  id: string;
  label: string;
  /** The choice meaning null, e.g. "Any model". */
  any: string;
  /** The choice meaning the list, e.g. "Only the models listed". */
  only: string;
  placeholder: string;
  hint: string;
  error: string | undefined;
  value: AllowListForm;
  onChange: (v: AllowListForm) => void;
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error}>
      <Select
        id={`${id}-mode`}
        aria-label={`${label}: which`}
        value={value.any ? "any" : "only"}
        onChange={(e) => onChange({ ...value, any: e.target.value === "any" })}
      >
        <option value="any">{any}</option>
        <option value="only">{only}</option>
      </Select>
      <Textarea
        {...fieldAria(id, error)}
        data-slot="allow-list"
        rows={3}
        spellCheck={false}
        disabled={value.any}
        placeholder={value.any ? "" : placeholder}
        value={value.text}
        onChange={(e) => onChange({ ...value, text: e.target.value })}
      />
    </Field>
  );
}
