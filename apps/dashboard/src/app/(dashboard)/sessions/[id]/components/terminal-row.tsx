import { memo } from "react";
import { cn } from "@/lib/cn";
import { formatClock } from "@/lib/format";
import { lineLabel } from "../../lib/terminal-lines";
import type { TermRow } from "../../lib/terminal-rows";
import { TerminalLineText } from "./terminal-line-text";

const KIND_CLASS: Record<string, string> = {
  tool: "text-accent-strong",
  edit: "text-st-running",
  status: "text-st-queued",
  checkpoint: "text-st-completed",
  attempt: "text-st-queued",
};

/**
 * The gutter's columns, in characters so the horizontal-scroll mode can size
 * its rows exactly (terminal.tsx): the line number, the clock (from md up),
 * the source or tool, each followed by a 1ch gap; 1ch of padding each side.
 */
export const TAG_CH = 10;
export const CLOCK_CH = 12;
export function gutterCh(digits: number): number {
  return 1 + digits + 1 + TAG_CH + 1 + 1;
}

export interface RowProps {
  /** Index into the virtual list (the virtualizer measures rows by it). */
  index: number;
  start: number;
  wrap: boolean;
  /** How many characters the widest line number has (the line-number column's width). */
  digits: number;
  measure: (el: HTMLElement | null) => void;
}

/**
 * One line of the log. Its number (its event's seq, `seq.part` on the event's
 * later rows: lib/terminal-lines.ts `lineLabel`) is a button that selects it (shift extends
 * the selection) for copying; the button's name is its visible number with
 * words for screen readers around it, never a label that differs from what
 * is seen. Not a Tab stop each: the log is one, and ↓/↑ move between the
 * numbers (hooks/log-keys.ts). Memoised: while lines stream in, only the new
 * rows render.
 */
export const TerminalLineRow = memo(function TerminalLineRow({
  row,
  selected,
  onSelect,
  ...p
}: RowProps & {
  row: Extract<TermRow, { kind: "line" }>;
  selected: boolean;
  onSelect: (at: number, extend: boolean) => void;
}) {
  const l = row.line;
  return (
    <div
      ref={p.measure}
      data-index={p.index}
      data-slot="term-line"
      data-level={l.level}
      data-problem={l.problem || undefined}
      data-selected={selected || undefined}
      className={cn(
        "absolute left-0 flex min-h-[20px] gap-[1ch] px-[1ch]",
        p.wrap ? "w-full" : "w-max min-w-full",
        selected ? "bg-raised" : "hover:bg-panel",
        l.problem && "shadow-[inset_2px_0_0_var(--color-st-failed)]",
      )}
      style={{ top: 0, transform: `translateY(${p.start}px)` }}
    >
      <button
        type="button"
        aria-pressed={selected}
        tabIndex={-1}
        onClick={(e) => onSelect(row.at, e.shiftKey)}
        className={cn("shrink-0 self-start text-right", selected ? "text-fg" : "text-subtle hover:text-fg")}
        style={{ width: `${p.digits}ch` }}
      >
        <span className="sr-only">Select line </span>
        {lineLabel(l)}
      </button>
      <span className="hidden shrink-0 text-subtle md:inline" style={{ width: `${CLOCK_CH}ch` }}>
        {l.tag ? formatClock(l.ts) : ""}
      </span>
      <span className={cn("shrink-0 truncate", KIND_CLASS[l.kind] ?? "text-muted")} style={{ width: `${TAG_CH}ch` }}>
        {l.tag}
      </span>
      <TerminalLineText line={l} wrap={p.wrap} />
    </div>
  );
});

/** The bar of a long event's fold: how many lines it hides, and the button that shows or hides them. */
export const TerminalFoldRow = memo(function TerminalFoldRow({
  row,
  onToggle,
  ...p
}: RowProps & { row: Extract<TermRow, { kind: "fold" }>; onToggle: (seq: number) => void }) {
  const folded = row.total - row.hidden;
  return (
    <div
      ref={p.measure}
      data-index={p.index}
      data-slot="term-fold"
      data-open={row.open}
      className={cn(
        "absolute left-0 flex min-h-[20px] items-center gap-[1ch] px-[1ch]",
        p.wrap ? "w-full" : "w-max min-w-full",
      )}
      style={{ top: 0, transform: `translateY(${p.start}px)` }}
    >
      <span aria-hidden className="shrink-0" style={{ width: `${p.digits}ch` }} />
      <button
        type="button"
        aria-expanded={row.open}
        onClick={() => onToggle(row.seq)}
        className="label border-b-2 border-dashed border-line text-[10px] text-muted hover:border-fg hover:text-fg"
      >
        {row.open
          ? `Fold the ${row.total} lines of this event`
          : `Show ${row.hidden} more lines (${folded} of ${row.total} shown)`}
      </button>
    </div>
  );
});
