import type { SessionEvent } from "@industrial/core";
import type { EventBus } from "@industrial/scheduler";

const TENANT_CACHE_LIMIT = 50_000;

/**
 * Every session event of the bus, with its tenant (events do not carry it):
 * feeds the `sessions` rooms and the agent watch. Subscribed to the bus only
 * while someone needs it. A session's tenant never changes, so it is cached;
 * a miss is one query, and events wait behind it so the feed keeps bus order.
 */
export function createSessionFeed(input: {
  bus: EventBus;
  tenantOf: (sessionId: string) => Promise<string | null>;
  deliver: (tenantId: string, event: SessionEvent) => void;
  onError: (error: unknown) => void;
}) {
  const tenants = new Map<string, string>();
  const queue: SessionEvent[] = [];
  let draining = false;
  let users = 0;
  let unsubscribe: (() => void) | null = null;

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length > 0) {
        const e = queue[0]!;
        let tenant = tenants.get(e.sessionId) ?? null;
        if (tenant === null) {
          tenant = await input.tenantOf(e.sessionId).catch((err) => (input.onError(err), null));
          if (tenant !== null) remember(e.sessionId, tenant);
        }
        queue.shift();
        if (tenant !== null && users > 0) input.deliver(tenant, e);
      }
    } finally {
      draining = false;
    }
  }

  function remember(sessionId: string, tenant: string): void {
    if (tenants.size >= TENANT_CACHE_LIMIT) tenants.delete(tenants.keys().next().value!);
    tenants.set(sessionId, tenant);
  }

  function onEvent(e: SessionEvent): void {
    const tenant = tenants.get(e.sessionId);
    // The fast path keeps bus order only when nothing waits for a lookup.
    if (tenant !== undefined && !draining) return input.deliver(tenant, e);
    queue.push(e);
    if (!draining) void drain();
  }

  return {
    retain(): void {
      if (users++ === 0) unsubscribe = input.bus.subscribe("*", onEvent);
    },
    release(): void {
      if (--users === 0) {
        unsubscribe?.();
        unsubscribe = null;
        queue.length = 0;
      }
    },
    close(): void {
      users = 0;
      unsubscribe?.();
      unsubscribe = null;
    },
  };
}

export type SessionFeed = ReturnType<typeof createSessionFeed>;
