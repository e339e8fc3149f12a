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

/** How many lines a window holds at most: it is cut back to `max` once it passes `max + slack` (so a view rebuilds seldom). */
export interface WindowLimit {
  max: number;
  slack: number;
}

/**
 * 7,500 lines or fewer (seven pages of the log): a few MB of rows whatever
 * the log's length, and the virtual list's per-row arrays stay small enough
 * for the young generation (a list of 20,000 rows allocates arrays that only
 * a full GC frees, on every batch of new lines).
 */
export const WINDOW_LIMIT: WindowLimit = { max: 5_000, slack: 2_500 };

/** The first index at or after `i` where an event starts (the window holds whole events only). */
function eventStartFrom(lines: readonly TermLine[], i: number): number {
  while (i < lines.length && lines[i]!.part !== 0) i++;
  return i;
}

/** Drops lines from the top down to `limit.max` or a little fewer (whole events): the window no longer holds the log's start. */
function dropTop(w: LogWindow, limit: WindowLimit): LogWindow {
  if (w.lines.length <= limit.max + limit.slack) return w;
  const cut = eventStartFrom(w.lines, w.lines.length - limit.max);
  const lines = w.lines.slice(cut);
  return { ...w, lines, firstSeq: lines[0]?.seq ?? w.lastSeq + 1, atStart: false, origin: w.origin + cut };
}

/** Drops lines from the bottom down to `limit.max` or a little fewer: the window no longer reaches the live end. */
function dropBottom(w: LogWindow, limit: WindowLimit): LogWindow {
  if (w.lines.length <= limit.max + limit.slack) return w;
  let cut = limit.max;
  while (cut > 0 && w.lines[cut]!.part !== 0) cut--;
  const lines = w.lines.slice(0, cut);
  return { ...w, lines, lastSeq: lines[lines.length - 1]?.seq ?? w.firstSeq - 1, atEnd: false };
}

/** Puts an earlier page's lines in front (those not older than what is held are skipped); past the limit, the bottom goes. */
export function prependLines(
  w: LogWindow,
  page: readonly TermLine[],
  atStart: boolean,
  limit: WindowLimit = WINDOW_LIMIT,
): LogWindow {
  const older = page.filter((l) => l.seq < w.firstSeq);
  if (!older.length) return { ...w, atStart };
  return dropBottom(
    {
      ...w,
      lines: [...older, ...w.lines],
      firstSeq: older[0]!.seq,
      lastSeq: w.lines.length ? w.lastSeq : older[older.length - 1]!.seq,
      atStart,
      origin: w.origin - older.length,
    },
    limit,
  );
}

/**
 * Appends later lines past `lastSeq` (lines already held are skipped): a
 * page read back towards the end, or live lines (`live`), which only a
 * window at the end takes. Past the limit the top goes while the reader
 * follows the end (or reads towards it); a reader scrolled up keeps the
 * lines in view, and the window lets go of the end instead: what it does not
 * take is read again when the reader comes back down. `atEnd` says whether
 * the window now reaches the live end.
 */
export function appendLines(
  w: LogWindow,
  later: readonly TermLine[],
  opts: { atEnd?: boolean; live?: boolean; following?: boolean; limit?: WindowLimit } = {},
): LogWindow {
  const { live = false, following = true, limit = WINDOW_LIMIT } = opts;
  const atEnd = opts.atEnd ?? w.atEnd;
  if (live && !w.atEnd) return w;
  const at = later.findIndex((l) => l.seq > w.lastSeq);
  if (at < 0) return w.atEnd === atEnd ? w : { ...w, atEnd };
  let end = later.length;
  let detached = false;
  if (live && !following) {
    // Up to the limit, whole events; the rest is left to a read later.
    const room = limit.max + limit.slack - w.lines.length;
    if (end - at > room) {
      end = Math.max(at, at + room);
      while (end > at && end < later.length && later[end]!.part !== 0) end--;
      detached = true;
    }
  }
  const was = w.lines.length;
  for (let i = at; i < end; i++) w.lines.push(later[i]!);
  if (end === at) return { ...w, atEnd: false };
  const firstSeq = was === 0 ? later[at]!.seq : w.firstSeq;
  const next = { ...w, firstSeq, lastSeq: later[end - 1]!.seq, atEnd: detached ? false : atEnd };
  return live && !following ? next : dropTop(next, limit);
}
