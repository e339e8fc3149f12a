"use client";

import { useLiveRoom, useStaleBatcher } from "@/lib/live-room";
import type { SocketState } from "@/lib/live-socket";
import { qk } from "@/lib/queries";
import { taskRoomKeysOf } from "@/lib/stale-keys";

/**
 * The task page's own room, `/ws/tasks/{id}`: it hears the task and every
 * task under it (created, status, progress); each burst re-reads the task,
 * its tree and its graph once (batched: lib/live-room.ts). Returns the
 * socket's state: the page polls only while it is not open.
 */
export function useTaskRoom(id: string): SocketState {
  const stale = useStaleBatcher();
  return useLiveRoom(`/ws/tasks/${id}`, {
    onFrame: (f) => stale.mark(taskRoomKeysOf(id, f)),
    onReopen: () =>
      stale.mark([qk.task(id), qk.taskTree(id), qk.taskGraph(id)].map((queryKey) => ({ queryKey, exact: true }))),
  });
}
