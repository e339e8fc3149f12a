import type { TermLine } from "./terminal-lines";

/**
 * The part of a session's log the terminal holds (docs/dashboard-terminal.md,
 * Long logs): its lines from `firstSeq` to `lastSeq`, whole events only.
 * It starts from the log's tail; earlier pages are put in front as the
 * reader scrolls up, live events appended at the end while it holds the end.
 * Pure: the hook does the fetching.
 */
export interface LogWindow {
  /** The lines held, in order. Appends extend this array in place; anything else replaces it (a view rebuilds then). */
  readonly lines: TermLine[];
  /** The first and last event seq held; `firstSeq` is `lastSeq + 1` while empty. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Nothing earlier is left in the log. */
  readonly atStart: boolean;
  /** The window reaches the log's live end: new events are appended. */
  readonly atEnd: boolean;
  /** Absolute position of `lines[0]`: moves by the lines put in front or dropped, so a selection survives both. */
  readonly origin: number;
}

/** The lines of a log from `lastSeq`'s tail page: `atStart` when the page reached the log's first event. */
export function tailWindow(lines: TermLine[], lastSeq: number, atStart: boolean): LogWindow {
  return {
    lines,
    firstSeq: lines[0]?.seq ?? lastSeq + 1,
    lastSeq: lines[lines.length - 1]?.seq ?? lastSeq,
    atStart,
    atEnd: true,
    origin: 0,
  };
}

/** Puts an earlier page's lines in front (those not older than what is held are skipped). */
export function prependLines(w: LogWindow, page: readonly TermLine[], atStart: boolean): LogWindow {
  const older = page.filter((l) => l.seq < w.firstSeq);
  if (!older.length) return { ...w, atStart };
  return {
    ...w,
    lines: [...older, ...w.lines],
    firstSeq: older[0]!.seq,
    lastSeq: w.lines.length ? w.lastSeq : older[older.length - 1]!.seq,
    atStart,
    origin: w.origin - older.length,
  };
}

/**
 * Appends later lines (live ones, or a page read back towards the end) past
 * `lastSeq`; lines already held are skipped. `atEnd` says whether the window
 * now reaches the live end.
 */
export function appendLines(w: LogWindow, later: readonly TermLine[], atEnd = w.atEnd): LogWindow {
  const at = later.findIndex((l) => l.seq > w.lastSeq);
  if (at < 0) return w.atEnd === atEnd ? w : { ...w, atEnd };
  for (let i = at; i < later.length; i++) w.lines.push(later[i]!);
  const firstSeq = w.lines.length === later.length - at ? later[at]!.seq : w.firstSeq;
  return { ...w, firstSeq, lastSeq: later[later.length - 1]!.seq, atEnd };
}
