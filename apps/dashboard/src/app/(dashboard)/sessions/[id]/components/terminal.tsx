"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { cn } from "@/lib/cn";
import { labelWidth, lineLabel, lineMatches, type LineLevel, type TermLine } from "../../lib/terminal-lines";
import { copyText, createRowCache, isFolded, matchOrdinal, nextProblem, rowIndexOf } from "../../lib/terminal-rows";
import {
  markAt,
  markIndex,
  selectionIndexes,
  selectLine,
  type LineMark,
  type Selection,
} from "../../lib/terminal-selection";
import { bottomItems, measureObserved, useBottomPin } from "./terminal-bottom";
import { CLOCK_CH, gutterCh, TerminalFoldRow, TerminalLineRow } from "./terminal-row";
import { LEVELS, TerminalToolbar } from "./terminal-toolbar";

/** One row of text: 12 px JetBrains Mono on a 20 px line (`text-[12px] leading-[20px]`; `leading-5` would follow the 14 px rem). */
const ROW = 20;
/** JetBrains Mono advances 0.6 em per character: 7.2 px at 12 px (estimates only; rows are measured once drawn). */
const CHAR_PX = 7.2;

/**
 * The pages around the lines held (docs/dashboard-terminal.md, Long logs):
 * the one before loads as the reader scrolls to the top, the one after (a
 * window that let go of the end) to the bottom; Follow goes back to the end.
 */
export interface LogPages {
  /** Nothing earlier is left in the log. */
  atStart: boolean;
  /** The lines reach the live end. */
  atEnd: boolean;
  loading: boolean;
  loadEarlier: () => void;
  loadLater: () => void;
  toEnd: () => void;
  setFollowing: (following: boolean) => void;
  /** Absolute position of `lines[0]` (lib/log-window.ts). */
  origin: number;
}

/** Rows drawn beyond the scroller's edges; following, above its top only, and fewer: every batch replaces them. */
const OVERSCAN = 12;
const FOLLOW_OVERSCAN = 6;
/** Rows from the top at which the page before is asked for. */
const EARLIER_AT = 40;

/**
 * The live terminal (docs/dashboard-terminal.md): a virtual list of rows,
 * measured once drawn, so a soft-wrapped 2,000-character line takes the
 * height it needs; or, with Wrap off, one row per line in a scroller as wide
 * as the widest line. Search and level filter, long events folded, copy of a
 * line or a range, next/previous error, follow mode (on while scrolled to the
 * bottom). `lines` is append-only: `version` says when it grew, and the rows
 * are extended at the cost of the new lines only.
 */
export const Terminal = memo(function Terminal({
  lines,
  version,
  loading,
  stream,
  pages,
}: {
  lines: TermLine[];
  version: number;
  loading: boolean;
  stream: "connecting" | "open" | "closed";
  pages?: LogPages;
}) {
  const [query, setQuery] = useState("");
  const [levels, setLevels] = useState<Set<LineLevel>>(() => new Set(LEVELS));
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const [follow, setFollow] = useState(true);
  const [wrap, setWrap] = useState(true);
  const [selection, setSelection] = useState<Selection | null>(null);
  /** The search match shown (marked as a selection's ends are): next/previous go on from it. */
  const [matchAt, setMatchAt] = useState<LineMark | null>(null);
  const [copied, setCopied] = useState("");
  const [width, setWidth] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const pendingJump = useRef<number | null>(null);
  const [rowCache] = useState(createRowCache);
  const origin = pages?.origin ?? 0;
  const atEnd = pages?.atEnd ?? true;
  const setFollowing = pages?.setFollowing;
  useEffect(() => setFollowing?.(follow), [setFollowing, follow]);
  /** The row at the scroller's top and how far into it: kept where it is when a page is put in front. */
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  // `lines` is the same array, appended to; `version` is what changes.
  const view = useMemo(() => rowCache(lines, { query, levels, open }), [rowCache, lines, version, query, levels, open]);
  const { rows } = view;
  // Line numbers are the events' seqs (lib/terminal-lines.ts lineLabel): stable whichever pages are held.
  const digits = labelWidth(lines[lines.length - 1]?.seq ?? 1, view.tallest);

  // Wrapped rows are estimated from the scroller's width in characters until they are drawn and measured.
  const cols = Math.max(20, Math.floor(width / CHAR_PX) - gutterCh(digits) - (width >= 768 ? CLOCK_CH + 1 : 0));
  // Stable while the rows are (a new view is a new object): a render for a scroll alone does not make the
  // virtualizer place every row again.
  const getItemKey = useCallback((i: number) => view.rows[i]!.key, [view]);
  const estimateSize = useCallback(
    (i: number) => {
      const r = view.rows[i]!;
      return wrap && r.kind === "line" ? ROW * Math.max(1, Math.ceil(r.line.text.length / cols)) : ROW;
    },
    [view, wrap, cols],
  );
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    getItemKey,
    estimateSize,
    overscan: OVERSCAN,
    // A scroll renders with the next frame, not inside the scroll event: following pins the bottom on every batch
    // of new lines, and a synchronous render there would be a second render of the same frame.
    useFlushSync: false,
    measureElement: measureObserved,
  });

  const { sized, pin } = useBottomPin(scroller, follow);
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setWidth(el.clientWidth);
      pin();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [pin]);
  // Switching wrap changes the rows' heights: forget the measured ones, and measure the drawn ones again at once
  // (a drawn row whose size did not change reports nothing to the virtualizer's observer, and would keep an
  // estimate: a wrapped line would overlap the next). Not on a width change: every drawn row's observer reports
  // that by itself, and a row drawn later is measured when it is drawn.
  useEffect(() => {
    virtual.measure();
    scroller.current
      ?.querySelectorAll<HTMLElement>("[data-index]")
      .forEach((el) => virtual.resizeItem(virtual.indexFromElement(el), el.offsetHeight));
  }, [wrap, virtual]);

  // Following, the bottom rows are drawn at once and the scroller is pinned to them (terminal-bottom.ts).
  const total = virtual.getTotalSize();
  const items = follow ? bottomItems(virtual, FOLLOW_OVERSCAN) : virtual.getVirtualItems();

  // A jump waits for the rows it needs (a fold opened for it) before scrolling.
  useEffect(() => {
    const at = pendingJump.current;
    if (at === null) return;
    pendingJump.current = null;
    const i = rowIndexOf(rows, at);
    if (i >= 0) virtual.scrollToIndex(i, { align: "center" });
  }, [rows, virtual]);

  // A page put in front: the row that was at the top stays where it was (following, the bottom is kept instead).
  const firstKey = lines[0]?.key;
  useLayoutEffect(() => {
    const el = scroller.current;
    const a = anchor.current;
    if (!el || !a || follow) return;
    const i = rows.findIndex((r) => r.key === a.key);
    const start = i >= 0 ? virtual.measurementsCache[i]?.start : undefined;
    if (start !== undefined) el.scrollTop = start + a.delta;
    // Only when the first line changes; `rows` is read as it is then.
  }, [firstKey]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < ROW * 2;
    // The bottom of a window that let go of the end is not the end: nothing to follow there yet.
    if (atBottom !== follow && (atEnd || !atBottom)) setFollow(atBottom);
    const top = virtual.getVirtualItems().find((v) => v.end > el.scrollTop);
    if (top && rows[top.index]) anchor.current = { key: rows[top.index]!.key, delta: el.scrollTop - top.start };
    if (pages && !pages.loading && !pages.atStart && el.scrollTop < ROW * EARLIER_AT) pages.loadEarlier();
    const below = el.scrollHeight - el.scrollTop - el.clientHeight;
    if (pages && !pages.loading && !atEnd && below < ROW * EARLIER_AT) pages.loadLater();
  };

  // Selection and match by absolute position and key (lib/terminal-selection.ts): a window that dropped their
  // lines, or was replaced (Follow), leaves none rather than other lines at the same positions.
  const sel = selectionIndexes(selection, lines, origin);
  const match = markIndex(matchAt, lines, origin);
  const selGone = selection !== null && sel === null;
  const matchGone = matchAt !== null && match === null;
  useEffect(() => {
    if (selGone) setSelection(null);
    if (matchGone) setMatchAt(null);
  }, [selGone, matchGone]);
  const onSelect = useCallback(
    (index: number, extend: boolean) => setSelection((s) => selectLine(s, lines, origin, index, extend)),
    [lines, origin],
  );
  const onToggleFold = useCallback((seq: number) => {
    setOpen((o) => {
      const next = new Set(o);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  }, []);

  useEffect(() => setMatchAt(null), [query, levels]);
  const onMatch = (dir: 1 | -1) => {
    const from = match !== null ? match : dir === 1 ? -1 : lines.length;
    const at = nextProblem(view.matches, from, dir);
    if (at === null) return;
    setFollow(false);
    setMatchAt(markAt(lines, origin, at));
    setSelection(selectLine(null, lines, origin, at, false));
    const i = rowIndexOf(rows, at);
    if (i >= 0) virtual.scrollToIndex(i, { align: "center" });
  };

  const onProblem = (dir: 1 | -1) => {
    const q = query.trim().toLowerCase();
    const from = sel ? sel.focus : dir === 1 ? -1 : lines.length;
    const at = nextProblem(view.problems, from, dir, (i) => lineMatches(lines[i]!, q, levels));
    if (at === null) return;
    setFollow(false);
    setSelection(selectLine(null, lines, origin, at, false));
    pendingJump.current = at;
    const line = lines[at]!;
    if (isFolded(line, open)) setOpen((o) => new Set(o).add(line.seq));
    else {
      const i = rowIndexOf(rows, at);
      pendingJump.current = null;
      if (i >= 0) virtual.scrollToIndex(i, { align: "center" });
    }
  };

  const selected = sel ? sel.hi - sel.lo + 1 : 0;
  const onCopy = async () => {
    if (!sel) return;
    try {
      await navigator.clipboard.writeText(copyText(lines, sel.anchor, sel.focus));
      setCopied(selected > 1 ? `Copied ${selected} lines` : `Copied line ${lineLabel(lines[sel.anchor]!)}`);
    } catch {
      setCopied("The browser refused the clipboard: select the text and copy it by hand");
    }
  };

  const [lo, hi] = sel ? [sel.lo, sel.hi] : [-1, -1];
  const filtering = query.trim() !== "" || levels.size < 4;
  const shownLines = filtering ? rows.length : lines.length;
  const rowProps = { wrap, digits, measure: virtual.measureElement };

  return (
    <div
      data-slot="terminal"
      data-wrap={wrap}
      className="flex min-w-0 max-w-full flex-col border-2 border-line bg-bg shadow-hard"
    >
      <TerminalToolbar
        stream={stream}
        query={query}
        onQuery={setQuery}
        levels={levels}
        onLevels={setLevels}
        count={filtering ? `${shownLines} / ${lines.length} lines` : `${lines.length} lines`}
        follow={follow}
        onFollow={() => {
          if (!follow && !atEnd) pages?.toEnd();
          setFollow((f) => !f);
        }}
        wrap={wrap}
        onWrap={() => setWrap((w) => !w)}
        problems={view.problems.length}
        onProblem={onProblem}
        matches={{
          total: view.matches.length,
          at: matchOrdinal(view.matches, match),
        }}
        onMatch={onMatch}
        selected={selected}
        onCopy={() => void onCopy()}
        copied={copied}
      />
      {pages && (!pages.atStart || !atEnd) && lines.length > 0 && (
        <div className="relative h-0">
          <p
            data-slot="log-earlier"
            aria-live="polite"
            className="label pointer-events-none absolute right-4 top-1 z-10 border border-line bg-bg px-2 text-[10px] text-muted"
          >
            {pages.loading
              ? "Loading events…"
              : atEnd
                ? "Earlier events load as you scroll up"
                : "Not live: later events load as you scroll down, Follow goes to the end"}
          </p>
        </div>
      )}
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="log"
        aria-label="Session log"
        className="h-[28rem] max-w-full min-w-0 overflow-auto text-[12px] leading-[20px] [contain:strict]"
      >
        {loading && !lines.length ? (
          <p className="p-3 text-muted">Replaying the event log…</p>
        ) : !rows.length ? (
          <p className="p-3 text-muted">
            {lines.length ? "No line matches the search." : "No events yet. Lines appear here as the session works."}
          </p>
        ) : (
          <div
            ref={sized}
            className={cn("relative", !wrap && "[--clock:0ch] md:[--clock:13ch]")}
            // Scroll mode: exactly as wide as the widest line and the gutter, so its last character can be scrolled to.
            style={{
              height: total,
              width: wrap ? "100%" : `calc(${view.widest + gutterCh(digits)}ch + var(--clock))`,
              minWidth: "100%",
            }}
          >
            {items.map((v) => {
              const r = rows[v.index]!;
              return r.kind === "line" ? (
                <TerminalLineRow
                  key={r.key}
                  row={r}
                  index={v.index}
                  start={v.start}
                  selected={r.at >= lo && r.at <= hi}
                  onSelect={onSelect}
                  {...rowProps}
                />
              ) : (
                <TerminalFoldRow
                  key={r.key}
                  row={r}
                  index={v.index}
                  start={v.start}
                  onToggle={onToggleFold}
                  {...rowProps}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
});
