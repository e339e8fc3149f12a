import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient, type ApiClient, type SessionView } from "@industrial/contracts";
import {
  bearer,
  createTestDatabase,
  seedPgliteFromTemplate,
  tempDir,
  testAuthEnv,
  testBackend,
  waitFor,
  type TestDatabase,
} from "@industrial/testkit";
import { DEFAULT_TENANT_ID } from "@industrial/core";
import { appendGeneratedLogEvents } from "@industrial/db";
import { startOrchestrator, type Orchestrator } from "../main";
import { PGLITE_FOLDER } from "../wiring/storage";
import type { WsAuthenticate } from "../ws/auth";

export interface TestOrchestrator {
  orc: Orchestrator;
  api: ApiClient;
  dataDir: string;
  dbUrl: string | null;
  close(): Promise<void>;
}

/**
 * A whole orchestrator in this process on port 0: the project's storage
 * backend (PGlite in its data dir, or a PostgreSQL clone), a managed
 * `opencode serve` and the scripted model (demo mode).
 */
export async function startTestOrchestrator(
  options: {
    env?: Record<string, string>;
    dbUrl?: string | null;
    dataDir?: string;
    wsAuthenticate?: WsAuthenticate;
  } = {},
): Promise<TestOrchestrator> {
  const dir = options.dataDir ? null : tempDir("orch-e2e-");
  const dataDir = options.dataDir ?? dir!.path;
  let t: TestDatabase | null = null;
  let dbUrl = options.dbUrl ?? null;
  if (options.dbUrl === undefined && testBackend() === "postgres") {
    t = await createTestDatabase("postgres");
    dbUrl = t.url;
  }
  if (!dbUrl && !options.env?.DATABASE_URL) seedPgliteFromTemplate(join(dataDir, PGLITE_FOLDER));
  // A start that fails (a test of a refused configuration) leaves neither its folder nor its database behind.
  const orc = await startOrchestrator({
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: "0",
      ORCHESTRATOR_DATA_DIR: dataDir,
      // Tests name temp dirs as workspaces; the data dir, also under it, stays refused.
      ORCHESTRATOR_WORKSPACE_ROOTS: tmpdir(),
      ORCHESTRATOR_DEMO: "1",
      // The default tenant's admin key (the api client below sends it) and the secret replicas share.
      ...testAuthEnv(),
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
      ORCHESTRATOR_PROVIDER_RETRIES: "1",
      ORCHESTRATOR_POLL_INTERVAL_MS: "50",
      // Suites call far faster than a person; the rate-limit tests turn it on for themselves.
      ORCHESTRATOR_RATE_LIMIT: "0",
      ...(dbUrl ? { DATABASE_URL: dbUrl } : {}),
      ...options.env,
    },
    ...(options.wsAuthenticate ? { overrides: { wsAuthenticate: options.wsAuthenticate } } : {}),
  }).catch(async (e: unknown) => {
    await t?.drop();
    dir?.remove();
    throw e;
  });
  const api = createApiClient({ baseUrl: orc.url, headers: bearer() });
  return {
    orc,
    api,
    dataDir,
    dbUrl,
    async close() {
      await orc.stop();
      await t?.drop();
      dir?.remove();
    },
  };
}

/** A prompt the scripted model replays (see OPENCODE.md, "The scripted model"). */
export function scripted(text: string, steps: unknown[]): string {
  return `${text}\nSCRIPT: ${JSON.stringify(steps)}`;
}

// Generous by default for the same reason as waitFor's: a slow CI machine, and only a failing wait pays it.
export async function waitForStatus(
  api: ApiClient,
  id: string,
  statuses: string[],
  timeoutMs = 90_000,
): Promise<SessionView> {
  let last: SessionView | null = null;
  try {
    return await waitFor(
      async () => {
        last = await api.call("getSession", { params: { id } });
        return statuses.includes(last.status) ? last : null;
      },
      `session ${id} to reach ${statuses.join("|")}`,
      { timeoutMs, intervalMs: 50 },
    );
  } catch (e) {
    throw new Error(
      `${(e as Error).message}; last status ${(last as SessionView | null)?.status} (${(last as SessionView | null)?.statusReason})`,
    );
  }
}

export async function allEvents(api: ApiClient, id: string) {
  const page = await api.call("sessionEvents", { params: { id }, query: { after: 0, limit: 1000 } });
  return page.items;
}

/** Waits until every checkpoint of the session that has a commit is recorded as pushed, and returns them all. */
export async function waitForPushed(api: ApiClient, id: string, timeoutMs = 60_000) {
  return waitFor(
    async () => {
      const { items } = await api.call("listCheckpoints", { params: { id } });
      return items.length > 0 && items.every((c) => c.gitCommit === null || c.pushed !== null) ? items : null;
    },
    `checkpoints of ${id} pushed`,
    { timeoutMs, intervalMs: 200 },
  );
}

/** The live path: log events appended under the session's lock and published on the bus (ws-client.ts). */
export { appendLogEvents } from "./ws-client";

/**
 * A long log at once: `count` generated lines (`${prefix} ${seq}`) written in
 * one statement, nothing published (a page or a replay reads them). Returns
 * the log's last seq.
 */
export function appendLongLog(orc: Pick<Orchestrator, "db">, sessionId: string, count: number, prefix = "line") {
  return appendGeneratedLogEvents(orc.db, { id: sessionId, tenantId: DEFAULT_TENANT_ID }, count, prefix);
}
