import type { AgentView } from "@industrial/contracts";
import { ACTIVE_STATUSES, type SessionEvent } from "@industrial/core";
import type { Notice } from "@industrial/scheduler";

/**
 * Agent rooms hear `agent.*` notices from the agents service, but an agent's
 * load, tier and breaker change in the scheduler (a session starts or ends)
 * and its heartbeat and breaker cooldown change with time. For tenants with
 * someone in an agent room, this re-reads the tenant's agents shortly after a
 * session starts or ends, and at every stats tick, and sends `agent.updated`
 * for each agent that differs from what was last sent. It delivers to this
 * replica's connections only: every replica runs its own watch.
 */
export function createAgentWatch(input: {
  listAgents: (tenantId: string) => Promise<AgentView[]>;
  /** Tenants with at least one connection in an agent room. */
  watched: () => Iterable<string>;
  deliver: (
    tenantId: string,
    type: "agent.updated" | "agent.removed",
    payload: AgentView | { id: string; name: string },
  ) => void;
  debounceMs: number;
  onError: (error: unknown) => void;
}) {
  /** Per tenant: agent id → what its rooms last heard (JSON), and a counter of notices seen. */
  const seen = new Map<string, { agents: Map<string, string>; names: Map<string, string>; notices: number }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<string>();

  async function refresh(tenantId: string): Promise<void> {
    if (running.has(tenantId)) return schedule(tenantId);
    running.add(tenantId);
    try {
      const state = seen.get(tenantId);
      const before = state?.notices ?? 0;
      const agents = await input.listAgents(tenantId);
      const now = seen.get(tenantId);
      // A notice arrived while reading: what was read may be older than what was sent; read again.
      if (now && now.notices !== before) return schedule(tenantId);
      if (!now) {
        // First look for this tenant: a baseline, nothing to announce.
        seen.set(tenantId, {
          agents: new Map(agents.map((a) => [a.id, JSON.stringify(a)])),
          names: new Map(agents.map((a) => [a.id, a.name])),
          notices: 0,
        });
        return;
      }
      const present = new Set<string>();
      for (const a of agents) {
        present.add(a.id);
        const json = JSON.stringify(a);
        if (now.agents.get(a.id) === json) continue;
        now.agents.set(a.id, json);
        now.names.set(a.id, a.name);
        input.deliver(tenantId, "agent.updated", a);
      }
      for (const [id] of now.agents)
        if (!present.has(id)) {
          now.agents.delete(id);
          input.deliver(tenantId, "agent.removed", { id, name: now.names.get(id) ?? "" });
        }
    } catch (e) {
      input.onError(e);
    } finally {
      running.delete(tenantId);
    }
  }

  function schedule(tenantId: string): void {
    if (timers.has(tenantId)) return;
    const t = setTimeout(() => {
      timers.delete(tenantId);
      void refresh(tenantId);
    }, input.debounceMs);
    t.unref();
    timers.set(tenantId, t);
  }

  return {
    /** Someone joined an agent room of this tenant: take a baseline if there is none. */
    watch(tenantId: string): void {
      if (!seen.has(tenantId)) void refresh(tenantId);
    },
    /** Nobody is left in the tenant's agent rooms. */
    unwatch(tenantId: string): void {
      seen.delete(tenantId);
    },
    /** An `agent.*` notice went out (from a service): remember it as sent. */
    noticed(n: Notice): void {
      const state = seen.get(n.tenantId);
      if (!state || !n.type.startsWith("agent.")) return;
      state.notices++;
      const payload = n.payload as { id: string; name: string };
      if (n.type === "agent.removed") state.agents.delete(payload.id);
      else {
        state.agents.set(payload.id, JSON.stringify(n.payload));
        state.names.set(payload.id, payload.name);
      }
    },
    /** A session started or ended: its agent's load changed. */
    sessionEvent(tenantId: string, e: SessionEvent): void {
      if (!seen.has(tenantId)) return;
      const moved =
        e.type === "session.attempt" ||
        (e.type === "session.status_changed" &&
          (ACTIVE_STATUSES.includes(e.payload.from) || ACTIVE_STATUSES.includes(e.payload.to)));
      if (moved) schedule(tenantId);
    },
    tick(): void {
      for (const tenantId of input.watched()) void refresh(tenantId);
    },
    close(): void {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      seen.clear();
    },
  };
}

export type AgentWatch = ReturnType<typeof createAgentWatch>;
