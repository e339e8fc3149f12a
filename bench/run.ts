import { benchDispatch } from "./dispatch";
import { benchSessionOverhead } from "./session-overhead";

/**
 * `npm run bench`: each figure is measured against a baseline taken in the
 * same run on the same machine, and printed as a ratio, so that the numbers
 * compare across machines. Needs PostgreSQL on 127.0.0.1 (as the tests do).
 */
const sessions = Number(process.env.BENCH_DISPATCH_SESSIONS ?? 4000);
const overheadRuns = Number(process.env.BENCH_OVERHEAD_SESSIONS ?? 10);

const only = process.env.BENCH_ONLY; // "dispatch" | "overhead": run one of the two

if (only !== "overhead") {
console.log(`dispatch: ${sessions} queued sessions, 100 agents, 2 concurrent claimers, PostgreSQL`);
const d = await benchDispatch(sessions);
console.log(`  baseline (bare SKIP LOCKED status flip)   ${d.baseline.toFixed(0).padStart(7)} /s`);
console.log(`  scheduler claim (route, slot, attempt, lease, fencing, events) ${d.ours.toFixed(0).padStart(7)} /s`);
console.log(`  ratio ${(d.ours / d.baseline).toFixed(3)}   target ≥ 1000 dispatches/s: ${d.ours >= 1000 ? "met" : "NOT met"}`);

}

if (only !== "dispatch") {
console.log(`session overhead: ${overheadRuns} one-step sessions, one warm directory, same opencode serve + scripted model`);
const o = await benchSessionOverhead(overheadRuns);
const overhead = o.orchestratorMs - o.directMs;
console.log(`  baseline (OpenCode driven directly)  ${o.directMs.toFixed(1).padStart(8)} ms/session`);
console.log(`  through the orchestrator              ${o.orchestratorMs.toFixed(1).padStart(8)} ms/session`);
console.log(`  ratio ${(o.orchestratorMs / o.directMs).toFixed(3)}   overhead ${overhead.toFixed(1)} ms/session, target ≤ 50 ms: ${overhead <= 50 ? "met" : "NOT met"}`);
}
process.exit(0);
