import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { RUNNER_MARKER_ENV } from "@industrial/opencode";
import {
  createTestDatabase,
  seedPgliteFromTemplate,
  tempDir,
  testAuthEnv,
  testBackend,
  waitFor,
  type TestDatabase,
} from "@industrial/testkit";
import { PGLITE_FOLDER } from "../wiring/storage";

const ROOT = resolve(import.meta.dirname, "../../../..");

/**
 * Starts `orchestrator start` as its own OS process, the way a person does
 * (the bin registers tsx in-process, so a SIGKILL really kills the server),
 * and waits for the line it prints when it listens. `ownGroup`: the process
 * leads a process group of its own (a pod: `killReplica` ends it whole).
 */
export async function startServerProcess(
  env: Record<string, string>,
  args: string[] = [],
  options: { ownGroup?: boolean } = {},
): Promise<{ child: ChildProcess; url: string; output: () => string; stdout: () => string; stderr: () => string }> {
  if (env.ORCHESTRATOR_DATA_DIR && !env.DATABASE_URL && existsSync(env.ORCHESTRATOR_DATA_DIR))
    seedPgliteFromTemplate(join(env.ORCHESTRATOR_DATA_DIR, PGLITE_FOLDER));
  const child = spawn(process.execPath, [join(ROOT, "apps/cli/bin/orchestrator.js"), "start", "--port", "0", ...args], {
    cwd: ROOT,
    // Tests name temp dirs as workspaces (the data dir, also under it, stays refused).
    env: {
      ...process.env,
      LOG_LEVEL: "info",
      ORCHESTRATOR_POLL_INTERVAL_MS: "50",
      ORCHESTRATOR_RATE_LIMIT: "0",
      DATABASE_URL: "",
      ORCHESTRATOR_WORKSPACE_ROOTS: tmpdir(),
      ...testAuthEnv(),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.ownGroup ?? false,
  });
  // Both streams in arrival order, and each on its own (the log stream is stdout; notices and the first admin key, stderr).
  let out = "";
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (b) => {
    out += String(b);
    stdout += String(b);
  });
  child.stderr!.on("data", (b) => {
    out += String(b);
    stderr += String(b);
  });
  // The CLI's own line, printed whatever LOG_LEVEL is. Seconds alone; far more beside the rest of the suite on a slow machine.
  try {
    const url = await waitFor(() => /^orchestrator listening on (http:\/\/\S+)/m.exec(out)?.[1], "server to listen", {
      timeoutMs: 90_000,
    });
    return { child, url, output: () => out, stdout: () => stdout, stderr: () => stderr };
  } catch (e) {
    child.kill("SIGKILL");
    throw new Error(`${(e as Error).message}; its output: ${out.slice(-800)}`);
  }
}

/**
 * The `--demo` servers of a crash test: one after the other on one data dir
 * (and, on PostgreSQL, one database of their own), the way a restarted
 * process finds what the killed one left. `close` kills whatever still runs
 * and removes both, the test passed or not.
 */
export interface CrashTestServers {
  dataDir: string;
  start(): Promise<Awaited<ReturnType<typeof startServerProcess>>>;
  close(): Promise<void>;
}

export async function openCrashTestServers(prefix: string): Promise<CrashTestServers> {
  const dir = tempDir(prefix);
  const db: TestDatabase | null = testBackend() === "postgres" ? await createTestDatabase("postgres") : null;
  const children: ChildProcess[] = [];
  return {
    dataDir: dir.path,
    async start() {
      const s = await startServerProcess(
        { ORCHESTRATOR_DATA_DIR: dir.path, ...(db?.url ? { DATABASE_URL: db.url } : {}) },
        ["--demo"],
      );
      children.push(s.child);
      return s;
    },
    async close() {
      for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
      await db?.drop();
      dir.remove();
    },
  };
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  child.kill(signal);
  return exited;
}

/**
 * Ends a replica as a pod's death does, with SIGKILL: its process group (the
 * server, started with `ownGroup`) and the managed `opencode serve` runners it
 * started under `dataDir` (they lead groups of their own, and their tools
 * sessions of their own: found by the marker they inherit).
 */
export async function killReplica(child: ChildProcess, dataDir: string): Promise<void> {
  const exited =
    child.exitCode === null && child.signalCode === null
      ? new Promise((r) => child.once("exit", r))
      : Promise.resolve();
  try {
    process.kill(-child.pid!, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
  for (const pid of processesMarkedUnder(dataDir)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  await exited;
}

/** Live processes whose environment carries a managed runner's marker under `dataDir` (runners and their tools). */
export function processesMarkedUnder(dataDir: string): number[] {
  const needle = `\0${RUNNER_MARKER_ENV}=${resolve(dataDir)}/`;
  return readdirSync("/proc").flatMap((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return [];
    try {
      return `\0${readFileSync(`/proc/${entry}/environ`, "latin1")}`.includes(needle) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}
