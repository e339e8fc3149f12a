import type { ReactNode } from "react";
import { toggle } from "@/lib/list-param";
import { Chip } from "./chip";

/**
 * A labelled row of toggle chips for one multi-choice filter. A click hands
 * back the new selection in `options` order, so the same filters always make
 * the same URL. `children` go after the chips (a select on the same row).
 */
export function FilterChips<T extends string>({
  label,
  options,
  selected,
  onChange,
  render = (o) => o,
  children,
}: {
  label: string;
  options: readonly T[];
  selected: readonly T[];
  onChange: (next: T[]) => void;
  render?: (option: T) => ReactNode;
  children?: ReactNode;
}) {
  return (
    <div data-slot="filter-chips" className="flex flex-wrap items-center gap-1.5" role="group" aria-label={label}>
      <span className="label mr-2 text-subtle">{label}</span>
      {options.map((o) => (
        <Chip key={o} pressed={selected.includes(o)} onClick={() => onChange(toggle(selected, o, options))}>
          {render(o)}
        </Chip>
      ))}
      {children}
    </div>
  );
}
