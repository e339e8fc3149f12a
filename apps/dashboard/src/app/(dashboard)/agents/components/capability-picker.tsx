"use client";

import { CAPABILITIES } from "@industrial/core";
import { Chip } from "@/components/ui/chip";

/** Multi-select chips over the 26 capabilities. */
export function CapabilityPicker({
  value,
  onChange,
  legend,
  error,
}: {
  value: string[];
  onChange: (v: string[]) => void;
  legend: string;
  error?: string;
}) {
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="label mb-1.5 text-muted">{legend}</legend>
      <div className="flex flex-wrap gap-1.5">
        {CAPABILITIES.map((c) => (
          <Chip
            key={c}
            pressed={value.includes(c)}
            onClick={() => onChange(value.includes(c) ? value.filter((x) => x !== c) : [...value, c])}
          >
            {c.replace(/_/g, " ")}
          </Chip>
        ))}
      </div>
      {error ? <p className="text-xs text-st-failed">✗ {error}</p> : null}
    </fieldset>
  );
}
