import type { Database } from "@industrial/db";
import {
  createInProcessEventBus,
  createInProcessNoticeBus,
  type EventBus,
  type NoticeBus,
} from "@industrial/scheduler";
import type { Logger } from "pino";
import type { ServerSecret } from "../auth/server-secret";
import type { Config } from "../config";
import type { Metrics } from "../metrics/registry";
import { countTransitions } from "../metrics/wire";
import { notifyingBus, startNotifyWebhook, type NotifyWebhook } from "../runtime/notify-webhook";
import { connectRedis, type RedisConnection } from "../runtime/redis";
import { createRedisFanout } from "../runtime/redis-fanout";
import { createNotices, type Notices } from "../services/notices";
import type { Defer } from "./defer";

export interface EventBuses {
  notify: NotifyWebhook;
  /** Null without REDIS_URL. */
  redis: RedisConnection | null;
  /** Committed session events: this replica's and, with Redis, every replica's. */
  bus: EventBus;
  noticeBus: NoticeBus;
  notices: Notices;
}

/**
 * The notify webhook, the event bus and the notice bus, fanned out across
 * replicas through Redis when REDIS_URL is set.
 */
export function wireEventBuses(input: {
  config: Config;
  db: Database;
  secret: ServerSecret;
  metrics: Metrics;
  logger: Logger;
  replica: string;
  version: string;
  defer: Defer;
}): EventBuses {
  const { config, db, metrics, logger, defer } = input;
  // Stopped late (stop steps run in reverse): it drops what still waits and never waits on a receiver.
  const notify = startNotifyWebhook({ config, db, secret: input.secret, metrics, logger, version: input.version });
  defer(() => notify.stop());
  // This replica's own publishes (per-replica counters, the notify webhook) and, with Redis, every replica's (WebSocket rooms).
  const own = notifyingBus(createInProcessEventBus(), notify);
  defer(countTransitions(metrics, own));
  const redis = config.REDIS_URL
    ? connectRedis(config.REDIS_URL, (err) =>
        logger.warn({ component: "redis", err }, "redis unavailable; rooms catch up from the log"),
      )
    : null;
  if (redis) defer(() => redis.close());
  const fanout = redis
    ? createRedisFanout({
        redis,
        prefix: config.ORCHESTRATOR_REDIS_PREFIX,
        replica: input.replica,
        own,
        onError: (err) =>
          logger.warn({ component: "fanout", err }, "redis fan-out trouble; rooms catch up from the log"),
      })
    : null;
  const bus = fanout?.bus ?? own;
  const noticeBus = fanout?.notices ?? createInProcessNoticeBus();
  const notices = createNotices({ db, bus: noticeBus, log: logger.child({ component: "notices" }) });
  return { notify, redis, bus, noticeBus, notices };
}
