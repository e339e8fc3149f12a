"use client";

import type { AgentView } from "@industrial/contracts";
import { useQueryClient } from "@tanstack/react-query";
import { useLiveRoom, useStaleBatcher } from "@/lib/live-room";
import type { SocketState } from "@/lib/live-socket";
import { qk } from "@/lib/queries";
import { agentRoomKeysOf } from "@/lib/stale-keys";

/**
 * The agent page's own room, `/ws/agents/{id}`: `agent.updated` carries the
 * whole agent, so the page shows it without a request; its performance
 * (stats, recent sessions) is re-read when its load or stats moved, batched.
 * Returns the socket's state: the page polls only while it is not open.
 */
export function useAgentRoom(id: string): SocketState {
  const qc = useQueryClient();
  const stale = useStaleBatcher();
  return useLiveRoom(`/ws/agents/${id}`, {
    onFrame: (f) => {
      if (f.type === "agent.updated" && f.payload.id === id) {
        const before = qc.getQueryData<AgentView>(qk.agent(id));
        qc.setQueryData(qk.agent(id), f.payload);
        stale.mark(agentRoomKeysOf(id, f, before));
      } else stale.mark(agentRoomKeysOf(id, f));
    },
    onReopen: () =>
      stale.mark([
        { queryKey: qk.agent(id), exact: true },
        { queryKey: qk.agentPerformance(id), exact: true },
      ]),
  });
}
