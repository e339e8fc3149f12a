import type { SessionEvent } from "@industrial/core";

/**
 * Fan-out of committed session events to live subscribers (WebSocket rooms,
 * `logs -f`). In-process here; with REDIS_URL the server backs the same
 * interface with Redis pub/sub (apps/server runtime/redis-fanout.ts). Events are published only after their transaction
 * committed, so a subscriber never sees an event the log does not have.
 */
export interface EventBus {
  publish(events: readonly SessionEvent[]): void;
  /** Subscribes to one session (by id) or to all sessions (`*`). Returns the unsubscribe function. */
  subscribe(sessionId: string | "*", listener: (event: SessionEvent) => void): () => void;
}

export function createInProcessEventBus(): EventBus {
  const listeners = new Map<string, Set<(e: SessionEvent) => void>>();
  const emit = (key: string, e: SessionEvent) => {
    for (const l of listeners.get(key) ?? []) {
      try {
        l(e);
      } catch {
        // one faulty subscriber must not stop the others
      }
    }
  };
  return {
    publish(events) {
      for (const e of events) {
        emit(e.sessionId, e);
        emit("*", e);
      }
    },
    subscribe(key, listener) {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(key);
      };
    },
  };
}
