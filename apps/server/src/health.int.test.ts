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
  return { status: res.status, body: (await res.json()) as { status: string; components: Record<string, { status: string; latencyMs: number | null; detail?: string }> } };
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

  it("answers 503 naming Redis when it does not answer, while liveness stays 200", async () => {
    // Port 1 on loopback: nothing listens, the connection is refused.
    h = await startTestOrchestrator({ env: { REDIS_URL: "redis://127.0.0.1:1" } });
    const ready = await get("/health/ready");
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe("not_ready");
    expect(ready.body.components.redis).toMatchObject({ status: "down" });
    expect(ready.body.components.redis!.detail).toBeTruthy();
    expect(ready.body.components.database).toMatchObject({ status: "up" });
    expect((await fetch(`${h.orc.url}/health`)).status).toBe(200);
  });

  it("refuses a REDIS_URL that is not a redis URL at start, naming the variable", async () => {
    await expect(startTestOrchestrator({ env: { REDIS_URL: "http://127.0.0.1:6379" } })).rejects.toThrow(/REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});
