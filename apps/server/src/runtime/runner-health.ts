/**
 * One runner's line in readiness and in the runner gauges. The runner pool
 * makes these; the health route and the metrics read them (kept here, beside
 * the pool, so the runtime never imports a route).
 */
export interface RunnerHealthReport {
  name: string;
  status: "up" | "down" | "standby";
  latencyMs: number | null;
  detail?: string;
}
