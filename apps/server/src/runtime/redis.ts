import { Redis } from "ioredis";

export interface RedisConnection {
  /** Commands (PING, PUBLISH): they fail fast while Redis is away. */
  readonly client: Redis;
  /** A second connection for SUBSCRIBE (a subscribing connection can do nothing else); it queues its commands until connected. Closed with this one. */
  subscriber(): Redis;
  /** Round trip of a PING in milliseconds; throws when Redis does not answer within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * The Redis named by REDIS_URL: one connection per replica for commands
 * (readiness, the fan-out's PUBLISH) and one for the fan-out's SUBSCRIBE.
 * It reconnects on its own; commands fail fast while it is away (no offline
 * queue), so readiness reports it degraded at once instead of hanging. The URL
 * (it may hold a password) is never logged.
 */
export function connectRedis(url: string, onError: (message: string) => void): RedisConnection {
  // ioredis repeats a connection error on every reconnect try: say each once per change.
  let lastError = "";
  const watch = (c: Redis) => {
    c.on("error", (e: Error) => {
      if (e.message !== lastError) onError(e.message);
      lastError = e.message;
    });
    c.on("ready", () => (lastError = ""));
    return c;
  };
  const client = watch(new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000 }));
  let subscriber: Redis | null = null;
  return {
    client,
    subscriber: () => (subscriber ??= watch(client.duplicate({ enableOfflineQueue: true }))),
    async ping(timeoutMs = 1_000) {
      const t0 = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(lastError || `no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        // Reconnecting after an error: it is away now — say so at once (a readiness probe has its own short timeout).
        if (client.status !== "ready" && lastError) throw new Error(lastError);
        // Still connecting (just started): wait for it within the same budget.
        const ready =
          client.status === "ready"
            ? Promise.resolve()
            : new Promise<void>((resolve) => client.once("ready", () => resolve()));
        await Promise.race([ready.then(() => client.ping()), timeout]);
      } catch (e) {
        throw new Error(lastError || (e as Error).message);
      } finally {
        clearTimeout(timer);
      }
      return Math.round((performance.now() - t0) * 10) / 10;
    },
    async close() {
      await Promise.all([client, ...(subscriber ? [subscriber] : [])].map((c) => quitRedis(c)));
    },
  };
}

/** QUIT waits for an answer: a Redis that accepts but never answers (or was never reached) must not hold up shutdown. */
export async function quitRedis(client: Redis, withinMs = 1_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([client.quit().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, withinMs)))]);
  clearTimeout(timer);
  client.disconnect();
}
