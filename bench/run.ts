import { cpus } from "node:os";
import { join } from "node:path";
import { API_CONNECTIONS, benchApi } from "./api";
import { benchDispatch, benchHeadOfLine, benchQueueDepth } from "./dispatch";
import { benchDispatchPglite, benchDispatchSchedulers } from "./dispatch-scale";
import { formatBenchTable, writeBenchResults, type BenchRow } from "./report";
import { benchBurst } from "./burst";
import { benchColdStart, benchWarmSlotStart } from "./cold-start";
import { benchEventPipeline } from "./event-pipeline";
import { benchMemory } from "./memory";
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
const burstLarge = Number(process.env.BENCH_BURST_LARGE ?? 200);
const pipelineEvents = Number(process.env.BENCH_PIPELINE_EVENTS ?? 10_000);
const pgliteSessions = Number(process.env.BENCH_DISPATCH_PGLITE_SESSIONS ?? 2000);
const apiSessions = Number(process.env.BENCH_API_SESSIONS ?? 10_000);
const apiSeconds = Number(process.env.BENCH_API_SECONDS ?? 8);
const memorySessions = Number(process.env.BENCH_MEMORY_SESSIONS ?? 30);
// "dispatch" | "dispatch-scale" | "overhead" | "cold" | "warm" | "burst" | "events" | "sandbox" | "api" | "memory": run one of them
const only = process.env.BENCH_ONLY;
const startedAt = new Date().toISOString();
const rows: BenchRow[] = [];
const step = (text: string) => console.log(`… ${text}`);

if (!only || only === "dispatch") {
  step(
    `dispatch: ${sessions} queued sessions, 100 agents, 2 concurrent claimers, PostgreSQL (baseline: a bare SKIP LOCKED status flip)`,
  );
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
  step(
    `head-of-line: a session an idle agent can take, ${blocked} that only a busy specialist can take queued ahead of it (baseline: nothing ahead)`,
  );
  const h = await benchHeadOfLine(blocked);
  rows.push({
    figure: `dispatch round, ${blocked} unroutable ahead`,
    unit: "ms",
    baseline: h.baselineMs,
    ours: h.behindMs,
    better: "lower",
    target: "≤ 1 000 ms",
    met: h.behindMs <= 1000,
  });
  step("queue depth: the round that starts one session, 10 queued (baseline) and 10 000 queued");
  const q = await benchQueueDepth(10, 10_000);
  rows.push({
    figure: "dispatch round, 10 000 queued (vs 10)",
    unit: "ms",
    baseline: q.smallMs,
    ours: q.largeMs,
    better: "lower",
    target: "flat (≤ 1.5×)",
    met: q.largeMs <= 1.5 * q.smallMs,
  });
}
if (!only || only === "dispatch-scale") {
  step(
    `dispatch, 3 schedulers: ${sessions} queued sessions, 100 agents, 3 claimers each with its own connection pool and replica name, PostgreSQL (baseline: the bare SKIP LOCKED status flip, 3 claimers)`,
  );
  const s = await benchDispatchSchedulers(sessions, 3);
  rows.push({
    figure: `dispatches/s, ${sessions} queued, 3 schedulers`,
    unit: "/s",
    baseline: s.baseline,
    ours: s.ours,
    better: "higher",
    target: "≥ 2 000/s and ≥ 0.25×",
    met: s.ours >= 2000 && s.ours / s.baseline >= 0.25,
  });
  step(
    `dispatch on the embedded database: ${pgliteSessions} queued sessions, 100 agents, one scheduler, PGlite on disk (baseline: the bare SKIP LOCKED status flip on it)`,
  );
  const p = await benchDispatchPglite(pgliteSessions);
  rows.push({
    figure: `dispatches/s, ${pgliteSessions} queued, PGlite`,
    unit: "/s",
    baseline: p.baseline,
    ours: p.ours,
    better: "higher",
    target: "≥ 2 000/s and ≥ 0.25×",
    met: p.ours >= 2000 && p.ours / p.baseline >= 0.25,
  });
}
if (!only || only === "overhead") {
  step(
    `session overhead: ${overheadRuns} one-step sessions, one warm directory, same opencode serve + scripted model (baseline: OpenCode driven directly)`,
  );
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
  step(
    `cold start: ${coldRuns} two-step sessions on a repository, each in a new clone (baseline: OpenCode driven directly in a new clone)`,
  );
  const c = await benchColdStart(coldRuns);
  rows.push({
    figure: "submit → first model request, new directory (p50)",
    unit: "ms",
    baseline: c.firstRequest.direct,
    ours: c.firstRequest.orchestrator,
    better: "lower",
    target: "≤ 500 ms",
    met: c.firstRequest.orchestrator <= 500,
  });
  rows.push({
    figure: "last model request → completed (p50)",
    unit: "ms",
    baseline: c.finish.direct,
    ours: c.finish.orchestrator,
    better: "lower",
    target: "≤ 150 ms",
    met: c.finish.orchestrator <= 150,
  });
}
if (!only || only === "warm") {
  step(
    `warm slot: ${coldRuns} two-step sessions one after another on a repository, each starting in the warm slot the one before ended in (baseline: OpenCode driven directly in a directory it knows)`,
  );
  const w = await benchWarmSlotStart(coldRuns);
  rows.push({
    figure: "submit → first model request, warm slot (p50)",
    unit: "ms",
    baseline: w.firstRequest.direct,
    ours: w.firstRequest.orchestrator,
    better: "lower",
    target: "≤ 500 ms",
    met: w.firstRequest.orchestrator <= 500,
  });
  rows.push({
    figure: "last model request → completed, warm slot (p50)",
    unit: "ms",
    baseline: w.finish.direct,
    ours: w.finish.orchestrator,
    better: "lower",
    target: "≤ 150 ms",
    met: w.finish.orchestrator <= 150,
  });
  rows.push({
    figure: "two-step session, warm slot (p50)",
    unit: "ms",
    baseline: w.session.direct,
    ours: w.session.orchestrator,
    better: "lower",
    target: "≤ 1.10×",
    met: w.session.orchestrator <= 1.1 * w.session.direct,
  });
}
if (!only || only === "burst") {
  for (const n of [burstSessions, burstLarge]) {
    step(
      `burst: ${n} two-step sessions on a repository submitted at once, 16 agent slots and 16 warm slots (baseline: OpenCode driven directly, 16 at a time, in 16 directories it knows)`,
    );
    const b = await benchBurst(n, 16, { warm: true });
    rows.push({
      figure: `burst of ${n}, 16 slots: sessions/s`,
      unit: "/s",
      baseline: b.perSecond.direct,
      ours: b.perSecond.orchestrator,
      better: "higher",
      target: "≥ 2/s",
      met: b.perSecond.orchestrator >= 2,
    });
    rows.push({
      figure: `burst of ${n}: wait for a slot, p95`,
      unit: "ms",
      baseline: b.waitP95.direct,
      ours: b.waitP95.orchestrator,
      better: "lower",
      target: "≤ 5 000 ms",
      met: b.waitP95.orchestrator <= 5000,
    });
  }
}
if (!only || only === "events") {
  step(
    `event pipeline: ${pipelineEvents} log events in commits of 50 to 100 WebSocket clients (on a thread of their own), as fast as it goes, then half as many at 1 000/s for the latency; embedded database (baseline: a bare ws server broadcasting the same frames)`,
  );
  const e = await benchEventPipeline(pipelineEvents, 100);
  if (e.ours.gaps > 0 || e.baseline.gaps > 0) console.log(`  gaps: ours ${e.ours.gaps}, baseline ${e.baseline.gaps}`);
  rows.push({
    figure: "event pipeline to 100 clients: events/s",
    unit: "/s",
    baseline: e.baseline.perSecond,
    ours: e.ours.perSecond,
    better: "higher",
    target: "≥ 5 000/s, no gap",
    met: e.ours.perSecond >= 5000 && e.ours.gaps === 0,
  });
  rows.push({
    figure: "event pipeline at 1 000/s: latency p99",
    unit: "ms",
    baseline: e.baseline.p99Ms,
    ours: e.ours.p99Ms,
    better: "lower",
    target: "≤ 50 ms",
    met: e.ours.p99Ms <= 50,
  });
}
if (!only || only === "sandbox") {
  step(
    `sandbox: ${sandboxRuns} commands (\`true\`) from a session's folder, as OpenCode runs a bash tool command (baseline: /bin/bash -c)`,
  );
  const b = await benchSandbox(sandboxRuns);
  if (!b) console.log("  bubblewrap does not work on this machine: not measured");
  else
    rows.push({
      figure: "agent command through the sandbox",
      unit: "ms",
      baseline: b.baselineMs,
      ours: b.sandboxedMs,
      better: "lower",
      target: "≤ +20 ms",
      met: b.sandboxedMs - b.baselineMs <= 20,
    });
}
if (!only || only === "api") {
  step(
    `API: GET and POST /api/v1/sessions, ${apiSessions} finished sessions in the table, ${API_CONNECTIONS} connections for ${apiSeconds} s each (autocannon on a thread of its own), PostgreSQL, authentication on (baseline: a bare Fastify handler answering the same bytes)`,
  );
  const a = await benchApi(apiSessions, apiSeconds);
  console.log(
    `  GET: ${a.list.bytes} bytes, p99 ${a.list.baseline.p99Ms} ms bare, ${a.list.ours.p99Ms} ms ours; POST: ${a.create.bytes} bytes, p99 ${a.create.baseline.p99Ms} ms bare, ${a.create.ours.p99Ms} ms ours`,
  );
  const read = a.list.ours.perSecond / a.list.baseline.perSecond;
  rows.push({
    figure: `GET /sessions, ${apiSessions} in table: req/s`,
    unit: "/s",
    baseline: a.list.baseline.perSecond,
    ours: a.list.ours.perSecond,
    better: "higher",
    target: "≥ 0.3×",
    met: read >= 0.3,
  });
  rows.push({
    figure: `GET /sessions, ${API_CONNECTIONS} conns: latency p99`,
    unit: "ms",
    baseline: a.list.baseline.p99Ms,
    ours: a.list.ours.p99Ms,
    better: "lower",
    target: "≤ 50 ms",
    met: a.list.ours.p99Ms <= 50,
  });
  rows.push({
    figure: "POST /sessions (queues): req/s",
    unit: "/s",
    baseline: a.create.baseline.perSecond,
    ours: a.create.ours.perSecond,
    better: "higher",
    target: "≥ 0.3×",
    met: a.create.ours.perSecond / a.create.baseline.perSecond >= 0.3,
  });
}
if (!only || only === "memory") {
  step(
    `memory: ${memorySessions} sessions running at once, each in a new worktree and asleep in its model call, PostgreSQL (baseline: the same orchestrator idle, after one warm-up session)`,
  );
  const m = await benchMemory(memorySessions);
  const per = (idle: number, busy: number) => (busy - idle) / m.sessions;
  console.log(
    `  all ${m.sessions} asleep ${(m.startedMs / 1000).toFixed(1)} s after the first submit${m.settled ? "" : "; the resident set did not hold still within 60 s before a figure: RSS is rough"}`,
  );
  console.log(
    `  per running session: RSS ${per(m.idle.rssMb, m.running.rssMb).toFixed(2)} MB, heap used ${per(m.idle.heapUsedMb, m.running.heapUsedMb).toFixed(2)} MB (${m.gc ? "medians of 5 samples, each after a full gc" : "no gc to be had: medians of 5 samples"}; of it, the in-process scripted model holds ~${m.modelHeldKb.toFixed(0)} KB per sleeping call)`,
  );
  const target = `≤ idle + ${m.sessions} MB (1 MB each)`;
  rows.push({
    figure: `orchestrator RSS, ${m.sessions} running (vs idle)`,
    unit: "MB",
    baseline: m.idle.rssMb,
    ours: m.running.rssMb,
    better: "lower",
    target,
    met: per(m.idle.rssMb, m.running.rssMb) <= 1,
  });
  rows.push({
    figure: `orchestrator heap used, ${m.sessions} running (vs idle)`,
    unit: "MB",
    baseline: m.idle.heapUsedMb,
    ours: m.running.heapUsedMb,
    better: "lower",
    target,
    met: per(m.idle.heapUsedMb, m.running.heapUsedMb) <= 1,
  });
}

console.log(`\n${formatBenchTable(rows)}`);
if (!only) {
  const dir = join(import.meta.dirname, "results");
  writeBenchResults(dir, rows, {
    startedAt,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? "cpu"}, Node ${process.version}`,
  });
  console.log(`\nwritten: ${join(dir, "latest.json")}, ${join(dir, "latest.svg")}`);
}
process.exit(0);
