import { afterEach, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
let h: TestOrchestrator | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const get = async (path: string) => {
  const res = await fetch(`${h!.orc.url}${path}`);
  return {
    status: res.status,
    body: (await res.json()) as {
      status: string;
      components: Record<string, { status: string; latencyMs: number | null; detail?: string }>;
    },
  };
};

describe(`health with Redis configured (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("is ready when the database, Redis and a runner answer, each with its latency", async () => {
    h = await startTestOrchestrator({ env: { REDIS_URL } });
    const ready = await get("/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ready");
    expect(ready.body.components.database).toMatchObject({ status: "up" });
    expect(ready.body.components.redis).toMatchObject({ status: "up" });
    expect(ready.body.components.redis!.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("stays ready (200) with Redis reported degraded, its error and latency, when Redis does not answer: it carries only fan-out", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused.
    h = await startTestOrchestrator({ env: { REDIS_URL: "redis://127.0.0.1:1" } });
    const ready = await get("/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe("ready");
    expect(ready.body.components.redis).toMatchObject({ status: "degraded" });
    expect(ready.body.components.redis!.detail).toMatch(/ECONNREFUSED|no answer/);
    expect(ready.body.components.redis!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(ready.body.components.database).toMatchObject({ status: "up" });
    // Reconnecting after a refusal: said at once, not after the ping's full second.
    expect((await get("/health/ready")).body.components.redis!.latencyMs).toBeLessThan(500);
    expect((await fetch(`${h.orc.url}/health`)).status).toBe(200);
  });

  it("refuses a REDIS_URL that is not a redis URL at start, naming the variable", async () => {
    await expect(startTestOrchestrator({ env: { REDIS_URL: "http://127.0.0.1:6379" } })).rejects.toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/,
    );
  });
});
