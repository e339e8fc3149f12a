import { INPUT_REQUEST_KINDS, INPUT_REQUEST_STATUSES, PRIORITIES, SESSION_STATUSES } from "@industrial/core";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** The fleet as it stands, read when Prometheus scrapes (all replicas' sessions and agents; this replica's runners and sockets). */
export interface FleetSnapshot {
  sessionsByStatus: Record<string, number>;
  queuedByPriority: Record<string, number>;
  agents: { name: string; load: number; breaker: "closed" | "half_open" | "open" }[];
  runners: { name: string; up: boolean }[];
  wsConnections: number;
}

const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Every metric of operations.md, in one registry per orchestrator process
 * (tests start several in one Node process, so nothing is global). Counters
 * and histograms are moved by the code path they name; gauges that describe
 * the fleet (sessions by status, queue depth, agent load, breakers, runners,
 * WebSocket connections) are read when Prometheus scrapes, by `collect`
 * callbacks reading the snapshot `readFleetFrom` provides.
 */
export function createMetrics() {
  const registry = new Registry();
  // One snapshot serves every gauge of one scrape (they collect one after another).
  let readFleet: (() => Promise<FleetSnapshot>) | null = null;
  let onFleetError: ((message: string) => void) | null = null;
  let cached: { at: number; snapshot: Promise<FleetSnapshot> } | null = null;
  const fleet = async (): Promise<FleetSnapshot | null> => {
    if (!readFleet) return null;
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), snapshot: readFleet() };
    return cached.snapshot.catch((e: unknown) => {
      onFleetError?.(e instanceof Error ? e.message : String(e));
      return null;
    });
  };
  /** A gauge whose series are all replaced, on every scrape, by what `fill` sets from the snapshot. */
  const fleetGauge = <L extends string>(
    name: string,
    help: string,
    labelNames: L[],
    fill: (g: Gauge<L>, f: FleetSnapshot) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        const f = await fleet();
        if (!f) return;
        this.reset();
        fill(this, f);
      },
    });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const durations = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const minutes = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200];
  return {
    registry,
    httpRequests: new Counter({
      name: "http_requests_total",
      help: "HTTP requests by method, route template and status",
      labelNames: ["method", "route", "status"],
      registers,
    }),
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request duration by method and route template",
      labelNames: ["method", "route"],
      buckets: durations,
      registers,
    }),
    /** Set by the background walk of the data dir (runtime/disk-usage.ts), never on a scrape. */
    diskBytes: new Gauge({
      name: "orchestrator_disk_bytes",
      help: "Bytes on disk of this replica's data dir by part (database: PGlite's directory, or with PostgreSQL the database's size)",
      labelNames: ["part"],
      registers,
    }),
    retentionDeleted: new Counter({
      name: "orchestrator_retention_deleted_total",
      help: "What retention removed, by kind: events, audit (rows), opencode_sessions, worktrees (this replica's session folders), remote_branches, checkpoint_refs (of deleted sessions)",
      labelNames: ["kind"],
      registers,
    }),
    sessions: fleetGauge(
      "orchestrator_sessions",
      "Sessions by status (all replicas, from the database)",
      ["status"],
      (g, f) => {
        for (const status of SESSION_STATUSES) g.set({ status }, f.sessionsByStatus[status] ?? 0);
      },
    ),
    sessionTransitions: new Counter({
      name: "orchestrator_session_transitions_total",
      help: "Session status transitions committed by this replica",
      labelNames: ["from", "to"],
      registers,
    }),
    modelFallbacks: new Counter({
      name: "orchestrator_model_fallbacks_total",
      help: "Attempts that left a failing model for the next of their agent's fallbackModels (reason: unavailable, auth, quota), committed by this replica",
      labelNames: ["from", "to", "reason"],
      registers,
    }),
    queueDepth: fleetGauge(
      "orchestrator_queue_depth",
      "Queued sessions by priority (all replicas, from the database)",
      ["priority"],
      (g, f) => {
        for (const priority of PRIORITIES) g.set({ priority }, f.queuedByPriority[priority] ?? 0);
      },
    ),
    queueWait: new Histogram({
      name: "orchestrator_queue_wait_seconds",
      help: "Time from queued to running, per dispatch",
      buckets: minutes,
      registers,
    }),
    sessionDuration: new Histogram({
      name: "orchestrator_session_duration_seconds",
      help: "Session run time (started to finished) by outcome",
      labelNames: ["outcome"],
      buckets: minutes,
      registers,
    }),
    dispatch: new Counter({
      name: "orchestrator_dispatch_total",
      help: "Scheduler dispatch decisions by result",
      labelNames: ["result"],
      registers,
    }),
    tokens: new Counter({
      name: "orchestrator_tokens_total",
      help: "Tokens OpenCode reported, by kind and agent",
      labelNames: ["kind", "agent"],
      registers,
    }),
    cost: new Counter({
      name: "orchestrator_cost_usd_total",
      help: "Cost OpenCode reported, in USD, by agent",
      labelNames: ["agent"],
      registers,
    }),
    agentLoad: fleetGauge(
      "orchestrator_agent_load",
      "Running sessions / maxConcurrent, per agent",
      ["agent"],
      (g, f) => {
        for (const a of f.agents) g.set({ agent: a.name }, a.load);
      },
    ),
    agentBreaker: fleetGauge(
      "orchestrator_agent_breaker_state",
      "Agent circuit breaker: 0 closed, 1 half-open, 2 open",
      ["agent"],
      (g, f) => {
        for (const a of f.agents) g.set({ agent: a.name }, BREAKER_VALUE[a.breaker]);
      },
    ),
    runnerUp: fleetGauge(
      "orchestrator_runner_up",
      "1 when the runner answers its health check, else 0 (a managed runner not started yet is 0)",
      ["runner"],
      (g, f) => {
        for (const r of f.runners) g.set({ runner: r.name }, r.up ? 1 : 0);
      },
    ),
    openCodeRequests: new Counter({
      name: "orchestrator_opencode_requests_total",
      help: "Requests to OpenCode servers by operation and result",
      labelNames: ["op", "result"],
      registers,
    }),
    wsConnections: fleetGauge("orchestrator_ws_connections", "Open WebSocket connections on this replica", [], (g, f) =>
      g.set(f.wsConnections),
    ),
    wsMessages: new Counter({
      name: "orchestrator_ws_messages_total",
      help: "WebSocket frames by direction (in: from clients, out: to clients)",
      labelNames: ["direction"],
      registers,
    }),
    leaseRenewals: new Counter({
      name: "orchestrator_lease_renewals_total",
      help: "Attempt lease renewals by result",
      labelNames: ["result"],
      registers,
    }),
    staleWrites: new Counter({
      name: "orchestrator_stale_writes_total",
      help: "Writes of a lease holder refused as stale: kind database (fencing token) or git (the work remote's branch lease)",
      labelNames: ["kind"],
      registers,
    }),
    workRemotePushes: new Counter({
      name: "orchestrator_work_remote_pushes_total",
      help: "Pushes to the work remote by result (pushed, unreachable: retried with backoff, refused: a lease or a ref refused them)",
      labelNames: ["result"],
      registers,
    }),
    notifyWebhook: new Counter({
      name: "orchestrator_notify_webhook_total",
      help: "Notify webhook POSTs of this replica by result (delivered; retried: a try failed, another is due; failed: given up; dropped: a full queue's oldest, or left at shutdown)",
      labelNames: ["result"],
      registers,
    }),
    inputRequests: zeroed(
      new Counter({
        name: "orchestrator_input_requests_total",
        help: "Input requests (docs/input-requests.md) of attempts on this replica that left open, by kind and outcome (answered, rejected, expired, cancelled)",
        labelNames: ["kind", "outcome"],
        registers,
      }),
      (c) => {
        for (const kind of INPUT_REQUEST_KINDS)
          for (const outcome of INPUT_REQUEST_STATUSES.filter((s) => s !== "open")) c.inc({ kind, outcome }, 0);
      },
    ),
    inputWait: zeroed(
      new Histogram({
        name: "orchestrator_input_wait_seconds",
        help: "Time an input request waited for a person (or its timeout), by kind",
        labelNames: ["kind"],
        buckets: minutes,
        registers,
      }),
      (h) => {
        for (const kind of INPUT_REQUEST_KINDS) h.zero({ kind });
      },
    ),
    /** Where the fleet gauges read from (set once the orchestrator's parts exist). */
    readFleetFrom(read: () => Promise<FleetSnapshot>, onError: (message: string) => void) {
      readFleet = read;
      onFleetError = onError;
      cached = null;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A metric whose label sets are all written at 0 up front: a dashboard sees the series before the first request resolves. */
function zeroed<M>(metric: M, zero: (m: M) => void): M {
  zero(metric);
  return metric;
}

/** The metric names this code exports (what the Grafana dashboard may query). */
export async function exportedMetricNames(metrics: Metrics = createMetrics()): Promise<string[]> {
  return (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
}
