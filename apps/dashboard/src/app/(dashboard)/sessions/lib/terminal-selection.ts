import type { TermLine } from "./terminal-lines";

/**
 * A line marked in the terminal (a selection's end, the search match shown):
 * its absolute position (`origin + index`, lib/log-window.ts), so pages put in
 * front or lines dropped above do not move it, and its key, so a window that
 * was replaced (Follow reads the tail again from origin 0) or that dropped
 * the line does not leave a different line marked.
 */
export interface LineMark {
  at: number;
  key: string;
}

/** Selected lines, from `anchor` to `focus` (either way round). */
export interface Selection {
  anchor: LineMark;
  focus: LineMark;
}

/** The mark of line `index` of the window at `origin` (null past its ends). */
export function markAt(lines: readonly TermLine[], origin: number, index: number): LineMark | null {
  const line = lines[index];
  return index >= 0 && line ? { at: origin + index, key: line.key } : null;
}

/** The index of the marked line in the window at `origin`, or null when the window no longer holds it there. */
export function markIndex(mark: LineMark | null, lines: readonly TermLine[], origin: number): number | null {
  if (!mark) return null;
  const i = mark.at - origin;
  return i >= 0 && i < lines.length && lines[i]!.key === mark.key ? i : null;
}

/** The selection's indexes in the window, `lo <= hi`, or null when either end is no longer held. */
export function selectionIndexes(
  sel: Selection | null,
  lines: readonly TermLine[],
  origin: number,
): { anchor: number; focus: number; lo: number; hi: number } | null {
  const anchor = markIndex(sel?.anchor ?? null, lines, origin);
  const focus = markIndex(sel?.focus ?? null, lines, origin);
  if (anchor === null || focus === null) return null;
  return { anchor, focus, lo: Math.min(anchor, focus), hi: Math.max(anchor, focus) };
}

/** A click on line `index`: selects it, extends the selection to it (`extend`), or unselects it when it alone was selected. */
export function selectLine(
  sel: Selection | null,
  lines: readonly TermLine[],
  origin: number,
  index: number,
  extend: boolean,
): Selection | null {
  const at = markAt(lines, origin, index);
  if (!at) return sel;
  const held = selectionIndexes(sel, lines, origin) ? sel : null;
  if (extend && held) return { anchor: held.anchor, focus: at };
  if (held && held.anchor.at === at.at && held.focus.at === at.at) return null;
  return { anchor: at, focus: at };
}
