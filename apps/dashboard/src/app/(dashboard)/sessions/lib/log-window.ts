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

/**
 * How many lines a window holds at most: it is cut back to `max` once it
 * passes `max + slack` (so a view rebuilds seldom). A cut never goes past
 * the `keep` lines of the old window nearest the reader (its top when a page
 * is put in front, its bottom when one is appended): those may be on screen.
 */
export interface WindowLimit {
  max: number;
  slack: number;
  /** Lines of the old window nearest the reader never dropped by a page read (whole events); `max / 4` unless told. */
  keep?: number;
}

/**
 * 7,500 lines or fewer (seven pages of the log): a few MB of rows whatever
 * the log's length, and the virtual list's per-row arrays stay small enough
 * for the young generation (a list of 20,000 rows allocates arrays that only
 * a full GC frees, on every batch of new lines).
 */
export const WINDOW_LIMIT: WindowLimit = { max: 5_000, slack: 2_500, keep: 1_000 };

const keepOf = (limit: WindowLimit) => Math.max(1, limit.keep ?? Math.floor(limit.max / 4));

/** The first index at or after `i` where an event starts (the window holds whole events only). */
function eventStartFrom(lines: readonly TermLine[], i: number): number {
  while (i < lines.length && lines[i]!.part !== 0) i++;
  return i;
}

/** The last index at or before `i` where an event starts (0 at least). */
function eventStartAtOrBefore(lines: readonly TermLine[], i: number): number {
  i = Math.min(i, lines.length - 1);
  while (i > 0 && lines[i]!.part !== 0) i--;
  return Math.max(0, i);
}

/**
 * Lines `from..to` of `lines` (whole events) ending at `to` and at most `room`
 * long, but always one whole event at least: the part of a page put in front
 * that is nearest the window.
 */
function tailPart(lines: readonly TermLine[], room: number): number {
  const from = eventStartFrom(lines, Math.max(0, lines.length - room));
  return from < lines.length ? from : eventStartAtOrBefore(lines, lines.length - 1);
}

/** How many of `lines` from its start (whole events) fit in `room`, one whole event at least. */
function headPart(lines: readonly TermLine[], room: number): number {
  if (room >= lines.length) return lines.length;
  const end = eventStartAtOrBefore(lines, Math.max(0, room));
  return end > 0 ? end : eventStartFrom(lines, 1);
}

/** Drops lines from the top down to `limit.max` or a little fewer (whole events, the last one always kept): the window no longer holds the log's start. */
function dropTop(w: LogWindow, limit: WindowLimit): LogWindow {
  if (w.lines.length <= limit.max + limit.slack) return w;
  const cut = tailPart(w.lines, limit.max);
  if (cut === 0) return w;
  const lines = w.lines.slice(cut);
  return { ...w, lines, firstSeq: lines[0]!.seq, atStart: false, origin: w.origin + cut };
}

/**
 * Puts an earlier page's lines in front (those not older than what is held
 * are skipped). Past the limit, the page is cut from its start (the part
 * nearest the window stays, one whole event at least: the next read goes on
 * from there) and the window's bottom goes, but never its top `keep` lines:
 * the reader, scrolled to the top, is looking at them.
 */
export function prependLines(
  w: LogWindow,
  page: readonly TermLine[],
  atStart: boolean,
  limit: WindowLimit = WINDOW_LIMIT,
): LogWindow {
  const older = page.filter((l) => l.seq < w.firstSeq);
  if (!older.length) return { ...w, atStart };
  const held = w.lines;
  let from = 0;
  let end = held.length;
  if (older.length + held.length > limit.max + limit.slack) {
    const kept = held.length ? eventStartFrom(held, Math.min(held.length, keepOf(limit))) : 0;
    from = tailPart(older, limit.max - kept);
    const room = limit.max - (older.length - from);
    end = room >= held.length ? held.length : Math.max(kept, eventStartAtOrBefore(held, Math.max(0, room)));
  }
  const front = from ? older.slice(from) : older;
  const back = end < held.length ? held.slice(0, end) : held;
  return {
    ...w,
    lines: [...front, ...back],
    firstSeq: front[0]!.seq,
    lastSeq: back.length ? back[back.length - 1]!.seq : front[front.length - 1]!.seq,
    atStart: atStart && from === 0,
    atEnd: w.atEnd && end === held.length,
    origin: w.origin - front.length,
  };
}

/**
 * Appends later lines past `lastSeq` (lines already held are skipped): a
 * page read back towards the end, or live lines (`live`), which only a
 * window at the end takes. Past the limit the top goes while the reader
 * follows the end (the last event is always kept). A reader scrolled up
 * keeps the lines in view: live lines past the limit are left to a read
 * later (the window lets go of the end), and a page read towards the end
 * (`following: false`) is cut from its end instead (one whole event at least)
 * while the window's top goes, never its bottom `keep` lines. `atEnd` says
 * whether the window now reaches the live end (so it does not once a page
 * was cut).
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
  const cap = limit.max + limit.slack;
  if (!live && !following && w.lines.length + later.length - at > cap)
    return appendPage(w, later.slice(at), atEnd, limit);
  let end = later.length;
  let detached = false;
  if (live && !following) {
    // Up to the limit, whole events; the rest is left to a read later.
    const room = cap - w.lines.length;
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

/** A page read towards the end past the limit: its head and the window's bottom `keep` lines at least. */
function appendPage(w: LogWindow, newer: readonly TermLine[], atEnd: boolean, limit: WindowLimit): LogWindow {
  const held = w.lines;
  const kept = held.length ? held.length - eventStartAtOrBefore(held, held.length - keepOf(limit)) : 0;
  const take = headPart(newer, limit.max - kept);
  const room = limit.max - take;
  const cut =
    room >= held.length ? 0 : Math.min(held.length - kept, eventStartFrom(held, held.length - Math.max(0, room)));
  const back = take < newer.length ? newer.slice(0, take) : newer;
  const lines = [...(cut ? held.slice(cut) : held), ...back];
  return {
    ...w,
    lines,
    firstSeq: lines[0]!.seq,
    lastSeq: back[back.length - 1]!.seq,
    atStart: w.atStart && cut === 0,
    atEnd: atEnd && take === newer.length,
    origin: w.origin + cut,
  };
}
