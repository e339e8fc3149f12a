import { lineMatches, type LineLevel, type TermLine } from "./terminal-lines";

/** An event with more rows than this is folded until asked (docs/dashboard-terminal.md). */
export const FOLD_OVER = 20;
/** A folded event keeps its first rows (the command, the start of its output)… */
export const FOLD_HEAD = 6;
/** …and its last ones (where a failing command says why). */
export const FOLD_TAIL = 4;

/** A row of the terminal's list: a line of the log, or the fold bar of a long event. */
export type TermRow =
  | { kind: "line"; key: string; at: number; line: TermLine }
  | {
      kind: "fold";
      key: string;
      /** Index of the first line it hides (or, open, of the event's last line), so rows stay ordered by `at`. */
      at: number;
      seq: number;
      /** The event's row count, and how many the fold hides now (0 when open). */
      total: number;
      hidden: number;
      open: boolean;
    };

export interface RowOptions {
  query: string;
  levels: ReadonlySet<LineLevel>;
  /** The events (by seq) whose fold is open. */
  open: ReadonlySet<number>;
}

export interface RowView {
  rows: TermRow[];
  /** Indexes (into the lines) of every problem line, whatever the filter: the targets of "next error". */
  problems: number[];
  /** The widest line's length in characters (sizes the horizontal-scroll mode). */
  widest: number;
  /** The most rows an event has (the line numbers' width: `seq.part`). */
  tallest: number;
  /** Indexes of the lines a search finds (under the level filter too), in order; empty without a search. */
  matches: number[];
}

/** Whether a line is hidden in its event's closed fold (so a jump to it must open the fold first). */
export function isFolded(line: TermLine, open: ReadonlySet<number>): boolean {
  return line.parts > FOLD_OVER && !open.has(line.seq) && line.part >= FOLD_HEAD && line.part < line.parts - FOLD_TAIL;
}

/**
 * Appends the rows of `lines[from..]` to a view. Events arrive whole (every
 * row of an event in one append), so an event's fold is decided once. While
 * a search or level filter is on, nothing folds: every matching line shows.
 */
function appendRows(view: RowView, lines: readonly TermLine[], from: number, opts: RowOptions): void {
  const q = opts.query.trim().toLowerCase();
  const filtering = q !== "" || opts.levels.size < 4;
  for (let at = from; at < lines.length; at++) {
    const line = lines[at]!;
    if (line.problem) view.problems.push(at);
    if (line.text.length > view.widest) view.widest = line.text.length;
    if (line.parts > view.tallest) view.tallest = line.parts;
    if (filtering) {
      if (lineMatches(line, q, opts.levels)) {
        view.rows.push({ kind: "line", key: line.key, at, line });
        if (q) view.matches.push(at);
      }
      continue;
    }
    const open = line.parts > FOLD_OVER && opts.open.has(line.seq);
    if (isFolded(line, opts.open)) {
      if (line.part === FOLD_HEAD) {
        const hidden = line.parts - FOLD_HEAD - FOLD_TAIL;
        view.rows.push({
          kind: "fold",
          key: `${line.seq}.fold`,
          at,
          seq: line.seq,
          total: line.parts,
          hidden,
          open: false,
        });
      }
      continue;
    }
    view.rows.push({ kind: "line", key: line.key, at, line });
    if (open && line.part === line.parts - 1)
      view.rows.push({
        kind: "fold",
        key: `${line.seq}.fold`,
        at,
        seq: line.seq,
        total: line.parts,
        hidden: 0,
        open: true,
      });
  }
}

/** The rows of a log under a search, a level filter and the open folds. Pure. */
export function computeRows(lines: readonly TermLine[], opts: RowOptions): RowView {
  const view: RowView = { rows: [], problems: [], widest: 0, tallest: 0, matches: [] };
  appendRows(view, lines, 0, opts);
  return view;
}

/**
 * `computeRows`, kept up to date at the cost of the new lines only: the log
 * is append-only, so while the options stay the same a new event adds its
 * rows to the view already built. Anything else (other options, a log that
 * was replaced or shrank) builds the view again.
 */
export function createRowCache(): (lines: readonly TermLine[], opts: RowOptions) => RowView {
  let seen: {
    lines: readonly TermLine[];
    count: number;
    firstKey: string | undefined;
    opts: RowOptions;
    view: RowView;
  } | null = null;
  return (lines, opts) => {
    const same =
      seen &&
      seen.lines === lines &&
      lines.length >= seen.count &&
      lines[0]?.key === seen.firstKey &&
      seen.opts.query === opts.query &&
      seen.opts.levels === opts.levels &&
      seen.opts.open === opts.open;
    if (!same) {
      const narrowed = seen && narrow(seen, lines, opts);
      seen = {
        lines,
        count: narrowed ? seen!.count : lines.length,
        firstKey: lines[0]?.key,
        opts,
        view: narrowed || computeRows(lines, opts),
      };
      if (!narrowed) return seen.view;
    }
    if (lines.length > seen!.count) {
      // A new view object, so React sees the change; the arrays are shared (appended in place).
      const view = { ...seen!.view };
      appendRows(view, lines, seen!.count, opts);
      seen = { ...seen!, count: lines.length, view };
    }
    return seen!.view;
  };
}

/**
 * A search that grew longer ("err" → "erro") under the same lines, levels
 * and folds finds a subset of what it found: the view is the old matches
 * that still match, at the cost of those only (lines appended since are
 * then added as usual). Null when it does not apply.
 */
function narrow(
  seen: { lines: readonly TermLine[]; count: number; firstKey: string | undefined; opts: RowOptions; view: RowView },
  lines: readonly TermLine[],
  opts: RowOptions,
): RowView | null {
  const was = seen.opts.query.trim().toLowerCase();
  const q = opts.query.trim().toLowerCase();
  if (
    !was ||
    !q.includes(was) ||
    seen.lines !== lines ||
    lines.length < seen.count ||
    lines[0]?.key !== seen.firstKey ||
    seen.opts.levels !== opts.levels ||
    seen.opts.open !== opts.open
  )
    return null;
  const rows = seen.view.rows.filter((r) => r.kind === "line" && lineMatches(r.line, q, opts.levels));
  return { ...seen.view, rows, matches: rows.map((r) => r.at) };
}

/**
 * The index of the row that shows line `at`: its own row, the fold bar that
 * hides it, or (filtered out) the nearest row before it; -1 when none is.
 * Rows are ordered by `at`, so this is a bisection.
 */
export function rowIndexOf(rows: readonly TermRow[], at: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.at <= at) lo = mid + 1;
    else hi = mid;
  }
  let i = lo - 1;
  // An open fold bar shares `at` with its event's last line: the line is the answer.
  if (i > 0 && rows[i]!.kind === "fold" && rows[i - 1]!.at === rows[i]!.at) i--;
  return i;
}

/**
 * The next (dir 1) or previous (dir -1) problem line from line `from`
 * (exclusive) that `accept` admits (the search and level filter), wrapping
 * around the log once; null when there is none.
 */
export function nextProblem(
  problems: readonly number[],
  from: number,
  dir: 1 | -1,
  accept: (at: number) => boolean = () => true,
): number | null {
  if (!problems.length) return null;
  // First problem strictly after `from` (dir 1) or the last strictly before it (dir -1).
  let lo = 0;
  let hi = problems.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dir === 1 ? problems[mid]! <= from : problems[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  const start = dir === 1 ? lo : lo - 1;
  for (let k = 0; k < problems.length; k++) {
    const i = (((start + dir * k) % problems.length) + problems.length) % problems.length;
    if (accept(problems[i]!)) return problems[i]!;
  }
  return null;
}

/** The text a copy of lines `from..to` (inclusive, either order) puts on the clipboard: plain text, one line each. */
export function copyText(lines: readonly TermLine[], from: number, to: number): string {
  const [a, b] = from <= to ? [Math.max(0, from), to] : [Math.max(0, to), from];
  if (a > b) return "";
  return lines
    .slice(a, b + 1)
    .map((l) => l.text)
    .join("\n");
}

/** Which match line `at` is (1-based), or 0 when it is none: the "3 / 12" beside the search. A bisection. */
export function matchOrdinal(matches: readonly number[], at: number | null): number {
  if (at === null) return 0;
  let lo = 0;
  let hi = matches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (matches[mid]! < at) lo = mid + 1;
    else hi = mid;
  }
  return matches[lo] === at ? lo + 1 : 0;
}
