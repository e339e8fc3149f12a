import { INFRASTRUCTURE_LOST } from "@industrial/core";
import pg from "pg";
import type { Cluster } from "./cluster";
import type { ModelProcess } from "./model-process";
import { describeLoss, remoteGit } from "./loss-report";
import { attributeRequests, computeOverlaps, readRequestLog, type Overlap, type SessionTimeline } from "./overlaps";
import type { SubmittedSession } from "./workload";

/** One row of the chaos table: what a scenario submitted and what became of it. */
export interface ChaosRow {
  scenario: string;
  fault: string;
  submitted: number;
  completed: number;
  failedAsExpected: number;
  /** Ended otherwise than its script meant (a session meant to complete that failed, or the reverse). */
  unexpected: number;
  /** Not terminal at the end, or ended without every file its script wrote on its branch of the work remote. */
  lost: number;
  /** Sessions with two attempts live at once (attempts table or the model's log). */
  runTwice: number;
  /** Attempts ended as lost to the infrastructure (and continued by a new one), and adoptions: how hard the fault hit. */
  infraLost: number;
  adoptions: number;
  staleDatabase: number;
  staleGit: number;
  seconds: number;
  problems: string[];
}

interface SessionRow {
  id: string;
  status: string;
  error: { code: string; message: string } | null;
}

const TERMINAL = ["completed", "failed", "cancelled"];

/** What the database says of the sessions: status, attempts, and who held each attempt when. */
export async function readFacts(
  databaseUrl: string,
  ids: string[],
): Promise<{
  sessions: Map<string, SessionRow>;
  timelines: Map<string, Omit<SessionTimeline, "short">>;
  infraLost: number;
  adoptions: number;
}> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const sessions = await c.query<SessionRow>("SELECT id, status, error FROM sessions WHERE id = ANY($1::uuid[])", [
      ids,
    ]);
    const attempts = await c.query<{
      session_id: string;
      number: number;
      started_at: Date;
      finished_at: Date | null;
      error_code: string | null;
    }>(
      "SELECT session_id, number, started_at, finished_at, error->>'code' AS error_code FROM attempts WHERE session_id = ANY($1::uuid[])",
      [ids],
    );
    const holders = await c.query<{
      session_id: string;
      attempt: number;
      replica: string;
      action: string;
      created_at: Date;
    }>(
      `SELECT session_id, (payload->>'attempt')::int AS attempt, payload->>'replica' AS replica, payload->>'action' AS action, created_at
         FROM session_events WHERE type = 'session.attempt' AND session_id = ANY($1::uuid[]) AND payload->>'replica' IS NOT NULL`,
      [ids],
    );
    const timelines = new Map<string, Omit<SessionTimeline, "short">>(
      ids.map((id) => [id, { holders: [], attempts: [] }]),
    );
    for (const a of attempts.rows)
      timelines.get(a.session_id)!.attempts.push({
        number: a.number,
        startedAt: a.started_at.getTime(),
        finishedAt: a.finished_at?.getTime() ?? null,
      });
    for (const h of holders.rows)
      timelines.get(h.session_id)!.holders.push({ attempt: h.attempt, replica: h.replica, at: h.created_at.getTime() });
    const infraLost = attempts.rows.filter((a) => a.error_code === INFRASTRUCTURE_LOST).length;
    const adoptions = holders.rows.filter((h) => h.action === "adopted").length;
    return { sessions: new Map(sessions.rows.map((s) => [s.id, s])), timelines, infraLost, adoptions };
  } finally {
    await c.end();
  }
}

/** Files of `files` that the session branch on the work remote does not hold with that content. */
export function missingFiles(workRemoteDir: string, short: string, files: Record<string, string>): string[] {
  const git = (...args: string[]) => remoteGit(workRemoteDir, ...args);
  let tree: Set<string>;
  try {
    tree = new Set(git("ls-tree", "-r", "--name-only", `refs/heads/orchestrator/${short}`).split("\n").filter(Boolean));
  } catch {
    return Object.keys(files).map((f) => `${f} (no branch orchestrator/${short})`);
  }
  return Object.entries(files).flatMap(([path, content]) => {
    if (!tree.has(path)) return [path];
    return git("show", `refs/heads/orchestrator/${short}:${path}`) === content ? [] : [`${path} (other content)`];
  });
}

/**
 * Judges a scenario's sessions once they ended (or the wait for them gave
 * up): the row, and the problems that make the suite fail, each named.
 */
export async function judge(input: {
  cluster: Cluster;
  model: ModelProcess;
  databaseUrl: string;
  workRemoteDir: string;
  scenario: string;
  fault: string;
  sessions: SubmittedSession[];
  startedAt: number;
  staleBefore: { database: number; git: number };
}): Promise<{ row: ChaosRow; overlaps: Overlap[] }> {
  const {
    sessions: rows,
    timelines,
    infraLost,
    adoptions,
  } = await readFacts(
    input.databaseUrl,
    input.sessions.map((s) => s.id),
  );
  const problems: string[] = [];
  let completed = 0;
  let failedAsExpected = 0;
  let unexpected = 0;
  let lost = 0;
  for (const s of input.sessions) {
    const row = rows.get(s.id);
    const status = row?.status ?? "missing";
    const name = `${s.scenario} #${s.index} (${s.short}, ${s.where})`;
    if (!TERMINAL.includes(status)) {
      lost++;
      problems.push(`${name}: not terminal (${status})`);
      continue;
    }
    if (status === "completed") completed++;
    if (status !== s.expect) {
      unexpected++;
      problems.push(
        `${name}: ${status}, meant to end ${s.expect}${row?.error ? `: ${row.error.code} ${row.error.message}` : ""}`,
      );
    } else if (status === "failed") failedAsExpected++;
    // Completed or failed, what its script wrote before the end was checkpointed and must be on the work remote.
    const missing = missingFiles(input.workRemoteDir, s.short, s.files);
    if (missing.length) {
      lost++;
      const report = await describeLoss(input.databaseUrl, input.workRemoteDir, s.id, s.short, Object.keys(s.files));
      problems.push(`${name}: ${status} but the work remote lacks ${missing.join(", ")}\n    ${report}`);
    }
  }
  // The workload's prompts begin "Chaos <scenario> #<index>:" (workload.ts).
  const byLabel = new Map(input.sessions.map((s) => [`Chaos ${s.scenario} #${s.index}`, s.short]));
  const requests = attributeRequests(
    readRequestLog(input.model.requestLog),
    input.cluster.incarnations,
    (label) => byLabel.get(label?.split(":")[0] ?? "") ?? null,
  );
  const shorts = new Set(input.sessions.map((s) => s.short));
  const overlaps = computeOverlaps(
    input.sessions.map((s) => ({ short: s.short, ...timelines.get(s.id)! })),
    requests.filter((r) => shorts.has(r.short)),
  );
  // The model witness must have seen every session (each asks for its first step at least): else it reads the log wrong and would see no overlap either.
  const asked = new Set(requests.map((r) => r.short));
  for (const s of input.sessions)
    if (!asked.has(s.short))
      problems.push(`${s.scenario} #${s.index} (${s.short}): no request of it in the model's log`);
  const twice = new Set(overlaps.map((o) => o.short));
  for (const o of overlaps) problems.push(`run twice at once (${o.witness}): ${o.short}: ${o.detail}`);
  for (const r of input.cluster.incarnations)
    if (r.crashed && r.endedAt! >= input.startedAt)
      problems.push(`replica ${r.id} ${r.crashed}: ${r.output().slice(-400)}`);
  if (input.model.crashed)
    problems.push(`the scripted model ${input.model.crashed}: ${input.model.output().slice(-400)}`);
  const stale = await input.cluster.staleTotals();
  const row: ChaosRow = {
    scenario: input.scenario,
    fault: input.fault,
    submitted: input.sessions.length,
    completed,
    failedAsExpected,
    unexpected,
    lost,
    runTwice: twice.size,
    infraLost,
    adoptions,
    staleDatabase: stale.database - input.staleBefore.database,
    staleGit: stale.git - input.staleBefore.git,
    seconds: Math.round((Date.now() - input.startedAt) / 1000),
    problems,
  };
  return { row, overlaps };
}

/** Waits until every session is terminal (or `timeoutMs` passed), reading the database directly. */
export async function waitForTerminal(databaseUrl: string, ids: string[], timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let open = ids.length;
    try {
      const { sessions } = await readFacts(databaseUrl, ids);
      open = ids.filter((id) => !TERMINAL.includes(sessions.get(id)?.status ?? "")).length;
    } catch {
      // the database restarting: try again
    }
    if (open === 0 || Date.now() > deadline) return open;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The table, one row per scenario, then what each fault was (CI shows the console). */
export function formatTable(rows: readonly ChaosRow[]): string {
  const head = [
    "scenario",
    "submitted",
    "completed",
    "failed as expected",
    "unexpected",
    "lost",
    "run twice at once",
    "stale writes refused (db/git)",
    "attempts lost to infra / adoptions",
    "s",
  ];
  const body = rows.map((r) =>
    [
      r.scenario,
      r.submitted,
      r.completed,
      r.failedAsExpected,
      r.unexpected,
      r.lost,
      r.runTwice,
      `${r.staleDatabase}/${r.staleGit}`,
      `${r.infraLost}/${r.adoptions}`,
      r.seconds,
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const faults = rows.map((r) => `  ${r.scenario}: ${r.fault}`);
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line), ...faults].join("\n");
}
