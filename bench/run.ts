import { benchDispatch } from "./dispatch";
import { benchSandbox } from "./sandbox";
import { benchSessionOverhead } from "./session-overhead";

/**
 * `npm run bench`: each figure is measured against a baseline taken in the
 * same run on the same machine, and printed as a ratio, so that the numbers
 * compare across machines. Needs PostgreSQL on 127.0.0.1 (as the tests do).
 */
const sessions = Number(process.env.BENCH_DISPATCH_SESSIONS ?? 4000);
const overheadRuns = Number(process.env.BENCH_OVERHEAD_SESSIONS ?? 10);

const sandboxRuns = Number(process.env.BENCH_SANDBOX_COMMANDS ?? 200);

const only = process.env.BENCH_ONLY; // "dispatch" | "overhead" | "sandbox": run one of them

if (!only || only === "dispatch") {
console.log(`dispatch: ${sessions} queued sessions, 100 agents, 2 concurrent claimers, PostgreSQL`);
const d = await benchDispatch(sessions);
console.log(`  baseline (bare SKIP LOCKED status flip)   ${d.baseline.toFixed(0).padStart(7)} /s`);
console.log(`  scheduler claim (route, slot, attempt, lease, fencing, events) ${d.ours.toFixed(0).padStart(7)} /s`);
console.log(`  ratio ${(d.ours / d.baseline).toFixed(3)}   target ≥ 1000 dispatches/s: ${d.ours >= 1000 ? "met" : "NOT met"}`);

}

if (!only || only === "overhead") {
console.log(`session overhead: ${overheadRuns} one-step sessions, one warm directory, same opencode serve + scripted model`);
const o = await benchSessionOverhead(overheadRuns);
const overhead = o.orchestratorMs - o.directMs;
console.log(`  baseline (OpenCode driven directly)  ${o.directMs.toFixed(1).padStart(8)} ms/session`);
console.log(`  through the orchestrator              ${o.orchestratorMs.toFixed(1).padStart(8)} ms/session`);
console.log(`  ratio ${(o.orchestratorMs / o.directMs).toFixed(3)}   overhead ${overhead.toFixed(1)} ms/session, target ≤ 50 ms: ${overhead <= 50 ? "met" : "NOT met"}`);
}
if (!only || only === "sandbox") {
  console.log(`sandbox: ${sandboxRuns} commands (\`true\`) from a session's folder, as OpenCode runs a bash tool command`);
  const b = await benchSandbox(sandboxRuns);
  if (!b) console.log("  bubblewrap does not work on this machine: not measured");
  else {
    const cost = b.sandboxedMs - b.baselineMs;
    console.log(`  baseline (/bin/bash -c)                 ${b.baselineMs.toFixed(2).padStart(8)} ms/command`);
    console.log(`  through the sandbox shell (bubblewrap)  ${b.sandboxedMs.toFixed(2).padStart(8)} ms/command`);
    console.log(`  ratio ${(b.sandboxedMs / b.baselineMs).toFixed(3)}   cost ${cost.toFixed(2)} ms/command, target ≤ 20 ms: ${cost <= 20 ? "met" : "NOT met"}`);
  }
}
process.exit(0);
