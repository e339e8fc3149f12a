"use client";

import type { WsServerMessage } from "@industrial/contracts";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useEffect } from "react";
import { useActingTenant } from "@/lib/acting-tenant";
import { reportSocket } from "@/lib/connection";
import { openLiveSocket } from "@/lib/live-socket";
import { qk } from "@/lib/queries";

const sessionOf = (payload: unknown) => (payload as { sessionId: string }).sessionId;

/** The query keys a frame makes stale (prefixes). */
export function staleKeysOf(f: WsServerMessage): QueryKey[] {
  switch (f.type) {
    case "session.created":
    case "session.status_changed":
    case "session.completed":
    case "session.failed":
      return [["sessions"], qk.session(sessionOf(f.payload)), ["agents"], ["agent"], ["runners"], ["tenant-usage"]];
    case "session.tokens":
      return [["sessions", "list"], qk.session(sessionOf(f.payload)), ["tenant-usage"]];
    case "session.checkpoint":
    case "session.file_edited":
      return [["sessions", "list"], qk.session(sessionOf(f.payload))];
    case "agent.registered":
    case "agent.removed":
      return [["agents"]];
    case "agent.updated":
      return [["agents"], qk.agent(f.payload.id), qk.agentPerformance(f.payload.id)];
    case "task.created":
      return [["tasks"], ["task"]];
    case "task.status_changed":
    case "task.progress":
      return [["tasks"], ["task"]];
    case "system.stats":
      return [qk.sessionStats];
    case "system.health":
      return [qk.ready, ["runners"]];
    case "inbox.request_created":
    case "inbox.request_resolved":
      return [["inbox"], qk.session(f.payload.sessionId)];
    default:
      return [];
  }
}

/**
 * One `/ws/system` socket for the whole app, subscribed to the sessions,
 * agents, tasks and inbox rooms: every frame marks what it changed as stale (batched
 * every 250 ms), and its state drives the sidebar's indicator. It follows
 * the tenant an operator chose (lib/live-socket.ts names it on connect).
 */
export function LiveUpdates() {
  const qc = useQueryClient();
  // Another tenant chosen: the feed reconnects to that tenant's rooms.
  const tenant = useActingTenant();
  useEffect(() => {
    const pending = new Map<string, QueryKey>();
    const flush = setInterval(() => {
      for (const key of pending.values()) void qc.invalidateQueries({ queryKey: key });
      pending.clear();
    }, 250);
    const socket = openLiveSocket({
      path: () => "/ws/system",
      rooms: ["sessions", "agents", "tasks", "inbox"],
      onState: reportSocket,
      onFrame: (f) => {
        for (const key of staleKeysOf(f)) pending.set(JSON.stringify(key), key);
      },
    });
    return () => {
      socket.close();
      clearInterval(flush);
    };
  }, [qc, tenant]);
  return null;
}
