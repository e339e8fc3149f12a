import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * Every metric of operations.md, in one registry per orchestrator process
 * (tests start several in one Node process, so nothing is global). Counters
 * and histograms are moved by the code path they name; gauges that describe
 * the fleet (sessions by status, queue depth, agent load, breakers, runners,
 * WebSocket connections) are read when Prometheus scrapes, by `collect`
 * callbacks wired in `wireMetrics`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const durations = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const minutes = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200];
  return {
    registry,
    httpRequests: new Counter({ name: "http_requests_total", help: "HTTP requests by method, route template and status", labelNames: ["method", "route", "status"], registers }),
    httpDuration: new Histogram({ name: "http_request_duration_seconds", help: "HTTP request duration by method and route template", labelNames: ["method", "route"], buckets: durations, registers }),
    sessions: new Gauge({ name: "orchestrator_sessions", help: "Sessions by status (all replicas, from the database)", labelNames: ["status"], registers }),
    sessionTransitions: new Counter({ name: "orchestrator_session_transitions_total", help: "Session status transitions committed by this replica", labelNames: ["from", "to"], registers }),
    queueDepth: new Gauge({ name: "orchestrator_queue_depth", help: "Queued sessions by priority (all replicas, from the database)", labelNames: ["priority"], registers }),
    queueWait: new Histogram({ name: "orchestrator_queue_wait_seconds", help: "Time from queued to running, per dispatch", buckets: minutes, registers }),
    sessionDuration: new Histogram({ name: "orchestrator_session_duration_seconds", help: "Session run time (started to finished) by outcome", labelNames: ["outcome"], buckets: minutes, registers }),
    dispatch: new Counter({ name: "orchestrator_dispatch_total", help: "Scheduler dispatch decisions by result", labelNames: ["result"], registers }),
    tokens: new Counter({ name: "orchestrator_tokens_total", help: "Tokens OpenCode reported, by kind and agent", labelNames: ["kind", "agent"], registers }),
    cost: new Counter({ name: "orchestrator_cost_usd_total", help: "Cost OpenCode reported, in USD, by agent", labelNames: ["agent"], registers }),
    agentLoad: new Gauge({ name: "orchestrator_agent_load", help: "Running sessions / maxConcurrent, per agent", labelNames: ["agent"], registers }),
    agentBreaker: new Gauge({ name: "orchestrator_agent_breaker_state", help: "Agent circuit breaker: 0 closed, 1 half-open, 2 open", labelNames: ["agent"], registers }),
    runnerUp: new Gauge({ name: "orchestrator_runner_up", help: "1 when the runner answers its health check, else 0", labelNames: ["runner"], registers }),
    openCodeRequests: new Counter({ name: "orchestrator_opencode_requests_total", help: "Requests to OpenCode servers by operation and result", labelNames: ["op", "result"], registers }),
    wsConnections: new Gauge({ name: "orchestrator_ws_connections", help: "Open WebSocket connections on this replica", registers }),
    wsMessages: new Counter({ name: "orchestrator_ws_messages_total", help: "WebSocket frames by direction (in: from clients, out: to clients)", labelNames: ["direction"], registers }),
    leaseRenewals: new Counter({ name: "orchestrator_lease_renewals_total", help: "Attempt lease renewals by result", labelNames: ["result"], registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** The metric names this code exports (what the Grafana dashboard may query). */
export async function exportedMetricNames(metrics: Metrics = createMetrics()): Promise<string[]> {
  return (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
}
