import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runFile } from "./run-file.mjs";

/*
 * Runs short commands (git) from a small helper process instead of the
 * orchestrator's own. Node starts a child with fork(), whose cost grows with
 * the parent's memory: measured on our machines, 3 ms per spawn from a bare
 * node, ~50 ms from a process of ~850 MB (the embedded database's memory),
 * and all of it blocks the event loop. A session makes some 25 git calls, so
 * in a burst the orchestrator spent most of its time forking. The helper is
 * forked once (lazily), stays small, and forks the commands for us; what
 * crosses between the two is a message per call.
 */

export interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxBuffer: number;
}

/** What execFile reports for a call that did not exit 0 (its `code` is the exit code, or a spawn error's name). */
export interface SpawnFailure {
  code: number | string | null;
  killed: boolean;
  signal: string | null;
  message: string;
}

export interface SpawnResult {
  failure: SpawnFailure | null;
  stdout: string;
  stderr: string;
}

interface Pending {
  resolve(r: SpawnResult): void;
}

const HOST = fileURLToPath(new URL("./spawner-host.mjs", import.meta.url));

let host: ChildProcess | null = null;
const pending = new Map<number, Pending>();
let nextId = 1;

function startHost(): ChildProcess {
  // Its own small heap, none of the parent's flags (a loader, a profiler, a large heap).
  // Room for HOST_MAX_BUFFER of output a few times over (the string, its message); unused heap costs nothing.
  const child = fork(HOST, [], {
    execArgv: ["--max-old-space-size=512"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
    serialization: "json",
  });
  child.on("message", (m: { id: number } & SpawnResult) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (pending.size === 0) unref(child);
    p.resolve({ failure: m.failure, stdout: m.stdout, stderr: m.stderr });
  });
  const gone = (why: string) => {
    if (host === child) host = null;
    // Calls in flight when it went: reported as commands that could not run (their callers retry or fail as for any git failure).
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve({
        failure: { code: null, killed: false, signal: null, message: `the spawner process ${why}` },
        stdout: "",
        stderr: "",
      });
    }
  };
  child.on("exit", (code, signal) => gone(`exited (${signal ?? code})`));
  child.on("error", (e) => gone(`failed: ${e.message}`));
  unref(child);
  return child;
}

// The helper never keeps the orchestrator (or a test) alive: referenced only while a call waits for it.
function unref(child: ChildProcess): void {
  child.unref();
  (child.channel as { unref?: () => void } | undefined)?.unref?.();
}
function ref(child: ChildProcess): void {
  child.ref();
  (child.channel as { ref?: () => void } | undefined)?.ref?.();
}

/** Output the helper passes back; a call that makes more runs again here, with the caller's own limit. */
const HOST_MAX_BUFFER = 32 * 1024 * 1024;
/** A helper that has not answered this long after the call's own timeout is stuck: it is stopped. */
const HOST_GRACE_MS = 15_000;

/**
 * Runs `file args` as execFile would (no shell, utf8 output), from the helper
 * process. Commands are expected to be safe to run twice when their output
 * is larger than the helper passes back (git's reads: diff, show).
 */
export async function spawnViaHost(file: string, args: readonly string[], options: SpawnOptions): Promise<SpawnResult> {
  const viaHost = await callHost(file, args, { ...options, maxBuffer: Math.min(options.maxBuffer, HOST_MAX_BUFFER) });
  if (viaHost.failure?.code === "ERR_CHILD_PROCESS_STDIO_MAXBUFFER" && options.maxBuffer > HOST_MAX_BUFFER)
    return spawnHere(file, args, options);
  return viaHost;
}

function callHost(file: string, args: readonly string[], options: SpawnOptions): Promise<SpawnResult> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = host ??= startHost();
    } catch {
      return resolve(spawnHere(file, args, options));
    }
    const id = nextId++;
    const stuck = setTimeout(() => {
      // Its answer is overdue: a helper that stopped answering takes every call with it; a new one starts.
      if (!pending.has(id)) return;
      child.kill("SIGKILL");
    }, options.timeoutMs + HOST_GRACE_MS);
    stuck.unref();
    pending.set(id, {
      resolve: (r) => {
        clearTimeout(stuck);
        resolve(r);
      },
    });
    ref(child);
    const here = () => {
      clearTimeout(stuck);
      resolve(spawnHere(file, args, options));
    };
    const sent = child.send(
      {
        id,
        file,
        args,
        cwd: options.cwd,
        env: options.env,
        timeoutMs: options.timeoutMs,
        maxBuffer: options.maxBuffer,
      },
      (err) => {
        if (!err || !pending.delete(id)) return;
        if (pending.size === 0) unref(child);
        here();
      },
    );
    if (!sent && !child.connected && pending.delete(id)) here();
  });
}

// The helper could not take the call: the orchestrator's own fork, as before.
function spawnHere(file: string, args: readonly string[], options: SpawnOptions): Promise<SpawnResult> {
  return new Promise((resolve) => runFile(file, args, options, resolve));
}

/** Stops the helper (tests, shutdown); the next call starts a new one. */
export function stopSpawnerHost(): void {
  host?.kill();
  host = null;
}
