"use client";

import type { WsServerMessage } from "@industrial/contracts";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useActingTenant } from "./acting-tenant";
import { openLiveSocket, type SocketState } from "./live-socket";
import { createStaleBatcher, type StaleBatcher } from "./stale-batcher";

/** Invalidations wait for a burst of frames to end (trailing), and at most this long under a steady stream. */
export const STALE_DELAY_MS = 250;
export const STALE_MAX_WAIT_MS = 1000;

const shared = new WeakMap<QueryClient, StaleBatcher>();

/**
 * One batcher per query client: the app's feed and a page's own room often
 * announce the same change (a status in both the `sessions` room and the
 * session's own), and the query is read once for both.
 */
export function sharedStaleBatcher(qc: QueryClient): StaleBatcher {
  let b = shared.get(qc);
  if (!b) {
    b = createStaleBatcher({
      delayMs: STALE_DELAY_MS,
      maxWaitMs: STALE_MAX_WAIT_MS,
      invalidate: (t) => void qc.invalidateQueries({ queryKey: t.queryKey, exact: t.exact ?? false }),
    });
    shared.set(qc, b);
  }
  return b;
}

export function useStaleBatcher(): StaleBatcher {
  return sharedStaleBatcher(useQueryClient());
}

/**
 * A page's own room (`/ws/agents/{id}`, `/ws/tasks/{id}`): open while the
 * page is, again for another acting tenant; each frame goes to `onFrame`,
 * and `onReopen` runs when the socket comes back after a drop (frames sent
 * meanwhile were missed). Returns the socket's state: pages poll only while
 * it is not open.
 */
export function useLiveRoom(
  path: string,
  handlers: { onFrame: (f: WsServerMessage) => void; onReopen?: () => void },
): SocketState {
  const [state, setState] = useState<SocketState>("connecting");
  const cb = useRef(handlers);
  useEffect(() => {
    cb.current = handlers;
  });
  const tenant = useActingTenant();
  useEffect(() => {
    let opened = false;
    const socket = openLiveSocket({
      path: () => path,
      onState: (s) => {
        if (s === "open" && opened) cb.current.onReopen?.();
        if (s === "open") opened = true;
        setState(s);
      },
      onFrame: (f) => cb.current.onFrame(f),
    });
    return () => socket.close();
  }, [path, tenant]);
  return state;
}
