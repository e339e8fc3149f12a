"use client";

import { useQuery } from "@tanstack/react-query";
import { getApi } from "@/lib/api";
import { qk } from "@/lib/queries";

/**
 * The session's checkpoint chain, one cached copy for the page (the state
 * history, the restore and the retry dialogs read the same query).
 */
export function useCheckpoints(sessionId: string) {
  return useQuery({
    queryKey: qk.sessionCheckpoints(sessionId),
    queryFn: () => getApi().call("listCheckpoints", { params: { id: sessionId } }),
  });
}

/**
 * The worktree's diff against its base (the Diff card and the rewind
 * dialogs share it). Before the first attempt there is no worktree to diff:
 * the query waits for one (`enabled`).
 */
export function useSessionDiff(sessionId: string, hasWorkspace: boolean) {
  return useQuery({
    queryKey: qk.sessionDiff(sessionId),
    queryFn: () => getApi().call("sessionDiff", { params: { id: sessionId } }),
    retry: false,
    placeholderData: (p) => p,
    enabled: hasWorkspace,
  });
}
