import type { AttemptDriver, BreakerPolicy } from "@industrial/core";
import type { Database } from "@industrial/db";
import {
  createOpenCodeDriver,
  createOpenCodeTransport,
  type MirrorCache,
  type OcTransport,
  type SessionFolders,
} from "@industrial/opencode";
import {
  createScheduler,
  createTaskExecutor,
  defaultSchedulerOptions,
  type EventBus,
  type Scheduler,
  type TaskExecutor,
} from "@industrial/scheduler";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { MetricObservers } from "../metrics/wire";
import type { NotifyWebhook } from "../runtime/notify-webhook";
import type { RunnerPool } from "../runtime/runner-pool";
import { createTreeAdmission, createTreeGit } from "../runtime/task-executor-ports";
import type { WorkRemoteRuntime } from "../runtime/work-remote";
import type { Notices } from "../services/notices";

/** The OpenCode transport (each runner's own password) and the driver that runs attempts on the runner pool. */
export function wireDriver(input: {
  config: Config;
  runners: RunnerPool;
  folders: (tenantId: string) => SessionFolders;
  workRemote: WorkRemoteRuntime;
  mirrors: MirrorCache;
  observers: MetricObservers;
  scriptedModelUrl: string | null;
  logger: Logger;
}): { transport: OcTransport; driver: AttemptDriver } {
  const { config, runners, logger } = input;
  const transport = createOpenCodeTransport({
    headers: (baseUrl) => runners.headersFor(baseUrl),
    observe: input.observers.openCode,
  });
  const driver = createOpenCodeDriver({
    transport,
    runners,
    folders: input.folders,
    pusher: input.workRemote.checkpoints,
    mirrors: input.mirrors,
    defaultModel: config.ORCHESTRATOR_DEFAULT_MODEL ?? (input.scriptedModelUrl ? "scripted/scripted-model" : null),
    maxProviderRetries: config.ORCHESTRATOR_PROVIDER_RETRIES,
    landWaitMs: config.ORCHESTRATOR_CHECKPOINT_LAND_SECONDS * 1000,
    connectTimeoutMs: 20_000,
    log: (level, msg, extra) => logger[level]({ component: "runner", ...extra }, msg),
  });
  return { transport, driver };
}

/** The scheduler (not started), or null with ORCHESTRATOR_SCHEDULER=off. */
export function wireScheduler(input: {
  config: Config;
  db: Database;
  driver: AttemptDriver;
  bus: EventBus;
  runners: RunnerPool;
  observers: MetricObservers;
  replica: string;
  /** The replica that held this data dir before: its attempts are adopted. */
  previousReplica: string | null;
  breakerPolicy: BreakerPolicy;
  logger: Logger;
}): Scheduler | null {
  const { config, runners } = input;
  if (config.ORCHESTRATOR_SCHEDULER !== "on") return null;
  return createScheduler(
    {
      db: input.db,
      driver: input.driver,
      bus: input.bus,
      logger: input.logger,
      runnerHealthy: (id) => runners.isHealthy(id),
      observer: input.observers.scheduler,
    },
    {
      ...defaultSchedulerOptions(),
      replica: input.replica,
      pollIntervalMs: config.ORCHESTRATOR_POLL_INTERVAL_MS,
      leaseRenewMs: config.ORCHESTRATOR_LEASE_RENEW_MS,
      maxConcurrentAttempts: config.ORCHESTRATOR_MAX_CONCURRENT_ATTEMPTS,
      adoptOwnersOnStart: input.previousReplica ? [input.previousReplica] : [],
      breakerPolicy: input.breakerPolicy,
      // The rest of the shutdown (sockets, runners, the last pushes) needs the remainder of the grace period.
      handOverMs: Math.round(config.ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS * 600),
    },
  );
}

/** The task executor (not started), or null without a scheduler: the sessions it starts need one. */
export function wireTaskExecutor(input: {
  config: Config;
  db: Database;
  scheduler: Scheduler | null;
  bus: EventBus;
  notices: Notices;
  notify: NotifyWebhook;
  workRemote: WorkRemoteRuntime;
  logger: Logger;
}): TaskExecutor | null {
  const { config, scheduler, bus, notices, notify, workRemote } = input;
  if (!scheduler) return null;
  return createTaskExecutor({
    db: input.db,
    log: input.logger.child({ component: "tasks" }),
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
  });
}
