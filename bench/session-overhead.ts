import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { driveDirect, startBenchStack } from "./stack";

const PROMPT = `Answer at once.\nSCRIPT: [{"text":"done"}]`;

// OpenCode driven directly, from a subscribed stream to the read messages.
const direct = async (url: string, dir: string) => {
  const d = await driveDirect(url, dir, PROMPT);
  return d.doneAt - d.subscribedAt;
};

/**
 * Per-session overhead of the orchestrator over driving OpenCode directly,
 * both against the same `opencode serve` and scripted model, one session at
 * a time in one warm directory, so the difference is our own work: the API,
 * queueing, dispatch, leases, event translation and writes, the checkpoint
 * commit and the final diff.
 */
export async function benchSessionOverhead(n: number): Promise<{ directMs: number; orchestratorMs: number }> {
  const stack = await startBenchStack("orch-bench-");
  const dir = join(stack.root, "work");
  execFileSync("mkdir", ["-p", dir]);
  try {
    const viaOrchestrator = async () => {
      const s = await stack.runSession({ prompt: PROMPT, directory: dir });
      return s.seenDoneAt - s.t0;
    };
    // The orchestrator makes the directory a repository on first use; both sides then share its warm instance.
    await viaOrchestrator();
    await direct(stack.runnerUrl, dir);
    let directTotal = 0;
    let orchestratorTotal = 0;
    // Interleaved, so drift in OpenCode's own speed falls on both sides alike.
    for (let i = 0; i < n; i++) {
      directTotal += await direct(stack.runnerUrl, dir);
      orchestratorTotal += await viaOrchestrator();
    }
    return { directMs: directTotal / n, orchestratorMs: orchestratorTotal / n };
  } finally {
    await stack.stop();
  }
}
