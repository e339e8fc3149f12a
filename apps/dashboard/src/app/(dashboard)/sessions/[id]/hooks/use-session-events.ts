"use client";

import type { SessionEvent } from "@industrial/core";
import { useEffect, useRef, useState } from "react";
import { getApi } from "@/lib/api";
import { connectionStore, isConnectionFailure } from "@/lib/connection";
import { toTermLines, type TermLine } from "../../lib/terminal-lines";

export interface SessionEventsState {
  /** Every terminal row so far (append-only; read it together with `version`). */
  lines: TermLine[];
  /** Bumped on every append: a cheap dependency for views. */
  version: number;
  lastSeq: number;
  finished: boolean;
  error: unknown;
  loading: boolean;
}

const PAGE = 1000;

/**
 * The session's event log, replayed from seq 0 and then followed: pages of
 * `GET /sessions/{id}/events?after=<lastSeq>` until the log says finished.
 * Every event is taken once, in seq order, whatever the timing of polls, so
 * the terminal has no gap and no duplicate. (The WebSocket feed will replace
 * the polling with the same `after` contract.)
 */
export function useSessionEvents(id: string, onEvents?: (events: SessionEvent[]) => void): SessionEventsState {
  const lines = useRef<TermLine[]>([]);
  const lastSeq = useRef(0);
  const cb = useRef(onEvents);
  cb.current = onEvents;
  const [state, setState] = useState({ version: 0, finished: false, error: null as unknown, loading: true });

  useEffect(() => {
    lines.current = [];
    lastSeq.current = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const api = getApi();
    const poll = async () => {
      let finished = false;
      try {
        for (;;) {
          const page = await api.call("sessionEvents", { params: { id }, query: { after: lastSeq.current, limit: PAGE } });
          if (stopped) return;
          const fresh = page.items.filter((e) => e.seq > lastSeq.current);
          if (fresh.length) {
            lastSeq.current = fresh[fresh.length - 1]!.seq;
            const rows = toTermLines(fresh);
            for (const r of rows) lines.current.push(r);
            cb.current?.(fresh);
          }
          finished = page.finished && page.lastSeq <= lastSeq.current;
          connectionStore.report(true);
          setState((s) => ({ version: fresh.length ? s.version + 1 : s.version, finished, error: null, loading: false }));
          if (page.items.length < PAGE) break;
        }
      } catch (e) {
        if (stopped) return;
        if (isConnectionFailure(e)) connectionStore.report(false);
        setState((s) => ({ ...s, error: e, loading: false }));
      }
      // A finished log can still grow if someone retries or resumes: look again, less often.
      if (!stopped) timer = setTimeout(poll, finished ? 5000 : 1000);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  return { lines: lines.current, lastSeq: lastSeq.current, ...state };
}
