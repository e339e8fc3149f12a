/**
 * A change of something that is not a session (an agent registered, a task's
 * status or progress) addressed to WebSocket rooms. `type` and `payload` are
 * the frame's (contracts' `WsServerPayloads`); the publisher builds them.
 */
export interface Notice {
  tenantId: string;
  /** Rooms that receive it, e.g. `agent:<id>` and `agents`; a connection in several gets it once. */
  rooms: readonly string[];
  type: string;
  payload: unknown;
}

/**
 * Fan-out of notices, next to the session `EventBus` and with the same
 * contract: publish only after the change committed. In-process here; with
 * REDIS_URL the server backs the same interface with Redis pub/sub.
 */
export interface NoticeBus {
  publish(notice: Notice): void;
  /** Every notice of every tenant; returns the unsubscribe function. */
  subscribe(listener: (notice: Notice) => void): () => void;
}

export function createInProcessNoticeBus(): NoticeBus {
  const listeners = new Set<(n: Notice) => void>();
  return {
    publish(notice) {
      for (const l of listeners) {
        try {
          l(notice);
        } catch {
          // one faulty subscriber must not stop the others
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
