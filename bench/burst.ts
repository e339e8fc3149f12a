import { join } from "node:path";
import { DEFAULT_TENANT_ID } from "@industrial/core";
import { percentile } from "./percentile";
import { cloneBenchRepo, driveDirect, makeBenchRepo, startBenchStack } from "./stack";

// Two steps, as in issue 13's burst: a file written, then the answer.
const PROMPT = `Write a file, then answer.\nSCRIPT: [{"tool":"write","input":{"filePath":"out.txt","content":"x\\n"}},{"text":"done"}]`;

export interface Burst {
  perSecond: { direct: number; orchestrator: number };
  /** Time from submit to start, p95 (ms): for the direct side, the wait for one of the `slots`. */
  waitP95: { direct: number; orchestrator: number };
}

/** Runs `jobs` with at most `slots` at once; returns each job's wait for a slot (ms) and the whole time. */
async function withSlots(jobs: (() => Promise<void>)[], slots: number): Promise<{ waits: number[]; ms: number }> {
  const t0 = Date.now();
  const waits: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: slots }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        waits.push(Date.now() - t0);
        await job();
      }
    }),
  );
  return { waits, ms: Date.now() - t0 };
}

/**
 * A burst: `n` two-step sessions on a repository submitted at once, each in a
 * new clone (warm: in warm slots, one per agent slot, against OpenCode driven
 * directly in as many directories it knows), `slots` agent slots (the default agent's concurrency, the
 * tenant's quota): sessions per second from the first submit to the last
 * end, and the p95 wait from submit to start. Baseline: OpenCode driven
 * directly, `slots` sessions at a time, each in a new clone, on the same
 * `opencode serve`.
 */
export async function benchBurst(n: number, slots: number, options: { warm?: boolean } = {}): Promise<Burst> {
  const warm = options.warm ?? false;
  const env: Record<string, string> = {
    ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: String(slots),
    ORCHESTRATOR_MAX_CONCURRENT_ATTEMPTS: String(slots),
  };
  // Warm: as many warm slots as agent slots, so every session can start where one ended.
  env.ORCHESTRATOR_WARM_SLOTS = warm ? String(slots) : "0";
  const stack = await startBenchStack(warm ? "orch-bench-burst-warm-" : "orch-bench-burst-", env);
  const repo = makeBenchRepo(stack.root);
  try {
    await stack.api.call("patchTenant", { params: { id: DEFAULT_TENANT_ID }, body: { maxConcurrentSessions: slots } });
    // The runner and the orchestrator warm up once, outside the figures (warm: every slot, and as many direct directories).
    await Promise.all(
      Array.from({ length: warm ? slots : 1 }, () => stack.runSession({ prompt: PROMPT, repository: repo }, 600_000)),
    );
    const warmDirs = Array.from({ length: warm ? slots : 0 }, (_, k) => join(stack.root, `direct-warm-${k}`));
    for (const dir of warmDirs) cloneBenchRepo(repo, dir);
    await Promise.all(warmDirs.map((dir) => driveDirect(stack.runnerUrl, dir, PROMPT)));

    const free = [...warmDirs];
    const direct = await withSlots(
      Array.from({ length: n }, (_, i) => async () => {
        if (warm) {
          // A warm directory of its own for the job's time: OpenCode alone in directories it knows.
          const dir = free.pop()!;
          await driveDirect(stack.runnerUrl, dir, PROMPT);
          free.push(dir);
          return;
        }
        const dir = join(stack.root, `direct-${i}`);
        cloneBenchRepo(repo, dir);
        await driveDirect(stack.runnerUrl, dir, PROMPT);
      }),
      slots,
    );

    const t0 = Date.now();
    // Queued behind one another on 2 cores, the last may take minutes.
    const sessions = await Promise.all(
      Array.from({ length: n }, () => stack.runSession({ prompt: PROMPT, repository: repo }, 600_000)),
    );
    const ms = Math.max(...sessions.map((s) => s.seenDoneAt)) - t0;
    const waits = sessions.map((s) => Date.parse(s.startedAt!) - Date.parse(s.createdAt));
    return {
      perSecond: { direct: n / (direct.ms / 1000), orchestrator: n / (ms / 1000) },
      waitP95: { direct: percentile(direct.waits, 95), orchestrator: percentile(waits, 95) },
    };
  } finally {
    await stack.stop();
  }
}
