"use client";

import type { SessionEvent } from "@industrial/core";
import { isWsSessionEventType, type WsServerMessage } from "@industrial/contracts";
import { useEffect, useRef, useState } from "react";
import { getApi } from "@/lib/api";
import { connectionStore, isConnectionFailure } from "@/lib/connection";
import { openLiveSocket, type SocketState } from "@/lib/live-socket";
import { toTermLines, type TermLine } from "../../lib/terminal-lines";
import { createSeqAssembler } from "../../lib/seq-assembler";

export interface SessionEventsState {
  /** Every terminal row so far (append-only; read it together with `version`). */
  lines: TermLine[];
  /** Bumped on every append: a cheap dependency for views. */
  version: number;
  lastSeq: number;
  error: unknown;
  loading: boolean;
  /** The session's WebSocket stream: open (live), or polling while it is not. */
  stream: SocketState;
}

const PAGE = 1000;

/** A session event frame of the WebSocket as the event-log shape. */
export function eventOfFrame(f: WsServerMessage): SessionEvent | null {
  if (!isWsSessionEventType(f.type) || f.seq === undefined) return null;
  const { sessionId, attempt, ...payload } = f.payload as { sessionId: string; attempt: number | null };
  return { sessionId, seq: f.seq, attempt, ts: f.ts, type: f.type, payload } as unknown as SessionEvent;
}

/**
 * The session's event log, replayed and then followed live: pages of
 * `GET /sessions/{id}/events?after=` first, then `/ws/sessions/{id}?after=
 * <lastSeq>` (reconnects resume from the last seq seen). While the socket is
 * down the log is polled instead. Events pass through a seq assembler, so the
 * terminal gets each seq once and in order whichever path brought it.
 */
export function useSessionEvents(id: string, onEvents?: (events: SessionEvent[]) => void): SessionEventsState {
  const lines = useRef<TermLine[]>([]);
  const lastSeqRef = useRef(0);
  const cb = useRef(onEvents);
  cb.current = onEvents;
  const [state, setState] = useState({
    version: 0,
    error: null as unknown,
    loading: true,
    stream: "connecting" as SocketState,
  });

  useEffect(() => {
    lines.current = [];
    lastSeqRef.current = 0;
    let stopped = false;
    let socketOpen = false;
    let fetching = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let socket: { close(): void } | null = null;
    const api = getApi();

    const assembler = createSeqAssembler<SessionEvent>((ready) => {
      lastSeqRef.current = ready[ready.length - 1]!.seq;
      for (const r of toTermLines(ready)) lines.current.push(r);
      cb.current?.(ready);
      setState((s) => ({ ...s, version: s.version + 1 }));
    });

    /** Reads the log from the last seq until it is drained. */
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
          // Events older than the tenant's retention are gone from the log: the terminal starts at the first one kept.
          assembler.startAt(page.firstSeq);
          assembler.push(page.items);
          connectionStore.report(true);
          if (page.items.length < PAGE) break;
        }
        setState((s) => ({ ...s, error: null, loading: false }));
      } catch (e) {
        if (stopped) return;
        if (isConnectionFailure(e)) connectionStore.report(false);
        setState((s) => ({ ...s, error: e, loading: false }));
      } finally {
        fetching = false;
      }
    };

    // While the socket is not open, the log is polled.
    const pollWhileDown = async () => {
      if (stopped) return;
      if (!socketOpen) await catchUp();
      timer = setTimeout(pollWhileDown, 1000);
    };

    void catchUp().then(() => {
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
    });

    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [id]);

  return { lines: lines.current, lastSeq: lastSeqRef.current, ...state };
}
