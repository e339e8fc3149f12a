import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { DEFAULT_BREAKER_POLICY, DEFAULT_TENANT_ID, systemClock } from "@industrial/core";
import { bypassTenantWall, forTenant, migrate, schemaVersion, type Database } from "@industrial/db";
import type { EventBus, Scheduler } from "@industrial/scheduler";
import type { ScriptedModel } from "@industrial/scripted-model";
import type { FastifyInstance } from "fastify";
import { parseConfig, type Config } from "./config";
import { createLogger } from "./logger";
import { createMetrics, type Metrics } from "./metrics/registry";
import { metricObservers } from "./metrics/wire";
import { acquireDataDirLock } from "./runtime/data-dir-lock";
import type { RunnerPool } from "./runtime/runner-pool";
import type { WorkRemoteRuntime } from "./runtime/work-remote";
import type { MirrorsRuntime } from "./runtime/mirrors";
import { createHousekeeping, type Housekeeping } from "./runtime/housekeeping";
import type { WsAuthenticate } from "./ws/auth";
import { setupAccess } from "./auth/setup-access";
import type { WsHub } from "./ws/hub";
import { announceStart } from "./wiring/announce";
import type { Defer } from "./wiring/defer";
import { startDemoModel } from "./wiring/demo-model";
import { wireEventBuses } from "./wiring/event-buses";
import { wireDriver, wireScheduler, wireTaskExecutor } from "./wiring/execution";
import { wireHttp } from "./wiring/http";
import { wireRunners } from "./wiring/runners";
import { openStorage } from "./wiring/storage";
import { wireWorkspaces } from "./wiring/workspaces";

import type { SharedDeps } from "./services/deps";

export const VERSION = "0.1.0";
export { DEFAULT_TENANT_ID };

/** Thrown for configuration that does not parse; `errors` names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly errors: string[]) {
    super(`invalid configuration:\n  ${errors.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

export interface Orchestrator {
  url: string;
  port: number;
  config: Config;
  replica: string;
  db: Database;
  scheduler: Scheduler | null;
  runners: RunnerPool;
  /** Demo mode's scripted model in this process (tests read its requests); null without demo mode or with ORCHESTRATOR_DEMO_MODEL_URL. */
  scriptedModel: ScriptedModel | null;
  app: FastifyInstance;
  /** Committed session events (what WebSocket session rooms listen to). */
  bus: EventBus;
  /** This replica's WebSocket connections. */
  ws: WsHub;
  /** This process's Prometheus registry (served at /metrics). */
  metrics: Metrics;
  /** Where checkpoints are pushed, and the pushers (tests flush them). */
  workRemote: WorkRemoteRuntime;
  /** This replica's mirrors of URL repositories (tests run their garbage collection). */
  mirrors: MirrorsRuntime;
  /** Retention rounds and the data dir's disk usage (tests run them on demand). */
  housekeeping: Housekeeping;
  stop(): Promise<void>;
}

/** Applies migrations to the configured storage and closes it: `orchestrator migrate`. */
export async function migrateStorage(input: {
  env: Record<string, string | undefined>;
}): Promise<{ applied: string[]; version: number; storage: string }> {
  const parsed = parseConfig(input.env);
  if (!parsed.ok) throw new ConfigError(parsed.errors);
  const config = parsed.config;
  const db = await openStorage(config);
  try {
    const { applied } = await migrate(db);
    return { applied, version: await schemaVersion(db), storage: config.storage };
  } finally {
    await db.close();
  }
}

/**
 * The composition root: the only place the process's singletons are built.
 * Parses config, opens storage and migrates, registers runners and the default
 * agent, starts the scheduler and the HTTP server.
 */
export async function startOrchestrator(input: {
  env: Record<string, string | undefined>;
  /**
   * `wsAuthenticate`: the WebSocket authentication seam (default: API keys and the session cookie);
   * `announce`: where the first admin key is shown once (default: stderr, never the log stream).
   */
  overrides?: { demo?: boolean; port?: number; wsAuthenticate?: WsAuthenticate; announce?: (text: string) => void };
}): Promise<Orchestrator> {
  const env = { ...input.env };
  if (input.overrides?.demo) env.ORCHESTRATOR_DEMO = "1";
  if (input.overrides?.port !== undefined) env.PORT = String(input.overrides.port);
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new ConfigError(parsed.errors);
  const config = parsed.config;

  const replica = config.ORCHESTRATOR_REPLICA_ID ?? `${hostname()}-${randomBytes(3).toString("hex")}`;
  const logger = createLogger(
    config.LOG_LEVEL,
    { replica },
    { format: config.LOG_FORMAT ?? (process.stdout.isTTY ? "pretty" : "json") },
  );
  const lock = acquireDataDirLock(config.ORCHESTRATOR_DATA_DIR, replica);
  const cleanups: (() => Promise<void> | void)[] = [() => lock.release()];
  const cleanup = async () => {
    for (const c of cleanups.reverse())
      await Promise.resolve(c()).catch((e) => logger.warn({ err: (e as Error).message }, "shutdown step failed"));
  };

  try {
    // Each part registers its stop right after it is built; `cleanup` runs them in reverse.
    const defer: Defer = (stop) => void cleanups.push(stop);
    const db = await openStorage(config);
    defer(() => db.close());
    const { applied } = await migrate(db);
    if (applied.length) logger.info({ applied }, "migrations applied");
    const access = await setupAccess(config, db, logger);
    const { secret, authenticator, firstAdminKey } = access;
    const authEnabled = authenticator.enabled;
    const { scriptedModel, scriptedModelUrl } = await startDemoModel(config, logger, defer);

    const breakerPolicy = {
      ...DEFAULT_BREAKER_POLICY,
      baseCooldownSeconds: config.ORCHESTRATOR_BREAKER_COOLDOWN_SECONDS,
    };
    const previousReplica = lock.previousReplica;
    const runners = await wireRunners({
      config,
      db,
      replica,
      previousReplica,
      logger,
      scriptedModelUrl,
      access,
      breakerPolicy,
      defer,
    });

    const metrics = createMetrics();
    const { workRemote, mirrors, folders } = await wireWorkspaces({ config, db, metrics, logger, defer });
    const observers = metricObservers(metrics, systemClock);
    const buses = wireEventBuses({ config, db, secret, metrics, logger, replica, version: VERSION, defer });
    const { bus, notices, notify } = buses;
    const { transport, driver } = wireDriver({
      config,
      runners,
      folders,
      workRemote,
      mirrors: mirrors.cache,
      observers,
      scriptedModelUrl,
      logger,
    });
    const scheduler = wireScheduler({
      config,
      db,
      driver,
      bus,
      runners,
      observers,
      replica,
      previousReplica,
      breakerPolicy,
      logger,
    });

    const housekeeping = await createHousekeeping({
      config,
      db,
      runners,
      workRemote,
      metrics,
      replica,
      clock: systemClock,
      logger,
      observeOpenCode: observers.openCode,
    });
    const tasks = wireTaskExecutor({ config, db, scheduler, bus, notices, notify, workRemote, logger });
    const services: SharedDeps = {
      crossTenantDb: bypassTenantWall(db, "admins of the default tenant: tenants, keys and users of other tenants"),
      // Every request's queries run under row-level security for its tenant (docs/security.md, "Tenant isolation").
      tenantDb: (tenantId) => forTenant(db, tenantId),
      secret,
      bus,
      scheduler,
      clock: systemClock,
      runners,
      transport,
      runnerHealthy: (id) => runners.isHealthy(id),
      breakerCooldownSeconds: breakerPolicy.baseCooldownSeconds,
      dataDir: config.ORCHESTRATOR_DATA_DIR,
      workspaceRoots: config.ORCHESTRATOR_WORKSPACE_ROOTS,
      workRemote,
      folders,
      mirrors: mirrors.cache,
      tasks,
      notices,
      log: logger.child({ component: "api" }),
    };
    const { app, ws } = await wireHttp({
      config,
      db,
      replica,
      version: VERSION,
      logger,
      metrics,
      observers,
      authenticator,
      wsAuthenticate: input.overrides?.wsAuthenticate,
      buses,
      runners,
      services,
      defer,
    });
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    // The scheduler stops first on shutdown (it hands leases back while the runners still answer).
    if (scheduler) {
      scheduler.start();
      defer(() => scheduler.stop());
    }
    if (tasks) {
      tasks.start();
      defer(() => tasks.stop());
    }
    housekeeping.start();
    defer(() => housekeeping.stop());
    mirrors.start();
    defer(() => mirrors.stop());
    const url = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${port}`;
    const announce = input.overrides?.announce ?? ((text: string) => process.stderr.write(`${text}\n`));
    announceStart({ config, logger, url, firstAdminKey, authEnabled, announce });
    let stopping: Promise<void> | null = null;
    return {
      url,
      port,
      config,
      replica,
      db,
      scheduler,
      runners,
      scriptedModel,
      app,
      bus,
      ws,
      metrics,
      workRemote,
      mirrors,
      housekeeping,
      stop: () => (stopping ??= cleanup()),
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
