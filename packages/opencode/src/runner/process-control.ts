import { readdirSync, readFileSync, readlinkSync, realpathSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Low-level process work for managed runners (Linux /proc where needed):
 * signalling a runner's process group, finding every process it started,
 * reading its memory, and the pidfile that lets a later start clean up after
 * a parent killed with -9.
 */

/**
 * Set in the child's environment to the runner's state dir. OpenCode starts
 * its bash tools in sessions of their own (setsid), out of reach of a group
 * signal, and they outlive it; but they inherit its environment, so this
 * marker finds them, even after they were re-parented to init.
 */
export const RUNNER_MARKER_ENV = "ORCHESTRATOR_RUNNER_STATE_DIR";

/**
 * Sends `signal` to the process group led by `pid`. Runner children are
 * spawned detached, so they lead their own group and this reaches whatever
 * they started. Deliberately no fallback to the bare pid: once the leader is
 * reaped its pid may belong to someone else.
 */
export function signalProcessTree(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Pids of live processes whose environment carries this runner's marker. */
export function findMarkedProcesses(stateDir: string): number[] {
  const needle = `\0${RUNNER_MARKER_ENV}=${stateDir}\0`;
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, "latin1")}`.includes(needle)) pids.push(Number(entry));
    } catch {
      // gone, or another user's process
    }
  }
  return pids.filter(isProcessAlive);
}

/** SIGKILLs every process carrying this runner's marker; returns their pids. */
export function killMarkedProcesses(stateDir: string): number[] {
  const pids = findMarkedProcesses(stateDir);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return pids;
}

/** True while `pid` exists and is not a zombie. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z = exited, waiting to be reaped.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** Polls until `pid` is gone; false on timeout. */
export async function waitForProcessExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await delay(50);
  }
  return true;
}

/** Resident memory of `pid` in bytes (VmRSS of /proc/<pid>/status), or null. */
export function readRssBytes(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export const PIDFILE_NAME = "opencode.pid";

export interface PidfileContent {
  pid: number;
  startedAt: string;
}

export async function writePidfile(stateDir: string, pid: number): Promise<void> {
  const content: PidfileContent = { pid, startedAt: new Date().toISOString() };
  await writeFile(join(stateDir, PIDFILE_NAME), `${JSON.stringify(content)}\n`);
}

export async function removePidfile(stateDir: string): Promise<void> {
  await rm(join(stateDir, PIDFILE_NAME), { force: true });
}

/** The pid in a pidfile's text (JSON or a bare number), or null. */
export function parsePidfile(text: string): number | null {
  let value: unknown = text.trim();
  try {
    value = JSON.parse(text);
  } catch {
    // a bare number is fine too
  }
  const pid = typeof value === "object" && value !== null ? (value as { pid?: unknown }).pid : Number(value);
  return typeof pid === "number" && Number.isInteger(pid) && pid > 1 ? pid : null;
}

/**
 * Whether `pid` is an OpenCode process started for this state dir: its
 * command line names opencode and its cwd is the state dir (runners start
 * their child there). Both checks guard against a recycled pid.
 */
export function isStaleRunnerProcess(pid: number, stateDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
    if (!cmdline.includes("opencode")) return false;
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync(stateDir);
  } catch {
    return false;
  }
}

/**
 * Kills the OpenCode child a previous runner left behind (its parent was
 * killed with -9, so it never stopped it) and any tool process it left,
 * then removes the pidfile. Returns the pid of the stale child, or null.
 */
export async function killStaleRunner(stateDir: string, graceMs: number): Promise<number | null> {
  let pid: number | null = null;
  try {
    pid = parsePidfile(await readFile(join(stateDir, PIDFILE_NAME), "utf8"));
  } catch {
    // no pidfile: there may still be marked leftovers
  }
  let killed: number | null = null;
  if (pid !== null && isProcessAlive(pid) && isStaleRunnerProcess(pid, stateDir)) {
    signalProcessTree(pid, "SIGTERM");
    if (!(await waitForProcessExit(pid, graceMs))) {
      signalProcessTree(pid, "SIGKILL");
      await waitForProcessExit(pid, 5_000);
    }
    killed = pid;
  }
  killMarkedProcesses(stateDir);
  await removePidfile(stateDir);
  return killed;
}
