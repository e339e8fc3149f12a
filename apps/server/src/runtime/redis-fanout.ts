import type { SessionEvent } from "@industrial/core";
import {
  createInProcessEventBus,
  createInProcessNoticeBus,
  type EventBus,
  type Notice,
  type NoticeBus,
} from "@industrial/scheduler";
import type { RedisConnection } from "./redis";

/** Channels of one deployment (several can share a Redis with their own prefix). */
const channels = (prefix: string) => ({ events: `${prefix}:events`, notices: `${prefix}:notices` });

type Message = { from: string; events: SessionEvent[] } | { from: string; notice: Notice };

export interface RedisFanout {
  /** Every replica's committed session events: what WebSocket rooms listen to. */
  bus: EventBus;
  /** Every replica's notices (agents, tasks). */
  notices: NoticeBus;
}

/**
 * The cluster's fan-out: what one replica publishes (after its commit) is
 * delivered to its own subscribers at once and to every other replica
 * through Redis pub/sub, so a WebSocket client on any replica sees live
 * what any replica does. Pub/sub may drop messages while a connection is
 * down; session rooms repair that from the event log (their tail check), so
 * nothing is lost, only late. `own` sees only this replica's publishes
 * (per-replica counters must not count another replica's work). The
 * connections are `redis`'s (closed with it); trouble goes to `onError`.
 */
export function createRedisFanout(input: {
  redis: RedisConnection;
  replica: string;
  prefix?: string;
  own: EventBus;
  onError: (message: string) => void;
}): RedisFanout {
  const ch = channels(input.prefix ?? "orchestrator");
  const publisher = input.redis.client;
  const subscriber = input.redis.subscriber();
  const local = createInProcessEventBus();
  const localNotices = createInProcessNoticeBus();

  void subscriber.subscribe(ch.events, ch.notices).catch((e: Error) => input.onError(`subscribe: ${e.message}`));
  subscriber.on("message", (_channel: string, text: string) => {
    let m: Message;
    try {
      m = JSON.parse(text) as Message;
    } catch {
      return input.onError("a fan-out message is not JSON; dropped");
    }
    if (m.from === input.replica) return;
    if ("events" in m) local.publish(m.events);
    else localNotices.publish(m.notice);
  });

  const send = (m: Message) => {
    if (publisher.status !== "ready") return; // Redis away: other replicas catch up from the log
    publisher
      .publish("events" in m ? ch.events : ch.notices, JSON.stringify(m))
      .catch((e: Error) => input.onError(`publish: ${e.message}`));
  };

  return {
    bus: {
      publish(events) {
        if (events.length === 0) return;
        input.own.publish(events);
        local.publish(events);
        send({ from: input.replica, events: [...events] });
      },
      subscribe: (key, listener) => local.subscribe(key, listener),
    },
    notices: {
      publish(notice) {
        localNotices.publish(notice);
        send({ from: input.replica, notice });
      },
      subscribe: (listener) => localNotices.subscribe(listener),
    },
  };
}
