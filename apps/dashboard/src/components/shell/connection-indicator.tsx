"use client";

import { useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { getApi } from "@/lib/api";
import { connectionStore, feedEverOpen, initialConnection, socketConnection } from "@/lib/connection";
import { qk, usePoll } from "@/lib/queries";
import { StatusDot } from "@/components/ui/badge";

const TEXT = { live: "LIVE", reconnecting: "RECONNECTING", offline: "OFFLINE" } as const;
const TEXT_CLASS = { live: "text-st-running", reconnecting: "text-st-degraded", offline: "text-st-failed" } as const;

/**
 * Live / reconnecting / offline: the `/ws/system` feed's state once it has
 * opened; before that (and while it is down), a /health probe every 5 s and
 * every request's outcome.
 */
export function ConnectionIndicator() {
  // The probe is needed only while the feed is not open: the socket's own state says the rest.
  useQuery({
    queryKey: qk.health,
    queryFn: () => getApi().call("health"),
    refetchInterval: usePoll(5000),
    retry: false,
  });
  const http = useSyncExternalStore(connectionStore.subscribe, connectionStore.get, () => initialConnection);
  const feed = useSyncExternalStore(socketConnection.subscribe, socketConnection.get, () => initialConnection);
  // Once the live feed has opened it is the authority; before that (or without WebSockets), HTTP is.
  const snap = feedEverOpen() ? feed : http;
  const dot = snap.state === "offline" ? "failed" : snap.state;
  return (
    <div
      data-slot="connection"
      data-state={snap.state}
      role="status"
      aria-live="polite"
      className="flex items-center gap-2 border-2 border-line px-3 py-2"
    >
      <StatusDot status={dot} />
      <span className={`label ${TEXT_CLASS[snap.state]}`}>{TEXT[snap.state]}</span>
    </div>
  );
}
