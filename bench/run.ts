import { cpus } from "node:os";
import { join } from "node:path";
import { benchDispatch, benchHeadOfLine, benchQueueDepth } from "./dispatch";
import { formatBenchTable, writeBenchResults, type BenchRow } from "./report";
import { benchBurst } from "./burst";
import { benchColdStart } from "./cold-start";
import { benchEventPipeline } from "./event-pipeline";
import { benchSandbox } from "./sandbox";
import { benchSessionOverhead } from "./session-overhead";

/**
 * `npm run bench`: each figure is measured against a baseline taken in the
 * same run on the same machine, and printed as a ratio, so that the numbers
 * compare across machines. Ends with the whole table; a full run (no
 * BENCH_ONLY) also writes it to bench/results/latest.json and draws it in
 * bench/results/latest.svg, which the README shows. Needs PostgreSQL on
 * 127.0.0.1 (as the tests do).
 */
const sessions = Number(process.env.BENCH_DISPATCH_SESSIONS ?? 4000);
const blocked = Number(process.env.BENCH_HOL_BLOCKED ?? 500);
const overheadRuns = Number(process.env.BENCH_OVERHEAD_SESSIONS ?? 10);
const sandboxRuns = Number(process.env.BENCH_SANDBOX_COMMANDS ?? 200);
const coldRuns = Number(process.env.BENCH_COLD_SESSIONS ?? 8);
const burstSessions = Number(process.env.BENCH_BURST_SESSIONS ?? 40);
const pipelineEvents = Number(process.env.BENCH_PIPELINE_EVENTS ?? 10_000);
const only = process.env.BENCH_ONLY; // "dispatch" | "overhead" | "cold" | "burst" | "events" | "sandbox": run one of them
const startedAt = new Date().toISOString();
const rows: BenchRow[] = [];
const step = (text: string) => console.log(`… ${text}`);

if (!only || only === "dispatch") {
  step(`dispatch: ${sessions} queued sessions, 100 agents, 2 concurrent claimers, PostgreSQL (baseline: a bare SKIP LOCKED status flip)`);
  const d = await benchDispatch(sessions);
  rows.push({
    figure: `dispatches/s, ${sessions} queued, 2 claimers`,
    unit: "/s",
    baseline: d.baseline,
    ours: d.ours,
    better: "higher",
    target: "≥ 2 000/s and ≥ 0.25×",
    met: d.ours >= 2000 && d.ours / d.baseline >= 0.25,
  });
  step(`head-of-line: a session an idle agent can take, ${blocked} that only a busy specialist can take queued ahead of it (baseline: nothing ahead)`);
  const h = await benchHeadOfLine(blocked);
  rows.push({ figure: `dispatch round, ${blocked} unroutable ahead`, unit: "ms", baseline: h.baselineMs, ours: h.behindMs, better: "lower", target: "≤ 1 000 ms", met: h.behindMs <= 1000 });
  step("queue depth: the round that starts one session, 10 queued (baseline) and 10 000 queued");
  const q = await benchQueueDepth(10, 10_000);
  rows.push({ figure: "dispatch round, 10 000 queued (vs 10)", unit: "ms", baseline: q.smallMs, ours: q.largeMs, better: "lower", target: "flat (≤ 1.5×)", met: q.largeMs <= 1.5 * q.smallMs });
}
if (!only || only === "overhead") {
  step(`session overhead: ${overheadRuns} one-step sessions, one warm directory, same opencode serve + scripted model (baseline: OpenCode driven directly)`);
  const o = await benchSessionOverhead(overheadRuns);
  rows.push({
    figure: "one-step session, warm directory",
    unit: "ms",
    baseline: o.directMs,
    ours: o.orchestratorMs,
    better: "lower",
    target: "≤ +50 ms",
    met: o.orchestratorMs - o.directMs <= 50,
  });
}
if (!only || only === "cold") {
  step(`cold start: ${coldRuns} two-step sessions on a repository, each in a new clone (baseline: OpenCode driven directly in a new clone)`);
  const c = await benchColdStart(coldRuns);
  rows.push({ figure: "submit → first model request, new directory (p50)", unit: "ms", baseline: c.firstRequest.direct, ours: c.firstRequest.orchestrator, better: "lower", target: "≤ 500 ms", met: c.firstRequest.orchestrator <= 500 });
  rows.push({ figure: "last model request → completed (p50)", unit: "ms", baseline: c.finish.direct, ours: c.finish.orchestrator, better: "lower", target: "≤ 150 ms", met: c.finish.orchestrator <= 150 });
}
if (!only || only === "burst") {
  step(`burst: ${burstSessions} two-step sessions submitted at once, each in a new clone, 16 agent slots (baseline: OpenCode driven directly, 16 at a time)`);
  const b = await benchBurst(burstSessions, 16);
  rows.push({ figure: `burst of ${burstSessions}, 16 slots: sessions/s`, unit: "/s", baseline: b.perSecond.direct, ours: b.perSecond.orchestrator, better: "higher", target: "≥ 2/s", met: b.perSecond.orchestrator >= 2 });
  rows.push({ figure: `burst of ${burstSessions}: wait for a slot, p95`, unit: "ms", baseline: b.waitP95.direct, ours: b.waitP95.orchestrator, better: "lower", target: "≤ 5 000 ms", met: b.waitP95.orchestrator <= 5000 });
}
if (!only || only === "events") {
  step(`event pipeline: ${pipelineEvents} log events in commits of 50 to 100 WebSocket clients (on a thread of their own), as fast as it goes, then half as many at 1 000/s for the latency; embedded database (baseline: a bare ws server broadcasting the same frames)`);
  const e = await benchEventPipeline(pipelineEvents, 100);
  if (e.ours.gaps > 0 || e.baseline.gaps > 0) console.log(`  gaps: ours ${e.ours.gaps}, baseline ${e.baseline.gaps}`);
  rows.push({ figure: "event pipeline to 100 clients: events/s", unit: "/s", baseline: e.baseline.perSecond, ours: e.ours.perSecond, better: "higher", target: "≥ 5 000/s, no gap", met: e.ours.perSecond >= 5000 && e.ours.gaps === 0 });
  rows.push({ figure: "event pipeline at 1 000/s: latency p99", unit: "ms", baseline: e.baseline.p99Ms, ours: e.ours.p99Ms, better: "lower", target: "≤ 50 ms", met: e.ours.p99Ms <= 50 });
}
if (!only || only === "sandbox") {
  step(`sandbox: ${sandboxRuns} commands (\`true\`) from a session's folder, as OpenCode runs a bash tool command (baseline: /bin/bash -c)`);
  const b = await benchSandbox(sandboxRuns);
  if (!b) console.log("  bubblewrap does not work on this machine: not measured");
  else rows.push({ figure: "agent command through the sandbox", unit: "ms", baseline: b.baselineMs, ours: b.sandboxedMs, better: "lower", target: "≤ +20 ms", met: b.sandboxedMs - b.baselineMs <= 20 });
}

console.log(`\n${formatBenchTable(rows)}`);
if (!only) {
  const dir = join(import.meta.dirname, "results");
  writeBenchResults(dir, rows, { startedAt, machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Node ${process.version}` });
  console.log(`\nwritten: ${join(dir, "latest.json")}, ${join(dir, "latest.svg")}`);
}
process.exit(0);
