import { sessionShortId } from "@industrial/core";
import type { Cluster } from "./cluster";

/**
 * What the chaos scenarios submit: sessions whose scripts write files across
 * several checkpoints (one per model call) with sleeps between, so a fault
 * lands in the middle of their work; and a few meant to fail (a 400 from the
 * model after their files), which must end `failed`, not be retried into
 * success or lost.
 */
export interface PlannedSession {
  scenario: string;
  index: number;
  expect: "completed" | "failed";
  /** Path → content: what the script writes, and what the session branch on the work remote must hold. */
  files: Record<string, string>;
  /** Where it works: a scratch repository, or a worktree cut from the seed repository served by the git daemon. */
  where: "scratch" | "url";
  steps: unknown[];
}

export interface SubmittedSession extends PlannedSession {
  id: string;
  short: string;
}

export interface WorkloadOptions {
  scenario: string;
  count: number;
  /** Files per session (one checkpoint each). */
  files: number;
  /** Sleep between two writes (ms); jittered ±50 % per session so the sessions do not march in step. */
  sleepMs: number;
  /** Every n-th session is meant to fail (0: none). */
  failEvery?: number;
  random: () => number;
}

export function planWorkload(o: WorkloadOptions): PlannedSession[] {
  return Array.from({ length: o.count }, (_, index) => {
    const expect = o.failEvery && index % o.failEvery === o.failEvery - 1 ? "failed" : "completed";
    const files: Record<string, string> = {};
    const steps: unknown[] = [];
    for (let f = 1; f <= o.files; f++) {
      const path = f === o.files ? `nested/dir/f${f}.txt` : `f${f}.txt`;
      files[path] = `${o.scenario} session ${index} file ${f}\n`;
      if (f > 1) steps.push({ sleep_ms: Math.round(o.sleepMs * (0.5 + o.random())) });
      steps.push({ tool: "write", input: { filePath: path, content: files[path] } });
    }
    // A 400 fails the OpenCode session at once (not retried by OpenCode), after the files were checkpointed.
    steps.push(
      expect === "failed"
        ? { error: { status: 400, message: `chaos: session ${index} is meant to fail` } }
        : { text: `done: ${o.files} files` },
    );
    return { scenario: o.scenario, index, expect, files, where: index % 2 === 0 ? "scratch" : "url", steps };
  });
}

/** Submits each planned session through any replica (another one when the first does not answer). */
export async function submitWorkload(
  cluster: Cluster,
  planned: PlannedSession[],
  seedUrl: string,
): Promise<SubmittedSession[]> {
  const out: SubmittedSession[] = [];
  for (const p of planned) {
    const prompt = `Chaos ${p.scenario} #${p.index}: write ${Object.keys(p.files).length} files\nSCRIPT: ${JSON.stringify(p.steps)}`;
    const body = {
      title: `chaos ${p.scenario} #${p.index}`,
      prompt,
      // One attempt: a loss to the infrastructure must not count against it, and nothing else may fail these sessions.
      retry: { maxAttempts: 1, backoffBaseSeconds: 0.5 },
      tags: ["chaos", p.scenario],
      ...(p.where === "url" ? { repository: seedUrl, pushTo: "work" as const } : {}),
    };
    // Spread over the replicas; never retried: a POST that got no answer may have created the session
    // (it would run unaccounted). Scenarios submit before their fault begins.
    const replicas = cluster.living().filter((r) => !r.frozen);
    const s = await replicas[p.index % replicas.length]!.api.call("createSession", { body });
    out.push({ ...p, id: s.id, short: sessionShortId(s.id) });
  }
  return out;
}

/** A seeded generator (mulberry32): a run's faults can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
