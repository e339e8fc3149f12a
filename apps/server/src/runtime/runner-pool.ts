import { join } from "node:path";
import { coerceError, type RunnerHealth } from "@industrial/core";
import { listRunners, updateRunnerStatus, upsertRunner, type Database } from "@industrial/db";
import { computeOpenCodeConfig, createManagedRunner, resolveOpenCodeBinary, type ManagedRunner, type RunnerResolver } from "@industrial/opencode";
import type { ScriptedModel } from "@industrial/scripted-model";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { RunnerHealthReport } from "../routes/health";

export interface RunnerPool extends RunnerResolver {
  /** The runner new agents are bound to: the managed one, else the first remote one. */
  readonly defaultRunnerId: string;
  isHealthy(runnerId: string | null): boolean;
  health(): Promise<RunnerHealthReport[]>;
  stop(): Promise<void>;
}

interface RemoteState {
  id: string;
  name: string;
  url: string;
  healthy: boolean;
}

/**
 * The OpenCode servers this replica talks to. The managed runner row stands
 * for "this replica's own `opencode serve`": it starts on demand (the first
 * attempt that needs it) and stops with the process. Remote runners are URLs
 * from the configuration, health-checked every few seconds.
 */
export async function createRunnerPool(input: {
  db: Database;
  config: Config;
  replica: string;
  tenantId: string;
  logger: Logger;
  scriptedModel: ScriptedModel | null;
}): Promise<RunnerPool> {
  const { db, config, logger } = input;
  const log = logger.child({ component: "runners" });
  const managedEnabled = config.ORCHESTRATOR_MANAGED_RUNNERS > 0;
  const managedRow = managedEnabled
    ? await upsertRunner(db, { tenantId: input.tenantId, name: "managed", kind: "managed", url: null, ownerReplica: input.replica, health: "standby" })
    : null;
  const remotes: RemoteState[] = [];
  for (const [i, url] of config.ORCHESTRATOR_REMOTE_RUNNERS.entries()) {
    const row = await upsertRunner(db, { tenantId: input.tenantId, name: `remote-${i + 1}`, kind: "remote", url, ownerReplica: null, health: "starting" });
    remotes.push({ id: row.id, name: row.name, url, healthy: true });
  }
  const defaultRunnerId = managedRow?.id ?? remotes[0]?.id;
  if (!defaultRunnerId) throw new Error("no runner configured: set ORCHESTRATOR_MANAGED_RUNNERS ≥ 1 or ORCHESTRATOR_REMOTE_RUNNERS");

  let managed: ManagedRunner | null = null;
  let starting: Promise<ManagedRunner> | null = null;
  let managedFailed: string | null = null;
  let managedFailedAt = 0;
  let stopped = false;

  const setStatus = (id: string, health: RunnerHealth, extra: { url?: string | null; version?: string | null; memoryBytes?: number | null } = {}) =>
    updateRunnerStatus(db, id, { health, ...extra }).catch((e) => log.warn({ err: coerceError(e).message }, "runner status write failed"));

  const startManaged = async (): Promise<ManagedRunner> => {
    const config_ = input.scriptedModel
      ? computeOpenCodeConfig({ mode: "scripted", baseUrl: input.scriptedModel.baseUrl })
      : computeOpenCodeConfig({ mode: "user", ...(config.ORCHESTRATOR_DEFAULT_MODEL ? { model: config.ORCHESTRATOR_DEFAULT_MODEL } : {}) });
    await setStatus(managedRow!.id, "starting");
    const runner = await createManagedRunner({
      stateDir: join(config.ORCHESTRATOR_DATA_DIR, "opencode"),
      config: config_,
      // Demo and tests get their own XDG homes; a person's real run uses their own OpenCode setup (providers, auth).
      isolate: Boolean(input.scriptedModel),
      ...(config.ORCHESTRATOR_OPENCODE_BIN ? { binaryPath: config.ORCHESTRATOR_OPENCODE_BIN } : {}),
      logger: (line) => log.debug({ stream: line.stream, line: line.text }, "opencode"),
    });
    runner.on("restart", (e) => {
      log.warn({ url: e.url, attempt: e.attempt }, "managed runner restarted");
      void setStatus(managedRow!.id, "healthy", { url: e.url, version: e.version });
    });
    runner.on("failed", (e) => {
      managedFailed = e.error.message;
      managedFailedAt = Date.now();
      void setStatus(managedRow!.id, "unhealthy");
    });
    runner.on("exit", (e) => {
      if (!e.expected) void setStatus(managedRow!.id, "unhealthy");
    });
    await setStatus(managedRow!.id, "healthy", { url: runner.url, version: runner.version, memoryBytes: runner.memoryBytes() });
    log.info({ url: runner.url, version: runner.version }, "managed runner started");
    return runner;
  };

  const ensureManaged = async (): Promise<ManagedRunner> => {
    if (stopped) throw new Error("the runner pool is stopping");
    if (managed && managed.state !== "failed") return managed;
    starting ??= startManaged()
      .then((r) => {
        managed = r;
        managedFailed = null;
        return r;
      })
      .catch((e) => {
        managedFailed = coerceError(e).message;
        managedFailedAt = Date.now();
        log.error({ err: managedFailed }, "managed runner failed to start");
        void setStatus(managedRow!.id, "unhealthy");
        throw e;
      })
      .finally(() => {
        starting = null;
      });
    return starting;
  };

  const checkRemotes = async () => {
    for (const r of remotes) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${r.url}/global/health`, { signal: AbortSignal.timeout(2000) });
        const body = (await res.json()) as { healthy?: boolean; version?: string };
        r.healthy = res.ok && body.healthy === true;
        await setStatus(r.id, r.healthy ? "healthy" : "unhealthy", { version: body.version ?? null });
      } catch {
        r.healthy = false;
        await setStatus(r.id, "unhealthy");
      }
      log.debug({ runner: r.name, healthy: r.healthy, ms: performance.now() - t0 }, "remote runner checked");
    }
  };
  await checkRemotes();
  const remoteTimer = setInterval(() => void checkRemotes(), 10_000);
  const memoryTimer = setInterval(() => {
    if (managed && managedRow) void setStatus(managedRow.id, managed.state === "running" ? "healthy" : "unhealthy", { memoryBytes: managed.memoryBytes() });
  }, 15_000);

  return {
    defaultRunnerId,
    async resolve(runnerId) {
      const remote = remotes.find((r) => r.id === runnerId);
      if (remote) return { runnerId: remote.id, url: remote.url };
      if (runnerId && runnerId !== managedRow?.id) {
        // A runner this replica does not know (registered elsewhere): use its stored URL.
        const row = (await listRunners(db, input.tenantId)).find((r) => r.id === runnerId);
        if (row?.kind === "remote" && row.url) return { runnerId: row.id, url: row.url };
      }
      if (!managedRow) throw new Error("this replica runs no managed runner and the agent's runner is unknown");
      return { runnerId: managedRow.id, url: (await ensureManaged()).url };
    },
    isHealthy(runnerId) {
      const remote = remotes.find((r) => r.id === runnerId);
      if (remote) return remote.healthy;
      // A failed start keeps the runner out of routing for a while, then it may be tried again.
      if (managedFailedAt && Date.now() - managedFailedAt < 30_000) return false;
      return managedRow !== null && managed?.state !== "failed";
    },
    async health() {
      const out: RunnerHealthReport[] = [];
      if (managedRow) {
        if (managed) {
          const h = await managed.health(1000);
          out.push({ name: "managed", status: h.healthy ? "up" : "down", latencyMs: h.latencyMs, detail: `opencode ${managed.version} at ${managed.url}` });
        } else {
          let detail = "starts on demand";
          let status: "standby" | "down" = "standby";
          try {
            resolveOpenCodeBinary({ override: config.ORCHESTRATOR_OPENCODE_BIN });
          } catch (e) {
            status = "down";
            detail = coerceError(e).message;
          }
          if (managedFailed) [status, detail] = ["down", managedFailed];
          out.push({ name: "managed", status, latencyMs: null, detail });
        }
      }
      for (const r of remotes) out.push({ name: r.name, status: r.healthy ? "up" : "down", latencyMs: null, detail: r.url });
      return out;
    },
    async stop() {
      stopped = true;
      clearInterval(remoteTimer);
      clearInterval(memoryTimer);
      await starting?.catch(() => undefined);
      if (managed) await managed.stop();
      if (managedRow) await setStatus(managedRow.id, "stopped");
    },
  };
}
