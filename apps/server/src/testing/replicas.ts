import { randomUUID } from "node:crypto";
import { createTestDatabase, parsePrometheusText, promValue, type TestDatabase } from "@industrial/testkit";
import { startTestOrchestrator, type TestOrchestrator } from "./harness";

/** The machine's Redis, shared by every test file that runs at the same time. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

export interface ReplicaPair {
  db: TestDatabase;
  /** Runs the sessions. */
  a: TestOrchestrator;
  /** Its scheduler is off: what it shows of A's sessions reached it through Redis. */
  b: TestOrchestrator;
  close(): Promise<void>;
}

/**
 * Two replicas on one fresh PostgreSQL database, joined by Redis fan-out
 * under a prefix of their own (other files' replicas use the same Redis).
 * `env` goes to both. A start that fails leaves nothing running behind it,
 * since the caller's afterAll never sees what was started.
 */
export async function startReplicaPair(env: Record<string, string> = {}): Promise<ReplicaPair> {
  const db = await createTestDatabase("postgres");
  const shared = { REDIS_URL, ORCHESTRATOR_REDIS_PREFIX: `test-${randomUUID().slice(0, 8)}`, ...env };
  let a: TestOrchestrator | undefined;
  try {
    a = await startTestOrchestrator({ dbUrl: db.url, env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-a" } });
    const b = await startTestOrchestrator({
      dbUrl: db.url,
      env: { ...shared, ORCHESTRATOR_REPLICA_ID: "replica-b", ORCHESTRATOR_SCHEDULER: "off" },
    });
    return {
      db,
      a,
      b,
      async close() {
        await b.close();
        await a!.close();
        await db.drop();
      },
    };
  } catch (e) {
    await a?.close();
    await db.drop();
    throw e;
  }
}

/** One replica's own count of a Prometheus metric, read from its /metrics. */
export async function replicaMetric(
  h: TestOrchestrator,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  return promValue(parsePrometheusText(await (await fetch(`${h.orc.url}/metrics`)).text()), name, labels);
}
