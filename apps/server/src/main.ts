import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { DEFAULT_BREAKER_POLICY, DEFAULT_TENANT_ID, systemClock } from "@industrial/core";
import {
  bypassTenantWall,
  createDatabase,
  ensureDefaultAgent,
  forTenant,
  migrate,
  schemaVersion,
  type Database,
} from "@industrial/db";
import { createOpenCodeDriver, createOpenCodeTransport, sessionFoldersOf } from "@industrial/opencode";
import {
  createInProcessEventBus,
  createInProcessNoticeBus,
  createScheduler,
  createTaskExecutor,
  defaultSchedulerOptions,
  type EventBus,
  type Scheduler,
} from "@industrial/scheduler";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import type { FastifyInstance } from "fastify";
import { createApp } from "./app";
import { folderLayoutOf, parseConfig, type Config } from "./config";
import { createLogger } from "./logger";
import { createMetrics, type Metrics } from "./metrics/registry";
import { countTransitions, fleetReader, metricObservers } from "./metrics/wire";
import { acquireDataDirLock } from "./runtime/data-dir-lock";
import { createDashboardHandler, DEFAULT_DASHBOARD_DIR } from "./runtime/dashboard";
import { connectRedis } from "./runtime/redis";
import { createEdgeOptions } from "./http/edge";
import { createRedisFanout } from "./runtime/redis-fanout";
import { notifyingBus, startNotifyWebhook } from "./runtime/notify-webhook";
import { createRunnerPool, type RunnerPool } from "./runtime/runner-pool";
import { createTreeAdmission, createTreeGit } from "./runtime/task-executor-ports";
import { startWorkRemote, type WorkRemoteRuntime } from "./runtime/work-remote";
import { createMirrors, type MirrorsRuntime } from "./runtime/mirrors";
import { createHousekeeping, type Housekeeping } from "./runtime/housekeeping";
import { createWarmSlots } from "./runtime/warm-slot-release";
import { checkReadiness } from "./routes/health";
import { createNotices } from "./services/notices";
import { createWsAuthenticate, type WsAuthenticate } from "./ws/auth";
import { firstAdminKeyBanner } from "./auth/first-admin-key";
import { setupAccess } from "./auth/setup-access";
import { WsHub } from "./ws/hub";
import { defaultWsOptions } from "./ws/options";

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

/** The built dashboard's handler, or null (with a warning saying how to build it). */
function serveDashboard(config: Config, logger: ReturnType<typeof createLogger>) {
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

function openStorage(config: Config): Promise<Database> {
  return createDatabase(
    config.DATABASE_URL
      ? { kind: "postgres", url: config.DATABASE_URL }
      : { kind: "pglite", dataDir: join(config.ORCHESTRATOR_DATA_DIR, "pglite") },
  );
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
    const db = await openStorage(config);
    cleanups.push(() => db.close());
    const { applied } = await migrate(db);
    if (applied.length) logger.info({ applied }, "migrations applied");
    const { secret, authenticator, firstAdminKey, revealRunnerPassword, sealRunnerPassword } = await setupAccess(
      config,
      db,
      logger,
    );
    const authEnabled = authenticator.enabled;

    // Demo mode: the scripted model in this process, or one running elsewhere (ORCHESTRATOR_DEMO_MODEL_URL, shared as a provider is).
    const externalModelUrl = config.ORCHESTRATOR_DEMO ? (config.ORCHESTRATOR_DEMO_MODEL_URL ?? null) : null;
    const scriptedModel =
      config.ORCHESTRATOR_DEMO && !externalModelUrl
        ? await createScriptedModel({
            port: 0,
            ...(config.ORCHESTRATOR_DEMO_REQUEST_LOG ? { requestLogFile: config.ORCHESTRATOR_DEMO_REQUEST_LOG } : {}),
          })
        : null;
    if (scriptedModel) cleanups.push(() => scriptedModel.close());
    const scriptedModelUrl = externalModelUrl ?? scriptedModel?.baseUrl ?? null;
    if (scriptedModelUrl)
      logger.warn(
        { url: scriptedModelUrl, external: externalModelUrl !== null },
        "DEMO MODE: sessions run against the scripted model (a replay server), not an LLM",
      );
    if (!config.ORCHESTRATOR_DEMO && config.ORCHESTRATOR_DEMO_MODEL_URL)
      logger.warn("ORCHESTRATOR_DEMO_MODEL_URL is set but demo mode is off: ignored");
    if (externalModelUrl && config.ORCHESTRATOR_DEMO_REQUEST_LOG)
      logger.warn(
        "ORCHESTRATOR_DEMO_REQUEST_LOG is ignored with ORCHESTRATOR_DEMO_MODEL_URL: the external model keeps its own log",
      );

    const breakerPolicy = {
      ...DEFAULT_BREAKER_POLICY,
      baseCooldownSeconds: config.ORCHESTRATOR_BREAKER_COOLDOWN_SECONDS,
    };
    const runners = await createRunnerPool({
      db,
      config,
      replica,
      previousReplica: lock.previousReplica,
      tenantId: DEFAULT_TENANT_ID,
      logger,
      scriptedModelUrl,
      revealPassword: revealRunnerPassword,
      sealPassword: sealRunnerPassword,
    });
    cleanups.push(() => runners.stop());
    await ensureDefaultAgent(db, {
      tenantId: DEFAULT_TENANT_ID,
      runnerId: runners.defaultRunnerId,
      maxConcurrent: config.ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY,
      model: null,
      breakerCooldownSeconds: breakerPolicy.baseCooldownSeconds,
    });

    const metrics = createMetrics();
    // Stopped after the scheduler (cleanups run in reverse): the attempts' last checkpoints are queued by then.
    const workRemote = await startWorkRemote({ config, db, logger, metrics });
    cleanups.push(() => workRemote.stop());
    const mirrors = createMirrors({ config, remoteFor: workRemote.remoteFor, clock: systemClock, logger });
    const warmSlots = createWarmSlots(config.ORCHESTRATOR_WARM_SLOTS, {
      db: bypassTenantWall(db, "warm slots: the session that owns a slot, whatever its tenant"),
      clock: systemClock,
      log: logger.child({ component: "warm-slots" }),
      pendingPushes: (sessionId) => workRemote.checkpoints.pending(sessionId),
    });
    const folderLayout = { ...folderLayoutOf(config), warmSlots };
    const folders = (tenantId: string) => sessionFoldersOf(folderLayout, tenantId);
    const observers = metricObservers(metrics, systemClock);
    // Stopped late (cleanups run in reverse): it drops what still waits and never waits on a receiver.
    const notify = startNotifyWebhook({ config, db, secret, metrics, logger, version: VERSION });
    cleanups.push(() => notify.stop());
    // This replica's own publishes (per-replica counters, the notify webhook) and, with Redis, every replica's (WebSocket rooms).
    const own = notifyingBus(createInProcessEventBus(), notify);
    cleanups.push(countTransitions(metrics, own));
    const redis = config.REDIS_URL
      ? connectRedis(config.REDIS_URL, (err) =>
          logger.warn({ component: "redis", err }, "redis unavailable; rooms catch up from the log"),
        )
      : null;
    if (redis) cleanups.push(() => redis.close());
    const fanout = redis
      ? createRedisFanout({
          redis,
          prefix: config.ORCHESTRATOR_REDIS_PREFIX,
          replica,
          own,
          onError: (err) =>
            logger.warn({ component: "fanout", err }, "redis fan-out trouble; rooms catch up from the log"),
        })
      : null;
    const bus = fanout?.bus ?? own;
    const noticeBus = fanout?.notices ?? createInProcessNoticeBus();
    const notices = createNotices({ db, bus: noticeBus, log: logger.child({ component: "notices" }) });
    const transport = createOpenCodeTransport({
      headers: (baseUrl) => runners.headersFor(baseUrl),
      observe: observers.openCode,
    });
    const driver = createOpenCodeDriver({
      transport,
      runners,
      folders,
      pusher: workRemote.checkpoints,
      mirrors: mirrors.cache,
      defaultModel: config.ORCHESTRATOR_DEFAULT_MODEL ?? (scriptedModelUrl ? "scripted/scripted-model" : null),
      maxProviderRetries: config.ORCHESTRATOR_PROVIDER_RETRIES,
      landWaitMs: config.ORCHESTRATOR_CHECKPOINT_LAND_SECONDS * 1000,
      connectTimeoutMs: 20_000,
      log: (level, msg, extra) => logger[level]({ component: "runner", ...extra }, msg),
    });
    const scheduler =
      config.ORCHESTRATOR_SCHEDULER === "on"
        ? createScheduler(
            { db, driver, bus, logger, runnerHealthy: (id) => runners.isHealthy(id), observer: observers.scheduler },
            {
              ...defaultSchedulerOptions(),
              replica,
              pollIntervalMs: config.ORCHESTRATOR_POLL_INTERVAL_MS,
              leaseRenewMs: config.ORCHESTRATOR_LEASE_RENEW_MS,
              maxConcurrentAttempts: config.ORCHESTRATOR_MAX_CONCURRENT_ATTEMPTS,
              adoptOwnersOnStart: lock.previousReplica ? [lock.previousReplica] : [],
              breakerPolicy,
              // The rest of the shutdown (sockets, runners, the last pushes) needs the remainder of the grace period.
              handOverMs: Math.round(config.ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS * 600),
            },
          )
        : null;

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
    const tasks = scheduler
      ? createTaskExecutor({
          db,
          log: logger.child({ component: "tasks" }),
          published: (events) => {
            bus.publish(events);
            scheduler.poke();
          },
          treeChanged: (tenantId, rootTaskId) => notices.taskTreeChanged(tenantId, rootTaskId),
          tasksEnded: (tenantId, ended) => notify.taskNotices(tenantId, ended),
          intervalMs: Math.max(250, config.ORCHESTRATOR_POLL_INTERVAL_MS),
          // The workspace roots, checked again for every session a tree starts (they may have narrowed since it was executed).
          admission: createTreeAdmission({
            roots: config.ORCHESTRATOR_WORKSPACE_ROOTS,
            dataDir: config.ORCHESTRATOR_DATA_DIR,
          }),
          git: createTreeGit({ pusher: workRemote.branches, remoteOf: (ws) => workRemote.checkpoints.remoteOf(ws) }),
        })
      : null;
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
    const dashboard = config.ORCHESTRATOR_DASHBOARD === "on" ? serveDashboard(config, logger) : null;
    if (dashboard) cleanups.push(() => dashboard.close());
    const health = {
      db,
      replica,
      version: VERSION,
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
        input.overrides?.wsAuthenticate ??
        createWsAuthenticate({ authenticator, corsOrigins: config.ORCHESTRATOR_CORS_ORIGINS }),
      unusableKeys: (ids) => authenticator.unusable(ids),
      readiness: () => checkReadiness(health),
      logger,
      observeFrames: observers.wsFrames,
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
      services,
      edge: createEdgeOptions({ config, redis, clock: systemClock, log: logger }),
      logger,
      bodyLimit: config.ORCHESTRATOR_BODY_LIMIT_BYTES,
      version: VERSION,
      health,
    });
    cleanups.push(() => app.close());
    await app.listen({ port: config.PORT, host: config.HOST });
    const address = app.server.address();
    const port = typeof address === "object" && address ? address.port : config.PORT;
    // The scheduler stops first on shutdown (it hands leases back while the runners still answer).
    if (scheduler) {
      scheduler.start();
      cleanups.push(() => scheduler.stop());
    }
    if (tasks) {
      tasks.start();
      cleanups.push(() => tasks.stop());
    }
    housekeeping.start();
    cleanups.push(() => housekeeping.stop());
    mirrors.start();
    cleanups.push(() => mirrors.stop());
    const url = `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${port}`;
    logger.info(
      { url, storage: config.storage, demo: config.ORCHESTRATOR_DEMO, auth: config.ORCHESTRATOR_AUTH },
      "orchestrator listening",
    );
    const announce = input.overrides?.announce ?? ((text: string) => process.stderr.write(`${text}\n`));
    if (firstAdminKey) announce(firstAdminKeyBanner(firstAdminKey, url));
    if (!authEnabled) {
      logger.warn(
        { host: config.HOST },
        "AUTHENTICATION IS OFF (ORCHESTRATOR_AUTH=off): every local caller is an admin; never expose this port",
      );
      announce("WARNING: ORCHESTRATOR_AUTH=off — no API keys are checked; every caller on this machine is an admin.");
    }
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
