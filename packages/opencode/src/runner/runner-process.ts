import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as delay } from "node:timers/promises";
import { startDeadline, UnavailableError } from "@industrial/core";
import { signalProcessTree } from "./process-control";

/**
 * Starting one `opencode serve` child and waiting until it really serves.
 * The managed runner (managed-runner.ts) supervises these.
 */

/** One line the child printed. */
export interface RunnerLogLine {
  stream: "stdout" | "stderr";
  text: string;
  pid: number;
}

export interface RunnerHealthCheck {
  healthy: boolean;
  version: string | null;
  latencyMs: number;
  error?: string;
}

export interface StartedProcess {
  child: ChildProcess & { pid: number };
  url: string;
  version: string;
}

export interface StartProcessInput {
  bin: string;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  logger?: (line: RunnerLogLine) => void;
  /** The runner's Authorization header (its password is in `env`): the readiness probe needs it too. */
  headers?: Record<string, string>;
}

const LISTENING = /opencode server listening on (https?:\/\/\S+)/;
// The port accepts connections ~250 ms before the server answers, and a
// request sent in that window hangs: every readiness probe has a short timeout.
const PROBE_TIMEOUT_MS = 250;

/** GET /global/health with a timeout; never throws. */
export async function checkHealth(
  url: string,
  timeoutMs: number,
  headers?: Record<string, string>,
): Promise<RunnerHealthCheck> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const deadline = startDeadline(timeoutMs);
  try {
    const res = await fetch(`${url}/global/health`, { signal: deadline.signal, ...(headers ? { headers } : {}) });
    const body = (await res.json().catch(() => null)) as { healthy?: unknown; version?: unknown } | null;
    if (!res.ok || body?.healthy !== true)
      return { healthy: false, version: null, latencyMs: latency(), error: `GET /global/health → ${res.status}` };
    return { healthy: true, version: typeof body.version === "string" ? body.version : null, latencyMs: latency() };
  } catch (e) {
    const error = (e as Error).name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : (e as Error).message;
    return { healthy: false, version: null, latencyMs: latency(), error };
  } finally {
    deadline.clear();
  }
}

/** Resolves with the URL of the listening line; rejects if the child exits or the deadline passes. */
function waitForListening(child: ChildProcess & { pid: number }, input: StartProcessInput): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error(`no "opencode server listening" line within ${input.timeoutMs} ms`)),
      input.timeoutMs,
    );
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(new Error(`opencode exited during start (code ${code}, signal ${signal})`));
    const onError = (e: Error) => finish(e);
    function finish(result: Error | string) {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.off("error", onError);
      if (typeof result === "string") resolve(result);
      else reject(result);
    }
    child.once("exit", onExit);
    child.once("error", onError);
    for (const stream of ["stdout", "stderr"] as const) {
      const source = child[stream];
      if (!source) continue;
      createInterface({ input: source }).on("line", (line) => {
        input.logger?.({ stream, text: line, pid: child.pid });
        const match = LISTENING.exec(line);
        if (match?.[1]) finish(match[1]);
      });
    }
  });
}

/**
 * Spawns `opencode serve --hostname 127.0.0.1 --port 0` (port 0 tries 4096
 * first, so the URL is read from its output) in its own process group, waits
 * for the listening line, then for a healthy `/global/health`.
 */
export async function startOpenCodeProcess(input: StartProcessInput): Promise<StartedProcess> {
  const spawned = spawn(input.bin, ["serve", "--hostname", "127.0.0.1", "--port", "0"], {
    cwd: input.cwd,
    env: input.env,
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: stop() signals the whole tree (bash tools included).
    detached: true,
  });
  if (spawned.pid === undefined) {
    const error = await new Promise<Error>((resolve) => spawned.once("error", resolve));
    throw new UnavailableError(`cannot start OpenCode (${input.bin}): ${error.message}`, { cause: error });
  }
  const child = spawned as ChildProcess & { pid: number };
  const deadline = Date.now() + input.timeoutMs;
  try {
    const url = await waitForListening(child, input);
    for (;;) {
      const health = await checkHealth(url, PROBE_TIMEOUT_MS, input.headers);
      if (health.healthy) return { child, url, version: health.version ?? "unknown" };
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error("opencode exited before it became healthy");
      if (Date.now() > deadline) throw new Error(`${url} not healthy within ${input.timeoutMs} ms: ${health.error}`);
      await delay(50);
    }
  } catch (e) {
    signalProcessTree(child.pid, "SIGKILL");
    throw new UnavailableError(`OpenCode did not start: ${(e as Error).message}`, {
      cause: e,
      context: { bin: input.bin, pid: child.pid },
    });
  }
}
