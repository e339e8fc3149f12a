"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useActingTenant } from "@/lib/acting-tenant";
import { reportSocket } from "@/lib/connection";
import { sharedStaleBatcher } from "@/lib/live-room";
import { openLiveSocket } from "@/lib/live-socket";
import { FEED_REFRESH, staleKeysOf } from "@/lib/stale-keys";

/**
 * One `/ws/system` socket for the whole app, subscribed to the sessions
 * (status-level frames only), agents, tasks and inbox rooms: every frame
 * marks what it changed as stale through the shared batcher (trailing
 * 250 ms, at most 1 s under a stream; lib/live-room.ts), and its state drives
 * the sidebar's indicator and switches polling off while it is open. When it
 * comes back after a drop, what it announces is read once. It follows the
 * tenant an operator chose (lib/live-socket.ts names it on connect).
 */
export function LiveUpdates() {
  const qc = useQueryClient();
  // Another tenant chosen: the feed reconnects to that tenant's rooms.
  const tenant = useActingTenant();
  useEffect(() => {
    const stale = sharedStaleBatcher(qc);
    let opened = false;
    const socket = openLiveSocket({
      path: () => "/ws/system",
      rooms: ["sessions", "agents", "tasks", "inbox"],
      onState: (s) => {
        if (s === "open" && opened) stale.mark(FEED_REFRESH);
        if (s === "open") opened = true;
        reportSocket(s);
      },
      onFrame: (f) => stale.mark(staleKeysOf(f)),
    });
    return () => {
      socket.close();
      // The page is not going away, only this socket (another tenant): what is pending still applies.
      stale.flush();
    };
  }, [qc, tenant]);
  return null;
}
