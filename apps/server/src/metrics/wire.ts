import { breakerStateAt, type Clock, type TokenTotals } from "@industrial/core";
import { bypassTenantWall, listAgents, readFleetCounts, type Database } from "@industrial/db";
import type { OpenCodeCallObserver } from "@industrial/opencode";
import type { EventBus, SchedulerObserver } from "@industrial/scheduler";
import type { RunnerHealthReport } from "../runtime/runner-health";
import type { FleetSnapshot, Metrics } from "./registry";

const TOKEN_KINDS: Record<keyof TokenTotals, string> = {
  input: "input",
  output: "output",
  reasoning: "reasoning",
  cacheRead: "cache_read",
  cacheWrite: "cache_write",
};

/** The observers the scheduler, the OpenCode transport and the WebSocket hub report to. */
export interface MetricObservers {
  scheduler: SchedulerObserver;
  openCode: OpenCodeCallObserver;
  wsFrames: (direction: "in" | "out", frames: number) => void;
}

/** Counters moved where things happen: dispatch, lease renewals, committed usage (tokens, cost), finished sessions (durations), resolved input requests (and their wait), OpenCode calls, WebSocket frames. */
export function metricObservers(metrics: Metrics, clock: Clock): MetricObservers {
  return {
    scheduler: {
      dispatched(kind, session) {
        metrics.dispatch.inc({ result: kind === "adopted" ? "adopted" : "claimed" });
        // A resumed session never waited in the queue again: its queuedAt is its first admission.
        if (kind === "started" && session.queuedAt)
          metrics.queueWait.observe(Math.max(0, (clock.now().getTime() - Date.parse(session.queuedAt)) / 1000));
      },
      leaseRenewal(result) {
        metrics.leaseRenewals.inc({ result });
      },
      staleWrite(kind) {
        metrics.staleWrites.inc({ kind });
      },
      usageCommitted({ agent, tokens, costUsd }) {
        for (const [kind, label] of Object.entries(TOKEN_KINDS)) {
          const n = tokens[kind as keyof TokenTotals];
          if (n > 0 && Number.isFinite(n)) metrics.tokens.inc({ kind: label, agent: agent.name }, n);
        }
        if (costUsd > 0 && Number.isFinite(costUsd)) metrics.cost.inc({ agent: agent.name }, costUsd);
      },
      sessionFinished({ status, seconds }) {
        metrics.sessionDuration.observe({ outcome: status }, seconds);
      },
      inputResolved({ kind, outcome, waitedSeconds }) {
        metrics.inputRequests.inc({ kind, outcome });
        metrics.inputWait.observe({ kind }, Math.max(0, waitedSeconds));
      },
    },
    openCode: (op, result) => metrics.openCodeRequests.inc({ op, result }),
    wsFrames: (direction, frames) => metrics.wsMessages.inc({ direction }, frames),
  };
}

/**
 * Session transitions and model switches are counted from the committed
 * events this replica publishes (API writes, admission, dispatch, attempts'
 * batches, attempt ends): each commit once. Returns the unsubscribe function.
 */
export function countTransitions(metrics: Metrics, bus: EventBus): () => void {
  return bus.subscribe("*", (e) => {
    if (e.type === "session.status_changed") metrics.sessionTransitions.inc({ from: e.payload.from, to: e.payload.to });
    else if (e.type === "session.model_switched")
      metrics.modelFallbacks.inc({ from: e.payload.from, to: e.payload.to, reason: e.payload.reason });
  });
}

/** What the fleet gauges read on a scrape. */
export function fleetReader(deps: {
  db: Database;
  clock: Clock;
  runnerHealth: () => Promise<RunnerHealthReport[]>;
  wsConnections: () => number;
}): () => Promise<FleetSnapshot> {
  // The gauges describe the whole fleet: every tenant's sessions and agents.
  const db = bypassTenantWall(deps.db, "fleet gauges of /metrics: every tenant's sessions and agents");
  return async () => {
    const now = deps.clock.now();
    const [counts, runners] = await Promise.all([readFleetCounts(db), deps.runnerHealth()]);
    const agents = (await Promise.all(counts.activeTenantIds.map((id) => listAgents(db, id)))).flat();
    return {
      sessionsByStatus: counts.byStatus,
      queuedByPriority: counts.queuedByPriority,
      agents: agents.map((a) => ({
        name: a.name,
        load: a.maxConcurrent > 0 ? a.running / a.maxConcurrent : 0,
        breaker: breakerStateAt(a.breaker, now),
      })),
      runners: runners.map((r) => ({ name: r.name, up: r.status === "up" })),
      wsConnections: deps.wsConnections(),
    };
  };
}
