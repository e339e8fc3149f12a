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
 * new clone, `slots` agent slots (the default agent's concurrency, the
 * tenant's quota): sessions per second from the first submit to the last
 * end, and the p95 wait from submit to start. Baseline: OpenCode driven
 * directly, `slots` sessions at a time, each in a new clone, on the same
 * `opencode serve`.
 */
export async function benchBurst(n: number, slots: number): Promise<Burst> {
  const stack = await startBenchStack("orch-bench-burst-", { ORCHESTRATOR_DEFAULT_AGENT_CONCURRENCY: String(slots), ORCHESTRATOR_MAX_CONCURRENT_ATTEMPTS: String(slots) });
  const repo = makeBenchRepo(stack.root);
  try {
    await stack.api.call("patchTenant", { params: { id: DEFAULT_TENANT_ID }, body: { maxConcurrentSessions: slots } });
    // The runner and the orchestrator warm up once, outside the figures.
    await stack.runSession({ prompt: PROMPT, repository: repo });

    const direct = await withSlots(
      Array.from({ length: n }, (_, i) => async () => {
        const dir = join(stack.root, `direct-${i}`);
        cloneBenchRepo(repo, dir);
        await driveDirect(stack.runnerUrl, dir, PROMPT);
      }),
      slots,
    );

    const t0 = Date.now();
    // Queued behind one another on 2 cores, the last may take minutes.
    const sessions = await Promise.all(Array.from({ length: n }, () => stack.runSession({ prompt: PROMPT, repository: repo }, 600_000)));
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
