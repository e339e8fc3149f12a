import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { InvalidInputError } from "@industrial/core";
import { type BackoffOptions, computeBackoffDelay } from "../backoff";
import { resolveOpenCodeBinary } from "./opencode-binary";
import type { OpenCodeConfig } from "./opencode-config";
import {
  killMarkedProcesses,
  killStaleRunner,
  readRssBytes,
  removePidfile,
  signalProcessTree,
  writePidfile,
} from "./process-control";
import { computeRunnerAuthHeaders, createRunnerPassword, writeRunnerSecretsPlugin } from "./runner-auth";
import { computeRunnerEnv, prepareIsolatedDirs } from "./runner-env";
import { computeRunnerEnvProblems } from "./runner-env-policy";
import {
  checkHealth,
  type RunnerHealthCheck,
  type RunnerLogLine,
  startOpenCodeProcess,
  type StartedProcess,
} from "./runner-process";

/**
 * A managed runner: one supervised `opencode serve` child. Invariants:
 * - one runner per `stateDir` (its pidfile and, when isolated, its XDG homes unless
 *   `isolatedHome` puts them elsewhere: runners sharing one home share OpenCode's sessions);
 * - the child runs in its own process group, and every process it starts carries
 *   `ORCHESTRATOR_RUNNER_STATE_DIR=<stateDir>`; stop() leaves none of them behind;
 * - a crashed child is restarted with backoff, at most `maxRestarts` times in a row;
 *   the URL may change on restart, so read `url` each time (or listen for "restart");
 * - it answers only requests carrying `headers()` (runner-auth.ts): a password of its
 *   own, drawn when it starts and kept across its restarts, so that a client or event
 *   stream that follows it to its new child still holds the right one.
 */

export interface ManagedRunnerOptions {
  /** Directory owned by this runner: child cwd, pidfile, XDG homes when isolated. */
  stateDir: string;
  /** From computeOpenCodeConfig. */
  config: OpenCodeConfig;
  /** Own XDG homes (tests, demo). Default false: the person's OpenCode setup applies. */
  isolate?: boolean;
  /**
   * Where the isolated XDG homes live (default: stateDir). Several runners
   * given the same home share OpenCode's storage (sessions, snapshots): a
   * session created by one can be continued by another.
   */
  isolatedHome?: string;
  /** Explicit OpenCode binary; default: the installed platform package. */
  binaryPath?: string;
  startTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace on stop. */
  stopGraceMs?: number;
  /** Restarts in a row before the runner gives up ("failed"). */
  maxRestarts?: number;
  restartBackoff?: BackoffOptions;
  /** A child that ran this long resets the restart count. */
  stableAfterMs?: number;
  /**
   * The orchestrator's variables the child inherits besides the allow-list
   * (names or `PREFIX_*` patterns): provider credentials. Its own secrets are
   * refused (runner-env-policy.ts).
   */
  inheritEnv?: readonly string[];
  /** Extra environment for the child, applied last. */
  env?: Record<string, string>;
  /**
   * Default true: the child requires the runner's own password. False only
   * for a stand-in for an operator's remote `opencode serve` that runs
   * without one (tests, the bench); the orchestrator's own runners never pass it.
   */
  authenticate?: boolean;
  /** Receives every line the child prints. */
  logger?: (line: RunnerLogLine) => void;
}

export function defaultManagedRunnerOptions() {
  return {
    isolate: false,
    startTimeoutMs: 20_000,
    stopGraceMs: 5_000,
    maxRestarts: 5,
    restartBackoff: { baseMs: 500, maxMs: 10_000, jitter: 0.2 },
    stableAfterMs: 60_000,
  } satisfies Partial<ManagedRunnerOptions>;
}

export type ManagedRunnerState = "running" | "restarting" | "stopping" | "stopped" | "failed";

export type ManagedRunnerEvent =
  | { type: "exit"; pid: number; code: number | null; signal: NodeJS.Signals | null; expected: boolean }
  | {
      type: "restarting";
      attempt: number;
      delayMs: number;
      /** Why the previous start attempt failed, if it did. */ error?: string;
    }
  | { type: "restart"; url: string; pid: number; version: string; attempt: number }
  | { type: "failed"; error: Error };

export type ManagedRunnerListener<T extends ManagedRunnerEvent["type"]> = (
  event: Extract<ManagedRunnerEvent, { type: T }>,
) => void;

export interface ManagedRunner {
  /** Base URL of the current child (changes after a restart). */
  readonly url: string;
  readonly version: string;
  /** Pid of the current child, null while restarting or stopped. */
  readonly pid: number | null;
  readonly state: ManagedRunnerState;
  /** Restarts so far. */
  readonly restarts: number;
  /** The Authorization header every request to this runner needs ({} when it runs without a password). */
  headers(): Record<string, string>;
  /** GET /global/health of the current child (default timeout 2 s); never throws. */
  health(timeoutMs?: number): Promise<RunnerHealthCheck>;
  /** RSS of the child from /proc, or null. */
  memoryBytes(): number | null;
  /** SIGTERM, then SIGKILL after the grace; resolves when no process of the runner is left. */
  stop(): Promise<void>;
  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  on<T extends ManagedRunnerEvent["type"]>(type: T, listener: ManagedRunnerListener<T>): () => void;
}

/** Starts a managed runner and resolves once it serves. */
export async function createManagedRunner(options: ManagedRunnerOptions): Promise<ManagedRunner> {
  const opts = { ...defaultManagedRunnerOptions(), ...options };
  const inherit = opts.inheritEnv ?? [];
  const refused = computeRunnerEnvProblems(inherit);
  if (refused.length)
    throw new InvalidInputError(
      `runner environment: ${refused.join("; ")}`,
      refused.map((reason) => ({ path: "inheritEnv", reason })),
    );
  const stateDir = resolve(opts.stateDir);
  const bin = resolveOpenCodeBinary({ override: opts.binaryPath });
  await mkdir(stateDir, { recursive: true });
  const isolatedHome = resolve(opts.isolatedHome ?? stateDir);
  if (opts.isolate) await prepareIsolatedDirs(isolatedHome);
  await killStaleRunner(stateDir, opts.stopGraceMs);
  const password = opts.authenticate === false ? undefined : createRunnerPassword();
  const headers = password === undefined ? {} : computeRunnerAuthHeaders(password);
  // The password reaches the child's environment only; the plugin keeps it out of the agents' commands.
  const config =
    password === undefined
      ? opts.config
      : { ...opts.config, plugin: [...(opts.config.plugin ?? []), writeRunnerSecretsPlugin(stateDir)] };
  const env = computeRunnerEnv({
    base: process.env,
    config,
    stateDir,
    isolate: opts.isolate,
    isolatedHome,
    inherit,
    extra: opts.env,
    ...(password === undefined ? {} : { password }),
  });
  const start = () =>
    startOpenCodeProcess({ bin, cwd: stateDir, env, timeoutMs: opts.startTimeoutMs, logger: opts.logger, headers });

  const listeners = new Map<string, Set<(event: ManagedRunnerEvent) => void>>();
  const emit = (event: ManagedRunnerEvent) => {
    for (const listener of listeners.get(event.type) ?? []) {
      try {
        listener(event);
      } catch {
        // A listener's bug must not take the supervisor down.
      }
    }
  };

  let current: StartedProcess | null = null;
  let url = "";
  let version = "";
  let state: ManagedRunnerState = "running";
  let restarts = 0;
  let consecutive = 0;
  let startedAt = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let restartInFlight: Promise<void> | null = null;
  let stopPromise: Promise<void> | null = null;
  let exited: Promise<void> = Promise.resolve();
  // Last resort if the parent exits without stop(): kill the child group synchronously.
  const exitHook = () => {
    if (current) signalProcessTree(current.child.pid, "SIGKILL");
    killMarkedProcesses(stateDir);
  };
  process.on("exit", exitHook);

  const childExit = ({ child }: StartedProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((done) => child.once("exit", () => done()));

  async function adopt(started: StartedProcess): Promise<void> {
    current = started;
    url = started.url;
    version = started.version;
    startedAt = Date.now();
    const { child } = started;
    exited = childExit(started);
    child.once("exit", (code, signal) => onExit(started, code, signal));
    await writePidfile(stateDir, child.pid);
  }

  function onExit(started: StartedProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (current !== started) return;
    current = null;
    const expected = stopPromise !== null;
    // Whatever the child left behind (running bash tools: own sessions, so
    // found by their environment marker) goes with it.
    signalProcessTree(started.child.pid, "SIGKILL");
    killMarkedProcesses(stateDir);
    emit({ type: "exit", pid: started.child.pid, code, signal, expected });
    if (expected) return;
    if (Date.now() - startedAt >= opts.stableAfterMs) consecutive = 0;
    scheduleRestart();
  }

  function scheduleRestart(lastError?: Error): void {
    if (stopPromise) return;
    if (consecutive >= opts.maxRestarts) {
      state = "failed";
      void removePidfile(stateDir);
      emit({ type: "failed", error: new Error(`OpenCode crashed ${consecutive} times in a row; giving up`) });
      return;
    }
    const delayMs = computeBackoffDelay(consecutive, opts.restartBackoff);
    consecutive += 1;
    state = "restarting";
    emit({ type: "restarting", attempt: consecutive, delayMs, ...(lastError ? { error: lastError.message } : {}) });
    restartTimer = setTimeout(() => {
      restartTimer = null;
      restartInFlight = restartNow().finally(() => {
        restartInFlight = null;
      });
    }, delayMs);
  }

  async function restartNow(): Promise<void> {
    let started: StartedProcess;
    try {
      started = await start();
    } catch (e) {
      scheduleRestart(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    if (stopPromise) {
      // stop() came while this child was starting: it must not outlive stop().
      const gone = childExit(started);
      signalProcessTree(started.child.pid, "SIGKILL");
      await gone;
      return;
    }
    await adopt(started);
    restarts += 1;
    state = "running";
    emit({ type: "restart", url: started.url, pid: started.child.pid, version: started.version, attempt: consecutive });
  }

  async function stopNow(): Promise<void> {
    state = "stopping";
    if (restartTimer) clearTimeout(restartTimer);
    await restartInFlight;
    const running = current;
    if (running) {
      const { pid } = running.child;
      signalProcessTree(pid, "SIGTERM");
      const graceful = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), opts.stopGraceMs).unref()),
      ]);
      if (!graceful) signalProcessTree(pid, "SIGKILL");
      // onExit has SIGKILLed whatever else was left in the group by now.
      await exited;
    }
    await removePidfile(stateDir);
    process.off("exit", exitHook);
    state = "stopped";
  }

  try {
    await adopt(await start());
  } catch (e) {
    process.off("exit", exitHook);
    throw e;
  }

  return {
    get url() {
      return url;
    },
    get version() {
      return version;
    },
    get pid() {
      return current?.child.pid ?? null;
    },
    get state() {
      return state;
    },
    get restarts() {
      return restarts;
    },
    headers: () => ({ ...headers }),
    health: (timeoutMs = 2_000) => checkHealth(url, timeoutMs, headers),
    memoryBytes: () => (current ? readRssBytes(current.child.pid) : null),
    stop: () => (stopPromise ??= stopNow()),
    on(type, listener) {
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      const wrapped = listener as (event: ManagedRunnerEvent) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
  };
}
