import { Session } from "node:inspector/promises";
import { DEFAULT_TENANT_ID } from "@industrial/core";
import { createBenchDatabase } from "./postgres";
import { makeBenchRepo, startBenchStack } from "./stack";

// One model call that sleeps (up to ten minutes; the bench stops the sessions long before): the session is running,
// its OpenCode turn open, its events stream and lease held, and nothing else happens.
const PROMPT = `Wait.\nSCRIPT: [{"sleep_ms":600000},{"text":"done"}]`;
// A first session runs to its end before the idle figure, so the code paths and pools it warms count in both.
const WARM_PROMPT = `Answer at once.\nSCRIPT: [{"text":"done"}]`;

/** The orchestrator process's memory (MB): resident set and V8 heap used. */
export interface Memory {
  rssMb: number;
  heapUsedMb: number;
}

export interface MemoryFigures {
  idle: Memory;
  running: Memory;
  sessions: number;
  /** Whether a full garbage collection ran before each sample (else the median of several samples). */
  gc: boolean;
  /** Whether the resident set held still before both figures (see `settle`). */
  settled: boolean;
  /** From the first submit until all were asleep in their model call (ms). */
  startedMs: number;
  /** What the scripted model (in this process too) keeps per sleeping call until it answers: the call's messages, as JSON (KB). */
  modelHeldKb: number;
}

/** A full collection before each sample; null when there is none to be had (the samples' median then). */
type Collect = (() => Promise<void>) | null;

/**
 * A full collection as V8 makes one on low memory, asked through the inspector
 * in this process (HeapProfiler.collectGarbage: full GCs that also shrink the
 * young generation, whose committed size otherwise follows the last seconds'
 * allocation rate, ±30 MB); `gc()` under `--expose-gc` when the inspector is
 * not there.
 */
function createCollector(): { collect: Collect; close(): void } {
  try {
    const session = new Session();
    session.connect();
    return {
      collect: async () => void (await session.post("HeapProfiler.collectGarbage")),
      close: () => session.disconnect(),
    };
  } catch {
    const gc = (globalThis as { gc?: () => void }).gc;
    return { collect: gc ? async () => gc() : null, close: () => {} };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median of 5 samples 200 ms apart, each after a full collection when there is one. */
async function sample(collect: Collect): Promise<Memory> {
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < 5; i++) {
    await collect?.();
    const m = process.memoryUsage();
    rss.push(m.rss / 1024 / 1024);
    heap.push(m.heapUsed / 1024 / 1024);
    await sleep(200);
  }
  return { rssMb: median(rss), heapUsedMb: median(heap) };
}

/**
 * Waits, a full collection each second, until the resident set has held
 * within ±1 MB for 10 s, and the process has run for 45 s (at most 60 s in
 * all). It falls in steps some seconds after the work that raised it, with no
 * change to the main heap: V8 giving pooled pages back, and tsx's module
 * loader, which runs on a thread of its own whose heap this process holds
 * too, shrinking — by ~35–45 MB once, ~15–20 s after the process started
 * (later on a busy machine). In a full run the process is minutes old by then;
 * alone (BENCH_ONLY=memory) the first figure waits for it. Whether it held.
 */
async function settle(collect: Collect): Promise<boolean> {
  const readings: { at: number; rss: number }[] = [];
  for (const t0 = Date.now(); Date.now() - t0 < 60_000;) {
    await collect?.();
    const now = Date.now();
    readings.push({ at: now, rss: process.memoryUsage().rss / 1024 / 1024 });
    const window = readings.filter((r) => now - r.at <= 10_000).map((r) => r.rss);
    if (now - t0 >= 10_000 && process.uptime() >= 45 && Math.max(...window) - Math.min(...window) <= 2) return true;
    await sleep(1000);
  }
  return false;
}

/** Polls `check` every 250 ms until it is true; throws with `what` after `ms`. */
async function until(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`memory bench: ${what} within ${ms / 1000} s`);
    await sleep(250);
  }
}

/**
 * Memory per running session: the orchestrator (this process: it starts the
 * server in-process, as bench/stack.ts does) idle after one warm-up session,
 * then with `n` sessions running at once, each in its own worktree of a
 * repository and each inside a model call that sleeps — the resident set and
 * the V8 heap used, after a full collection. PostgreSQL holds the data, so
 * the embedded database's own pages (PGlite grows its WASM heap and never
 * gives it back) do not blur the figure; the scripted model and the bench's
 * client live in this process too, but hold only a socket, a timer and the
 * call's messages per sleeping call (measured, and printed; the model's
 * record of the requests is dropped before sampling).
 */
export async function benchMemory(n: number): Promise<MemoryFigures> {
  const { collect, close } = createCollector();
  const database = await createBenchDatabase("orch_bench_memory");
  // Room for all n at once: the default agent's slots, the replica's attempts and the tenant's quota.
  const stack = await startBenchStack("orch-bench-memory-", {
    ...database.env,
    ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: String(n),
    ORCHESTRATOR_MAX_CONCURRENT_ATTEMPTS: String(n),
  });
  const ids: string[] = [];
  try {
    await stack.api.call("patchTenant", { params: { id: DEFAULT_TENANT_ID }, body: { maxConcurrentSessions: n } });
    const repo = makeBenchRepo(stack.root);
    await stack.runSession({ prompt: WARM_PROMPT, repository: repo });
    stack.model.reset();
    const idleHeld = await settle(collect);
    const idle = await sample(collect);

    for (let i = 0; i < n; i++)
      ids.push(
        (
          await stack.api.call("createSession", {
            body: { prompt: PROMPT, repository: repo, retry: { maxAttempts: 1 } },
          })
        ).id,
      );
    // Running, and each one's model call open: OpenCode warms the n new directories one after another (1–2 s each).
    const sleeping = () =>
      new Set(
        stack.model
          .requests()
          .filter((r) => r.tools.length > 0 && r.outcome === "pending")
          .map((r) => r.workingDirectory),
      ).size;
    const submitted = Date.now();
    await until(`${n} sessions asleep in their model call`, 30_000 + n * 4_000, () => sleeping() >= n);
    const startedMs = Date.now() - submitted;
    const running = await stack.api.call("listSessions", { query: { status: ["running"], limit: 200 } });
    if (running.total !== n) throw new Error(`memory bench: ${running.total} of ${n} sessions running`);
    const calls = stack.model.requests().filter((r) => r.tools.length > 0 && r.outcome === "pending");
    const modelHeldKb = calls.reduce((sum, r) => sum + JSON.stringify(r.messages).length, 0) / calls.length / 1024;
    stack.model.reset();
    // What the start of each turn left (event writes, the first checkpoint) is done, and V8's pools given back, before the figure.
    const busyHeld = await settle(collect);
    const busy = await sample(collect);
    return {
      idle,
      running: busy,
      sessions: n,
      gc: collect !== null,
      modelHeldKb,
      startedMs,
      settled: idleHeld && busyHeld,
    };
  } finally {
    // Stopped, so the replica has no lease to hand back at its own stop.
    await Promise.allSettled(ids.map((id) => stack.api.call("stopSession", { params: { id } })));
    await until(
      "the sessions stopped",
      120_000,
      async () =>
        (await stack.api.call("listSessions", { query: { status: ["running", "degraded"], limit: 1 } })).total === 0,
    ).catch((e: unknown) => console.log(`  ${(e as Error).message}`));
    await stack.stop();
    await database.drop();
    close();
  }
}
