import { resolve } from "node:path";
import { systemClock } from "@industrial/core";
import type { Database } from "@industrial/db";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createApp } from "../app";
import type { Authenticator } from "../auth/authenticator";
import type { Config } from "../config";
import { createEdgeOptions } from "../http/edge";
import type { Metrics } from "../metrics/registry";
import { fleetReader, type MetricObservers } from "../metrics/wire";
import { checkReadiness } from "../routes/health";
import { createDashboardHandler, DEFAULT_DASHBOARD_DIR } from "../runtime/dashboard";
import type { RunnerPool } from "../runtime/runner-pool";
import type { SharedDeps } from "../services/deps";
import { createWsAuthenticate, type WsAuthenticate } from "../ws/auth";
import { WsHub } from "../ws/hub";
import { defaultWsOptions } from "../ws/options";
import type { Defer } from "./defer";
import type { EventBuses } from "./event-buses";

/** The built dashboard's handler, or null (with a warning saying how to build it). */
function serveDashboard(config: Config, logger: Logger) {
  const dir = config.ORCHESTRATOR_DASHBOARD_DIR ? resolve(config.ORCHESTRATOR_DASHBOARD_DIR) : DEFAULT_DASHBOARD_DIR;
  const handler = createDashboardHandler({
    dir,
    log: (msg, extra) => logger.info({ component: "dashboard", ...extra }, msg),
  });
  if (!handler)
    logger.warn(
      { dir },
      "dashboard not built: run `npm run build:dashboard` (npm start does it) to serve it on this port",
    );
  return handler;
}

/**
 * The HTTP server (not listening yet) and the WebSocket hub: the health
 * checks, the dashboard when it is on, the fleet gauges and the routes over
 * the services' shared dependencies.
 */
export async function wireHttp(input: {
  config: Config;
  db: Database;
  replica: string;
  version: string;
  logger: Logger;
  metrics: Metrics;
  observers: MetricObservers;
  authenticator: Authenticator;
  /** The WebSocket authentication seam (default: API keys and the session cookie). */
  wsAuthenticate: WsAuthenticate | undefined;
  buses: Pick<EventBuses, "bus" | "noticeBus" | "redis">;
  runners: RunnerPool;
  services: SharedDeps;
  defer: Defer;
}): Promise<{ app: FastifyInstance; ws: WsHub }> {
  const { config, db, logger, metrics, authenticator, runners } = input;
  const { bus, noticeBus, redis } = input.buses;
  const dashboard = config.ORCHESTRATOR_DASHBOARD === "on" ? serveDashboard(config, logger) : null;
  if (dashboard) input.defer(() => dashboard.close());
  const health = {
    db,
    replica: input.replica,
    version: input.version,
    startedAt: Date.now(),
    runnerHealth: () => runners.health(),
    sandbox: () => runners.sandboxHealth(),
    redis,
  };
  const ws = new WsHub({
    db,
    bus,
    notices: noticeBus,
    authenticate:
      input.wsAuthenticate ?? createWsAuthenticate({ authenticator, corsOrigins: config.ORCHESTRATOR_CORS_ORIGINS }),
    unusableKeys: (ids) => authenticator.unusable(ids),
    readiness: () => checkReadiness(health),
    logger,
    observeFrames: input.observers.wsFrames,
    options: {
      ...defaultWsOptions(),
      pingIntervalMs: config.ORCHESTRATOR_WS_PING_INTERVAL_MS,
      bufferLimitBytes: config.ORCHESTRATOR_WS_BUFFER_LIMIT_BYTES,
      statsIntervalMs: config.ORCHESTRATOR_WS_STATS_INTERVAL_MS,
    },
  });
  // A failed read leaves the fleet gauges as they were last scraped, and says so here.
  metrics.readFleetFrom(
    fleetReader({ db, clock: systemClock, runnerHealth: () => runners.health(), wsConnections: () => ws.size }),
    (err) => logger.warn({ component: "metrics", err }, "fleet gauges could not be read"),
  );
  const app = await createApp({
    authenticator,
    corsOrigins: config.ORCHESTRATOR_CORS_ORIGINS,
    metricsToken: config.ORCHESTRATOR_METRICS_TOKEN ?? null,
    trustProxy: config.ORCHESTRATOR_TRUST_PROXY,
    metrics,
    ws,
    dashboard,
    services: input.services,
    edge: createEdgeOptions({ config, redis, clock: systemClock, log: logger }),
    logger,
    bodyLimit: config.ORCHESTRATOR_BODY_LIMIT_BYTES,
    version: input.version,
    health,
  });
  input.defer(() => app.close());
  return { app, ws };
}
