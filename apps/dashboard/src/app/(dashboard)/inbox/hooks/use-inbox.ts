"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useActingTenant } from "@/lib/acting-tenant";
import { getApi } from "@/lib/api";
import { openLiveSocket, type SocketState } from "@/lib/live-socket";
import { POLL_MS, qk, type InboxQuery } from "@/lib/queries";
import { applyInboxFrame, type InboxPage } from "../lib/inbox-frames";

/**
 * The inbox, live (docs/input-requests.md §3, Dashboard): the page of open
 * requests, and a socket on the `inbox` room whose frames patch it at once —
 * a request that opens appears, one answered anywhere (here, the CLI, another
 * tab) or expired goes. The app's feed marks the query stale after each
 * frame too (the truth after each refetch); it polls only while this socket
 * is not open. `live` is the socket's state.
 */
export function useInbox(query: InboxQuery) {
  const qc = useQueryClient();
  const tenant = useActingTenant();
  const [live, setLive] = useState<SocketState>("connecting");
  const key = JSON.stringify(query);
  const page = useQuery({
    queryKey: qk.inbox(query),
    queryFn: () => getApi().call("listInbox", { query }),
    refetchInterval: live === "open" ? false : POLL_MS.normal,
    placeholderData: keepPreviousData,
  });
  useEffect(() => {
    const q = JSON.parse(key) as InboxQuery;
    const socket = openLiveSocket({
      path: () => "/ws/system",
      rooms: ["inbox"],
      onState: setLive,
      onFrame: (f) => {
        if (f.type !== "inbox.request_created" && f.type !== "inbox.request_resolved") return;
        qc.setQueryData<InboxPage>(qk.inbox(q), (p) => (p ? applyInboxFrame(p, f, q) : p));
      },
    });
    return () => socket.close();
  }, [qc, tenant, key]);
  return { ...page, live };
}
