"use client";

import type { SessionEvent } from "@industrial/core";
import { isWsSessionEventType, type WsServerMessage } from "@industrial/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { getApi } from "@/lib/api";
import { connectionStore, isConnectionFailure } from "@/lib/connection";
import { openLiveSocket, type SocketState } from "@/lib/live-socket";
import { toTermLines } from "../../lib/terminal-lines";
import { appendLines, prependLines, tailWindow, type LogWindow } from "../../lib/log-window";
import { askRead, mayStartRead, readFits, retryDelay, type PageRead, type PageReadKind } from "../../lib/page-reads";
import { createSeqAssembler } from "../../lib/seq-assembler";

export interface SessionEventsState {
  /** The part of the log held (lib/log-window.ts); read it together with `version`. */
  window: LogWindow;
  /** Bumped on every change of the window: a cheap dependency for views. */
  version: number;
  error: unknown;
  loading: boolean;
  /** A page before or after the window is being read. */
  paging: boolean;
  /** The session's WebSocket stream: open (live), or polling while it is not. */
  stream: SocketState;
  /** Reads the page before the window (the reader scrolled to its top). */
  loadEarlier: () => void;
  /** Reads the page after a window that let go of the end (the reader scrolled to its bottom). */
  loadLater: () => void;
  /** Back to the log's end, read again from its tail (Follow on a window that let go of it). */
  toEnd: () => void;
  /** Whether the reader follows the end: a window past its limit then drops its top, otherwise its end. */
  setFollowing: (following: boolean) => void;
}

const PAGE = 1000;
/**
 * Live lines reach the view at most this often: a stream of a thousand lines a second is drawn ten times a
 * second rather than on every batch the server sends, each draw a frame's work (rows, layout, paint) that a busy
 * machine may not finish within one display frame. A line after a quiet spell shows at the next frame.
 */
const FLUSH_GAP_MS = 100;
const EMPTY = tailWindow([], 0, false);

/** A session event frame of the WebSocket as the event-log shape. */
export function eventOfFrame(f: WsServerMessage): SessionEvent | null {
  if (!isWsSessionEventType(f.type) || f.seq === undefined) return null;
  const { sessionId, attempt, ...payload } = f.payload as { sessionId: string; attempt: number | null };
  return { sessionId, seq: f.seq, attempt, ts: f.ts, type: f.type, payload } as unknown as SessionEvent;
}

/**
 * The session's event log, tail first and then followed live: the last page
 * (`GET /sessions/{id}/events?order=desc`) draws at once, then
 * `/ws/sessions/{id}?after=<lastSeq>` streams (reconnects resume from the
 * last seq seen); earlier pages (`order=desc&before=`) load as the reader
 * scrolls up. While the socket is down the log is polled instead. Events
 * pass through a seq assembler, so each seq arrives once and in order
 * whichever path brought it, and live ones reach the view in one batch per
 * animation frame, at most every `FLUSH_GAP_MS`.
 */
export function useSessionEvents(id: string, onEvents?: (events: SessionEvent[]) => void): SessionEventsState {
  const win = useRef<LogWindow>(EMPTY);
  const cb = useRef(onEvents);
  cb.current = onEvents;
  const earlier = useRef<() => void>(() => undefined);
  const later = useRef<(toEnd: boolean) => void>(() => undefined);
  const following = useRef(true);
  const [state, setState] = useState({
    version: 0,
    error: null as unknown,
    loading: true,
    paging: false,
    stream: "connecting" as SocketState,
  });

  useEffect(() => {
    win.current = tailWindow([], 0, false);
    let stopped = false;
    let tailed = false;
    let socketOpen = false;
    let fetching = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let socket: { close(): void } | null = null;
    const api = getApi();
    const bump = (patch: Partial<typeof state> = {}) => setState((s) => ({ ...s, ...patch, version: s.version + 1 }));

    // Live events reach the view together: at the next animation frame (or after 250 ms in a hidden tab), and at
    // most every FLUSH_GAP_MS while they stream (docs/dashboard-terminal.md, Frames while streaming).
    let pending: SessionEvent[] = [];
    let armed = false;
    let frame = 0;
    let late: ReturnType<typeof setTimeout> | undefined;
    let lastFlush = -Infinity;
    const arm = () => {
      frame = requestAnimationFrame(flush);
      late = setTimeout(flush, 250);
    };
    const schedule = () => {
      if (armed) return;
      armed = true;
      const wait = lastFlush + FLUSH_GAP_MS - performance.now();
      if (wait > 0) late = setTimeout(arm, wait);
      else arm();
    };
    const flush = () => {
      cancelAnimationFrame(frame);
      clearTimeout(late);
      armed = false;
      lastFlush = performance.now();
      const ready = pending;
      pending = [];
      if (stopped || !ready.length) return;
      win.current = appendLines(win.current, toTermLines(ready), { live: true, following: following.current });
      cb.current?.(ready);
      // Rendered now, inside the animation frame (docs/dashboard-terminal.md, Frames while streaming): the new rows,
      // the bottom pinned and the layout that needs are this frame's, not a task's between two frames.
      flushSync(() => bump());
    };
    let assembler = createSeqAssembler<SessionEvent>(() => undefined);
    const startAssembler = (after: number) => {
      assembler = createSeqAssembler<SessionEvent>((ready) => {
        for (const e of ready) pending.push(e);
        schedule();
      }, after);
    };

    const fail = (e: unknown) => {
      if (stopped) return;
      if (isConnectionFailure(e)) connectionStore.report(false);
      setState((s) => ({ ...s, error: e, loading: false, paging: false }));
    };

    /** The log's tail: one page from its end, drawn at once. */
    const loadTail = async () => {
      const page = await api.call("sessionEvents", { params: { id }, query: { order: "desc", limit: PAGE } });
      if (stopped) return;
      const events = page.items.reverse();
      const first = events[0]?.seq ?? page.lastSeq + 1;
      win.current = tailWindow(toTermLines(events), page.lastSeq, events.length < PAGE || first <= page.firstSeq);
      startAssembler(events[events.length - 1]?.seq ?? page.lastSeq);
      tailed = true;
      connectionStore.report(true);
      if (events.length) cb.current?.(events);
      bump({ error: null, loading: false });
    };

    /** Reads the log from the last seq until it is drained (a gap in the stream, or polling while it is down). */
    const catchUp = async () => {
      if (fetching || stopped) return;
      fetching = true;
      try {
        for (;;) {
          const page = await api.call("sessionEvents", {
            params: { id },
            query: { after: assembler.lastSeq(), limit: PAGE },
          });
          if (stopped) return;
          // Events older than the tenant's retention are gone from the log: the terminal goes on from the first one kept.
          assembler.startAt(page.firstSeq);
          assembler.push(page.items);
          connectionStore.report(true);
          if (page.items.length < PAGE) break;
        }
        setState((s) => (s.error ? { ...s, error: null } : s));
      } catch (e) {
        fail(e);
      } finally {
        fetching = false;
      }
    };

    // One page read at a time (lib/page-reads.ts); Follow interrupts another, whose answer then no longer fits.
    let reading: PageReadKind | null = null;
    let epoch = 0;
    const startRead = (kind: PageReadKind) => {
      if (stopped || !tailed || !mayStartRead(reading, kind)) return null;
      if (kind === "end") epoch++;
      reading = kind;
      setState((s) => ({ ...s, paging: true }));
      return askRead(kind, epoch, win.current);
    };
    /** The read is over (unless Follow took over meanwhile): paging ends, or its error is shown. */
    const endRead = (read: PageRead, error?: unknown) => {
      if (stopped || read.epoch !== epoch || reading !== read.kind) return;
      reading = null;
      if (error !== undefined) fail(error);
      else bump({ paging: false });
    };

    earlier.current = () => {
      if (win.current.atStart) return;
      const read = startRead("earlier");
      if (!read) return;
      api.call("sessionEvents", { params: { id }, query: { order: "desc", before: read.firstSeq, limit: PAGE } }).then(
        (page) => {
          if (stopped || !readFits(read, epoch, win.current)) return endRead(read);
          const events = page.items.reverse();
          const atStart = events.length < PAGE || (events[0]?.seq ?? 0) <= page.firstSeq;
          win.current = prependLines(win.current, toTermLines(events), atStart);
          endRead(read);
        },
        (e: unknown) => endRead(read, e),
      );
    };

    // Towards the end again: the next page (or, `toEnd`, the tail and what follows it) until the window meets the stream.
    later.current = (toEnd) => {
      if (win.current.atEnd) return;
      const read = startRead(toEnd ? "end" : "later");
      if (!read) return;
      const run = async () => {
        if (toEnd) {
          const tail = await api.call("sessionEvents", { params: { id }, query: { order: "desc", limit: PAGE } });
          if (stopped || read.epoch !== epoch) return;
          const events = tail.items.reverse();
          const first = events[0]?.seq ?? tail.lastSeq + 1;
          win.current = { ...tailWindow(toTermLines(events), tail.lastSeq, first <= tail.firstSeq), atEnd: false };
        }
        // One page, or (to the end, or a short page short of what the stream has seen) until the window meets the stream.
        for (let more = true, n = 0; more && !win.current.atEnd && n < 50; n++) {
          const asked = askRead(read.kind, epoch, win.current);
          const page = await api.call("sessionEvents", {
            params: { id },
            query: { after: asked.lastSeq, limit: PAGE },
          });
          if (stopped || read.epoch !== epoch || !readFits(asked, epoch, win.current)) return;
          const last = page.items[page.items.length - 1]?.seq ?? asked.lastSeq;
          win.current = appendLines(win.current, toTermLines(page.items), {
            atEnd: last >= assembler.lastSeq(),
            // Follow keeps the newest lines; a reader at the bottom of the window the ones in view.
            following: toEnd,
          });
          more = toEnd || page.items.length < PAGE;
        }
      };
      run().then(
        () => endRead(read),
        (e: unknown) => endRead(read, e),
      );
    };

    // While the socket is not open, the log is polled.
    const pollWhileDown = async () => {
      if (stopped) return;
      if (!socketOpen) await catchUp();
      timer = setTimeout(pollWhileDown, 1000);
    };

    // The first read is tried again until it succeeds (1 s, 2 s, 4 s… apart), the error shown meanwhile; then live.
    let failures = 0;
    const start = () =>
      void loadTail().then(
        () => {
          if (stopped) return;
          socket = openLiveSocket({
            path: () => `/ws/sessions/${id}?after=${assembler.lastSeq()}`,
            onState: (st) => {
              socketOpen = st === "open";
              setState((s) => ({ ...s, stream: st }));
            },
            onFrame: (f) => {
              const e = eventOfFrame(f);
              if (e && assembler.push([e]) === "gap") void catchUp();
            },
          });
          timer = setTimeout(pollWhileDown, 1000);
        },
        (e: unknown) => {
          if (stopped) return;
          fail(e);
          timer = setTimeout(start, retryDelay(++failures));
        },
      );
    start();

    return () => {
      stopped = true;
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      clearTimeout(late);
      socket?.close();
    };
  }, [id]);

  const loadEarlier = useCallback(() => earlier.current(), []);
  const loadLater = useCallback(() => later.current(false), []);
  const toEnd = useCallback(() => later.current(true), []);
  const setFollowing = useCallback((f: boolean) => void (following.current = f), []);
  return { window: win.current, ...state, loadEarlier, loadLater, toEnd, setFollowing };
}
