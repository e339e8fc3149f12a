import type { ReadinessSchema } from "@industrial/contracts";
import { countLiveSessions, type Database } from "@industrial/db";
import type { z } from "zod";
import { frame, type Frame } from "./frames";

export type Readiness = z.output<typeof ReadinessSchema>;

/**
 * The `system` room: `system.stats` for the tenant at every stats tick (and
 * on subscribe), `system.health` on subscribe and whenever a component's
 * status changes.
 */
export function createSystemFeed(input: {
  db: Database;
  readiness: () => Promise<Readiness>;
  connections: (tenantId: string) => number;
  deliver: (tenantId: string, f: Frame) => void;
  onError: (error: unknown) => void;
}) {
  let lastHealth: string | null = null;
  let busy = false;

  async function stats(tenantId: string): Promise<Frame> {
    const live = await countLiveSessions(input.db, tenantId);
    return frame("system.stats", {
      queueDepth: live.queue,
      running: live.running,
      connections: input.connections(tenantId),
    });
  }

  async function health(): Promise<{ f: Frame; key: string }> {
    const r = await input.readiness();
    const key = JSON.stringify([r.status, Object.entries(r.components).map(([k, c]) => [k, c.status])]);
    return { f: frame("system.health", r), key };
  }

  return {
    /** What a new subscriber of `system` gets at once. */
    async snapshot(tenantId: string, send: (f: Frame) => void): Promise<void> {
      try {
        send(await stats(tenantId));
        send((await health()).f);
      } catch (e) {
        input.onError(e);
      }
    },
    tick(tenants: Set<string>): void {
      if (tenants.size === 0 || busy) return;
      busy = true;
      void (async () => {
        try {
          for (const t of tenants) input.deliver(t, await stats(t));
          const h = await health();
          if (h.key !== lastHealth) for (const t of tenants) input.deliver(t, h.f);
          lastHealth = h.key;
        } catch (e) {
          input.onError(e);
        } finally {
          busy = false;
        }
      })();
    },
  };
}
