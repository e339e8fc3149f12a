import type { CSSProperties } from "react";
import { cn } from "@/lib/cn";
import { computeSpanLook } from "../../lib/ansi-classes";
import type { LineLevel, TermLine } from "../../lib/terminal-lines";

const LEVEL_CLASS: Record<LineLevel, string> = {
  debug: "text-subtle",
  info: "text-fg",
  warn: "text-st-degraded",
  error: "text-st-failed",
};

/**
 * A wrapped line hangs under its own indentation, as an editor's soft wrap
 * does: the first row starts at column 0 (its leading spaces drawn), the
 * rows after it at the indent. The hang is capped at 40% of the width, so a
 * deeply indented line still has room for its text on a phone.
 */
function hangOf(indent: number): CSSProperties | undefined {
  if (!indent) return undefined;
  const hang = `min(${indent}ch, 40%)`;
  return { paddingLeft: hang, textIndent: `calc(-1 * ${hang})` };
}

/**
 * A line's text, every character of it: soft-wrapped anywhere (`wrap`) or on
 * one row for the horizontal-scroll mode; coloured runs drawn with the
 * theme's `ansi-*` tokens (docs/dashboard-terminal.md).
 */
export function TerminalLineText({ line, wrap }: { line: TermLine; wrap: boolean }) {
  return (
    <span
      data-slot="term-text"
      className={cn(
        "min-w-0 flex-1",
        wrap ? "whitespace-pre-wrap [overflow-wrap:anywhere]" : "whitespace-pre",
        LEVEL_CLASS[line.level],
      )}
      style={wrap ? hangOf(line.indent) : undefined}
    >
      {line.spans
        ? line.spans.map((s, i) => {
            const look = computeSpanLook(s);
            return look.className || look.style ? (
              <span key={i} data-slot="ansi" className={look.className} style={look.style}>
                {s.text}
              </span>
            ) : (
              s.text
            );
          })
        : line.text}
    </span>
  );
}
