import { mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { coerceError, type RunnerKind } from "@industrial/core";
import {
  bypassTenantWall,
  listAllRunners,
  listRunners,
  retireManagedRunners,
  retireSilentManagedRunners,
  upsertRunner,
  type Database,
} from "@industrial/db";
import {
  computeOpenCodeConfig,
  createManagedRunner,
  killStaleRunner,
  resolveOpenCodeBinary,
  startAgentGate,
  writeAgentGatePlugin,
  type RunnerResolver,
} from "@industrial/opencode";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { RunnerHealthReport } from "./runner-health";
import { createManagedPool } from "./managed-runners";
import type { ManagedProcessInfo } from "./managed-slot";
import { createRemoteRunners } from "./remote-runners";
import { setUpSandbox, type SandboxHealth } from "./sandbox-setup";

export interface RunnerPool extends RunnerResolver {
  /** The runner the `default` agent is bound to: null (this replica's managed runners) when they are enabled, else the first remote one. */
  readonly defaultRunnerId: string | null;
  /** Routing: can an attempt on this runner (null: a managed runner of this replica) be dispatched now? */
  isHealthy(runnerId: string | null): boolean;
  /** Readiness report, one entry per runner. */
  health(): Promise<RunnerHealthReport[]>;
  /** Extra headers for requests to a runner's URL: its basic auth (a managed process's own password, a remote runner's configured one). */
  headersFor(baseUrl: string): Record<string, string> | undefined;
  /** Is this one of this replica's managed processes? */
  ownsManaged(runnerId: string): boolean;
  /** Drains and replaces one of this replica's managed runners; false when it is not one of them. */
  recycle(runnerId: string, reason: string): boolean;
  /** Re-reads the runner rows now (after the API registered or deleted one). */
  sync(): Promise<void>;
  /** This replica's managed processes. */
  managedProcesses(): ManagedProcessInfo[];
  /** Whether the managed runners' agents' commands are sandboxed (readiness, the Runners page). */
  sandboxHealth(): SandboxHealth;
  stop(): Promise<void>;
}

/**
 * The OpenCode servers this replica talks to: its own managed `opencode
 * serve` processes (up to ORCHESTRATOR_MANAGED_RUNNERS, started on demand,
 * recycled past ORCHESTRATOR_RUNNER_MAX_RSS_MB) and the remote runners of
 * the tenant (configured or registered). One loop every
 * ORCHESTRATOR_RUNNER_CHECK_INTERVAL_MS re-reads the rows (new remote
 * runners, breakers, recycle requests), checks every runner's health and
 * memory, and retires rows of managed runners whose replica went silent.
 */
export async function createRunnerPool(input: {
  db: Database;
  config: Config;
  replica: string;
  /** The replica that held this data dir before (its processes and rows are gone). */
  previousReplica?: string | null;
  tenantId: string;
  logger: Logger;
  /** Demo mode: the scripted model's base URL (`…/v1`), in this process or elsewhere; null: the operator's providers. */
  scriptedModelUrl: string | null;
  /** Opens a remote runner's stored password (sealed with the server secret). */
  revealPassword: (stored: string) => string | null;
  /** Seals the password a configured remote runner's URL carries, to be stored. */
  sealPassword: (password: string) => string;
  now?: () => Date;
}): Promise<RunnerPool> {
  const { db, config, tenantId } = input;
  const log = input.logger.child({ component: "runners" });
  const now = input.now ?? (() => new Date());
  const opencodeDir = join(config.ORCHESTRATOR_DATA_DIR, "opencode");
  const stateRoot = join(opencodeDir, "runners");
  const intervalMs = config.ORCHESTRATOR_RUNNER_CHECK_INTERVAL_MS;

  // This replica's earlier processes (a crash, a kill -9) and their rows go first.
  await retireManagedRunners(db, {
    tenantId,
    owners: [input.replica, ...(input.previousReplica ? [input.previousReplica] : [])],
  });
  await cleanStaleProcesses(opencodeDir, stateRoot);

  const baseConfig = input.scriptedModelUrl
    ? computeOpenCodeConfig({ mode: "scripted", baseUrl: input.scriptedModelUrl })
    : computeOpenCodeConfig({
        mode: "user",
        ...(config.ORCHESTRATOR_DEFAULT_MODEL ? { model: config.ORCHESTRATOR_DEFAULT_MODEL } : {}),
      });
  const managedEnabled = config.ORCHESTRATOR_MANAGED_RUNNERS > 0;
  // The managed runners' agents act only while this replica holds their sessions' leases (docs/faults.md, "The agent gate").
  const gate = managedEnabled ? await startAgentGate() : null;
  if (gate) await mkdir(opencodeDir, { recursive: true });
  const openCodeConfig = gate ? { ...baseConfig, plugin: [writeAgentGatePlugin(opencodeDir, gate.url)] } : baseConfig;
  const sandbox = managedEnabled ? await setUpSandbox(config, join(opencodeDir, "sandbox"), log) : null;
  const managed = createManagedPool({
    db,
    tenantId,
    replica: input.replica,
    capacity: config.ORCHESTRATOR_MANAGED_RUNNERS,
    maxRssBytes: config.ORCHESTRATOR_RUNNER_MAX_RSS_MB > 0 ? config.ORCHESTRATOR_RUNNER_MAX_RSS_MB * 1024 * 1024 : null,
    idleStopMs: config.ORCHESTRATOR_RUNNER_IDLE_SECONDS * 1000,
    stateRoot,
    ...(gate ? { gate } : {}),
    ...(sandbox?.lease ? { sandbox: sandbox.lease } : {}),
    spawn: (stateDir) =>
      createManagedRunner({
        stateDir,
        // OpenCode runs every bash tool command through SHELL: the sandbox shell enters bubblewrap.
        ...(sandbox?.shell ? { env: { SHELL: sandbox.shell } } : {}),
        config: openCodeConfig,
        // Demo and tests get their own XDG homes (one for all processes: they share OpenCode's
        // sessions); a person's real run uses their own OpenCode setup (providers, auth).
        isolate: input.scriptedModelUrl !== null,
        isolatedHome: opencodeDir,
        // Provider credentials the operator named; the rest of our environment (our secrets) stays here.
        inheritEnv: config.ORCHESTRATOR_RUNNER_ENV,
        ...(config.ORCHESTRATOR_OPENCODE_BIN ? { binaryPath: config.ORCHESTRATOR_OPENCODE_BIN } : {}),
        logger: (line) => log.debug({ stream: line.stream, line: line.text }, "opencode"),
      }),
    log,
    now,
  });
  const remote = createRemoteRunners({ db, log, now, revealPassword: input.revealPassword });
  const kinds = new Map<string, RunnerKind>();

  for (const [i, r] of config.ORCHESTRATOR_REMOTE_RUNNERS.entries()) {
    // A password in its URL is stored sealed; without one, a password registered through the API stays.
    const password = r.password === null ? null : input.sealPassword(r.password);
    await upsertRunner(db, {
      tenantId,
      name: `remote-${i + 1}`,
      kind: "remote",
      url: r.url,
      ownerReplica: null,
      health: "starting",
      password,
    });
  }

  const everyTenant = bypassTenantWall(db, "runner pool: every tenant's remote runners are called from here");
  const sync = async () => {
    const rows = await listAllRunners(everyTenant);
    kinds.clear();
    for (const r of rows) kinds.set(r.id, r.kind);
    remote.apply(rows);
    managed.applyRows(rows);
  };
  let round: Promise<void> | null = null;
  const runRound = () =>
    (round ??= (async () => {
      await sync();
      await Promise.all([managed.check(), remote.check()]);
      // A replica writes its runners every round: one silent this long has died.
      const retired = await retireSilentManagedRunners(db, {
        tenantId,
        exceptOwner: input.replica,
        silentSeconds: Math.max(60, (6 * intervalMs) / 1000),
      });
      if (retired.length) log.warn({ runners: retired }, "retired managed runners of a replica that stopped reporting");
    })()
      .catch((e) => log.warn({ err: coerceError(e).message }, "runner check failed"))
      .finally(() => {
        round = null;
      }));
  await runRound();
  const timer = setInterval(() => void runRound(), intervalMs);
  timer.unref();

  const firstRemote = (await listRunners(db, tenantId)).find((r) => r.kind === "remote");
  const defaultRunnerId = managedEnabled ? null : (firstRemote?.id ?? null);
  if (!managedEnabled && !firstRemote)
    throw new Error("no runner configured: set ORCHESTRATOR_MANAGED_RUNNERS ≥ 1 or ORCHESTRATOR_REMOTE_RUNNERS");

  const isManaged = (id: string | null) => id === null || (kinds.get(id) === "managed" && !remote.has(id));

  return {
    defaultRunnerId,
    async acquire({ agentRunnerId, attemptRunnerId, maintenance = false }) {
      if (agentRunnerId !== null && !remote.has(agentRunnerId) && !kinds.has(agentRunnerId)) await sync();
      // An agent bound to some replica's managed runner row means "a managed runner" here too.
      if (isManaged(agentRunnerId)) {
        if (!managedEnabled) throw new Error("this replica runs no managed runner (ORCHESTRATOR_MANAGED_RUNNERS=0)");
        return managed.acquire({ attemptRunnerId, maintenance });
      }
      return remote.acquire(agentRunnerId!, maintenance);
    },
    isHealthy(runnerId) {
      if (runnerId !== null && remote.has(runnerId)) return remote.isHealthy(runnerId);
      if (runnerId !== null && kinds.get(runnerId) !== "managed") return false;
      return managedEnabled && managed.admits();
    },
    async health() {
      const out: RunnerHealthReport[] = [];
      const processes = await managed.probe();
      if (managedEnabled && processes.length === 0) {
        let status: RunnerHealthReport["status"] = "standby";
        let detail = "starts on demand";
        try {
          resolveOpenCodeBinary({ override: config.ORCHESTRATOR_OPENCODE_BIN });
        } catch (e) {
          [status, detail] = ["down", coerceError(e).message];
        }
        if (managed.startError) [status, detail] = ["down", managed.startError];
        out.push({ name: "managed", status, latencyMs: null, detail });
      }
      for (const p of processes) {
        const mib = p.memoryBytes === null ? "?" : Math.round(p.memoryBytes / 1024 / 1024);
        out.push({
          name: p.name,
          status: p.state === "starting" ? "standby" : p.state === "running" && p.healthy ? "up" : "down",
          latencyMs: p.latencyMs,
          detail:
            p.state === "starting"
              ? "starting"
              : `opencode ${p.version} at ${p.url}, ${mib} MiB, ${p.leases} running${p.draining ? ", draining" : ""}`,
        });
      }
      for (const r of remote.list())
        out.push({
          name: r.name,
          status: r.healthy ? "up" : "down",
          latencyMs: r.latencyMs,
          detail: r.error ? `${r.url}: ${r.error}` : r.url,
        });
      return out;
    },
    // This replica's processes first: a remote row naming one's address gains nothing by it, as the
    // agent gate holds every session this replica did not register; the other way round, such a row
    // would lock this replica's attempts out of their own runner.
    headersFor: (baseUrl) => managed.headersFor(baseUrl) ?? remote.headersFor(baseUrl),
    sandboxHealth: () =>
      sandbox?.health ?? {
        status: "standby",
        latencyMs: null,
        detail: "no managed runners: remote runners sandbox their own commands",
      },
    ownsManaged: (runnerId) => managed.owns(runnerId),
    recycle: (runnerId, reason) => managed.recycle(runnerId, reason),
    sync: () => sync(),
    managedProcesses: () => managed.processes(),
    async stop() {
      clearInterval(timer);
      await round;
      await managed.stop();
      await gate?.close();
    },
  };
}

/** Kills what a dead predecessor in this data dir left running (managed processes and their tools). */
async function cleanStaleProcesses(opencodeDir: string, stateRoot: string): Promise<void> {
  // The single runner of earlier versions lived in the opencode dir itself.
  await killStaleRunner(opencodeDir, 5_000);
  const dirs = await readdir(stateRoot).catch(() => [] as string[]);
  await Promise.all(
    dirs.map(async (d) => {
      await killStaleRunner(join(stateRoot, d), 5_000);
      await rm(join(stateRoot, d), { recursive: true, force: true });
    }),
  );
}
