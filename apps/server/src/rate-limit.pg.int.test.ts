import { randomUUID } from "node:crypto";
import { computeTokenBucket, type TokenBucketState } from "@industrial/core";
import { bearer, createTestDatabase, type TestDatabase } from "@industrial/testkit";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalBucketStore, createRedisBucketStore, takeFromRedis } from "./http/rate-limit-store";
import { quitRedis } from "./runtime/redis";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { rawHttp } from "./testing/raw-http";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
// Its own keys: other test files may use the same Redis at the same time.
const PREFIX = `test-rl-${randomUUID().slice(0, 8)}`;
let db: TestDatabase;
let a: TestOrchestrator;
let b: TestOrchestrator;
let redis: Redis;

beforeAll(async () => {
  db = await createTestDatabase("postgres");
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const shared = {
    REDIS_URL,
    ORCHESTRATOR_REDIS_PREFIX: PREFIX,
    ORCHESTRATOR_RATE_LIMIT: "5",
    ORCHESTRATOR_RATE_LIMIT_BURST: "10",
    ORCHESTRATOR_SCHEDULER: "off",
  };
  a = await startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-a" } });
  b = await startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-b" } });
}, 120_000);

afterAll(async () => {
  await b?.close();
  await a?.close();
  await db?.drop();
  if (redis) {
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await quitRedis(redis);
  }
});

describe("rate limits shared through Redis", () => {
  it("requests split across two replicas draw on one bucket per key", async () => {
    const created = await rawHttp(`${a.orc.url}/api/v1/api-keys`, {
      method: "POST",
      headers: bearer(),
      body: { name: "shared-bucket", role: "viewer" },
    });
    expect(created.status, created.text).toBe(201);
    const { key, id } = created.json as { key: string; id: string };

    // Rounds of one request to each replica at once: fired all together, one replica's ten could
    // all be served before the other's arrive (a CI run saw it), which says nothing of sharing.
    const t0 = performance.now();
    const answers: { replica: string; status: number }[] = [];
    const ask = (replica: "a" | "b") =>
      rawHttp(`${(replica === "a" ? a : b).orc.url}/api/v1/me`, { headers: bearer(key) }).then((r) => ({
        replica,
        status: r.status,
      }));
    for (let round = 0; round < 20; round++) answers.push(...(await Promise.all([ask("a"), ask("b")])));
    const seconds = (performance.now() - t0) / 1000;
    const ok = answers.filter((r) => r.status === 200);
    // One bucket of ten (plus what refilled meanwhile), not ten on each replica.
    expect(ok.length).toBeGreaterThanOrEqual(10);
    expect(ok.length).toBeLessThanOrEqual(10 + Math.floor(seconds * 5) + 1);
    expect(answers.filter((r) => r.status === 429).length).toBe(answers.length - ok.length);
    // Both replicas served some and refused some: neither kept a bucket of its own.
    for (const replica of ["a", "b"]) {
      expect(
        answers.some((r) => r.replica === replica && r.status === 200),
        replica,
      ).toBe(true);
      expect(
        answers.some((r) => r.replica === replica && r.status === 429),
        replica,
      ).toBe(true);
    }
    // The bucket lives under the deployment's prefix and expires once it would be full again.
    const ttl = await redis.pttl(`${PREFIX}:ratelimit:key:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000 + 1000);
  });

  it("the Lua script answers exactly as computeTokenBucket, step for step", async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (const policy of [
      { rate: 5, burst: 10 },
      { rate: 0.3, burst: 2 },
      { rate: 7.5, burst: 3 },
      { rate: 1000, burst: 1 },
    ]) {
      const key = `${PREFIX}:equivalence:${policy.rate}:${policy.burst}`;
      let state: TokenBucketState | null = null;
      let now = Date.UTC(2026, 2, 29, 0, 30);
      for (let i = 0; i < 150; i++) {
        // Bursts, pauses, and now and then a clock that steps back.
        now += random() < 0.1 ? -Math.floor(random() * 500) : Math.floor(random() * random() * 700);
        const expected = computeTokenBucket({ state, now, rate: policy.rate, burst: policy.burst });
        const actual = await takeFromRedis(redis, key, policy, now);
        expect(actual, `step ${i} of ${JSON.stringify(policy)}`).toEqual(expected);
        state = expected.state;
      }
    }
  });

  it("a replica whose Redis does not answer still serves, limiting on its own", async () => {
    // Port 1: nothing listens; every Redis command fails at once.
    const c = await startTestOrchestrator({
      dbUrl: db.url,
      env: {
        REDIS_URL: "redis://127.0.0.1:1",
        ORCHESTRATOR_RATE_LIMIT: "5",
        ORCHESTRATOR_RATE_LIMIT_BURST: "10",
        ORCHESTRATOR_SCHEDULER: "off",
        ORCHESTRATOR_REPLICA_ID: "replica-c",
      },
    });
    try {
      const statuses: number[] = [];
      do statuses.push((await rawHttp(`${c.orc.url}/api/v1/me`, { headers: bearer() })).status);
      while (statuses.at(-1) === 200 && statuses.length < 40);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.at(-1)).toBe(429);
    } finally {
      await c.close();
    }
  });

  it("falls back to this replica's own buckets while Redis fails, says so once, and says when it is back", async () => {
    const client = new Redis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
    await client.connect();
    const said: (string | null)[] = [];
    const policy = { rate: 1, burst: 3 };
    const clock = { now: () => new Date() };
    const store = createRedisBucketStore({
      client,
      prefix: `${PREFIX}-fallback`,
      policy,
      clock,
      fallback: createLocalBucketStore(policy, clock),
      onFallback: (e) => said.push(e),
    });
    try {
      expect((await store.take("k")).allowed).toBe(true);
      expect(said).toEqual([]);

      client.disconnect();
      const whileDown: boolean[] = [];
      for (let i = 0; i < 5; i++) whileDown.push((await store.take("k")).allowed);
      // The local bucket (a fresh one, full) decides: three pass, then refused. Requests never fail.
      expect(whileDown).toEqual([true, true, true, false, false]);
      expect(said).toHaveLength(1);
      expect(said[0]).toBeTruthy();

      if (client.status !== "end") await new Promise((r) => client.once("end", r));
      await client.connect();
      // Redis holds the bucket as it was left (two tokens): it decides again.
      expect((await store.take("k")).allowed).toBe(true);
      expect(said).toEqual([said[0], null]);
    } finally {
      await quitRedis(client);
    }
  });
});
