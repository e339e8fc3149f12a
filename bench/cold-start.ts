import { join } from "node:path";
import type { RecordedRequest } from "@industrial/scripted-model";
import { percentile } from "./percentile";
import { cloneBenchRepo, driveDirect, makeBenchRepo, startBenchStack } from "./stack";

// Two steps, as in the burst: a file written, then the answer.
const PROMPT = `Write a file, then answer.\nSCRIPT: [{"tool":"write","input":{"filePath":"out.txt","content":"x\\n"}},{"text":"done"}]`;

export interface ColdStart {
  /** Submit → the first model request, p50 (ms). */
  firstRequest: { direct: number; orchestrator: number };
  /** The last model request → the end (OpenCode idle and read; for us `finishedAt`), p50 (ms). */
  finish: { direct: number; orchestrator: number };
}

/** The session's model requests (titles left out), by the working directory OpenCode put in their system prompt. */
function requestsIn(requests: RecordedRequest[], dir: string): number[] {
  return requests.filter((r) => r.tools.length > 0 && r.workingDirectory === dir).map((r) => Date.parse(r.time));
}

/**
 * Sessions on a repository, each in a clone of its own, so each is a
 * directory OpenCode has never seen (its instance starts cold): from the
 * submit to the first model request, and from the last model request to the
 * session's end. Baseline: OpenCode driven directly in a new directory of the
 * same repository, on the same `opencode serve` and scripted model.
 */
export async function benchColdStart(n: number): Promise<ColdStart> {
  // Every session in a clone of its own: no warm slot.
  const stack = await startBenchStack("orch-bench-cold-", { ORCHESTRATOR_WARM_SLOTS: "0" });
  const repo = makeBenchRepo(stack.root);
  const out = {
    first: { direct: [] as number[], orchestrator: [] as number[] },
    finish: { direct: [] as number[], orchestrator: [] as number[] },
  };
  try {
    // The runner and the orchestrator warm up once (first instance, first connection pool), outside the figures.
    await stack.runSession({ prompt: PROMPT, repository: repo });
    for (let i = 0; i < n; i++) {
      const dir = join(stack.root, `direct-${i}`);
      cloneBenchRepo(repo, dir);
      const d = await driveDirect(stack.runnerUrl, dir, PROMPT);
      const dr = requestsIn(stack.model.requests(), dir);
      out.first.direct.push(dr[0]! - d.openedAt);
      out.finish.direct.push(d.doneAt - dr.at(-1)!);

      const s = await stack.runSession({ prompt: PROMPT, repository: repo });
      const or = requestsIn(stack.model.requests(), s.workspacePath!);
      out.first.orchestrator.push(or[0]! - s.t0);
      out.finish.orchestrator.push(Date.parse(s.finishedAt!) - or.at(-1)!);
      stack.model.reset();
    }
    return {
      firstRequest: { direct: percentile(out.first.direct, 50), orchestrator: percentile(out.first.orchestrator, 50) },
      finish: { direct: percentile(out.finish.direct, 50), orchestrator: percentile(out.finish.orchestrator, 50) },
    };
  } finally {
    await stack.stop();
  }
}

/**
 * The same sessions one after another on a repository with warm slots on
 * (ORCHESTRATOR_WARM_SLOTS=1): each starts in the slot the one before
 * finished in, a new clone at a path OpenCode's instance already knows.
 * Baseline: OpenCode driven directly again and again in one directory it
 * knows, on the same `opencode serve`.
 */
export async function benchWarmSlotStart(
  n: number,
): Promise<ColdStart & { session: { direct: number; orchestrator: number } }> {
  const stack = await startBenchStack("orch-bench-slot-", { ORCHESTRATOR_WARM_SLOTS: "1" });
  const repo = makeBenchRepo(stack.root);
  const dir = join(stack.root, "direct");
  cloneBenchRepo(repo, dir);
  const out = {
    first: { direct: [] as number[], orchestrator: [] as number[] },
    finish: { direct: [] as number[], orchestrator: [] as number[] },
    whole: { direct: [] as number[], orchestrator: [] as number[] },
  };
  try {
    // The slot's first session builds its instance; the direct directory's first drive builds its own.
    await stack.runSession({ prompt: PROMPT, repository: repo });
    await driveDirect(stack.runnerUrl, dir, PROMPT);
    stack.model.reset();
    for (let i = 0; i < n; i++) {
      const d = await driveDirect(stack.runnerUrl, dir, PROMPT);
      const dr = requestsIn(stack.model.requests(), dir);
      out.first.direct.push(dr[0]! - d.openedAt);
      out.finish.direct.push(d.doneAt - dr.at(-1)!);
      out.whole.direct.push(d.doneAt - d.openedAt);
      stack.model.reset();

      const s = await stack.runSession({ prompt: PROMPT, repository: repo });
      const or = requestsIn(stack.model.requests(), s.workspacePath!);
      out.first.orchestrator.push(or[0]! - s.t0);
      out.finish.orchestrator.push(Date.parse(s.finishedAt!) - or.at(-1)!);
      out.whole.orchestrator.push(Date.parse(s.finishedAt!) - s.t0);
      stack.model.reset();
    }
    const p50 = (xs: { direct: number[]; orchestrator: number[] }) => ({
      direct: percentile(xs.direct, 50),
      orchestrator: percentile(xs.orchestrator, 50),
    });
    return { firstRequest: p50(out.first), finish: p50(out.finish), session: p50(out.whole) };
  } finally {
    await stack.stop();
  }
}
