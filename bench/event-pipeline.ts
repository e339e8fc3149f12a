import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { createApiClient } from "@industrial/contracts";
import { startOrchestrator, type Orchestrator } from "@industrial/server";
import { WebSocketServer } from "ws";
import { appendLogLines, benchAdminKey, benchOrchestratorEnv } from "./stack";

export interface PipelineFigures {
  /** Written as fast as it goes: events per second until every client has the last one. */
  perSecond: number;
  /** Written at PACE events/s: delivery latency, write → client. */
  p50Ms: number;
  p99Ms: number;
  /** Events a client missed or got out of order, all clients together, both runs. */
  gaps: number;
}

/** What the clients report (bench/event-clients.mjs): every one has the last event at `lastAt`. */
type ClientsResult = { lastAt: number; gaps: number; p50: number; p99: number };
/** A run's outcome: the clients', and when its first write was made. */
type Run = ClientsResult & { t0: number };

/** The paced run's rate (events/s): below what both sides sustain, so latency is delivery, not a backlog. */
const PACE = 1000;

const BATCH = 50;

/** The clients on a thread of their own (bench/event-clients.mjs): ready once connected; `result` once each has `n` events. */
async function startClients(input: {
  url: string;
  headers: Record<string, string>;
  clients: number;
  n: number;
  from: number;
}) {
  const worker = new Worker(new URL("./event-clients.mjs", import.meta.url), { workerData: input });
  let done!: (r: ClientsResult) => void;
  const result = new Promise<ClientsResult>((r) => (done = r));
  await new Promise<void>((ready, fail) => {
    worker.on("message", (m: ClientsResult & { kind: string }) => (m.kind === "ready" ? ready() : done(m)));
    worker.once("error", fail);
  });
  return { result, stop: () => worker.terminate() };
}

/**
 * The event pipeline: `n` log events written to a session's log in commits of
 * 50 (as a running attempt writes them) and delivered to `clients` WebSocket
 * clients of the session (on a thread of their own), the orchestrator on the
 * embedded database: events per second from the first write until every
 * client has the last one, delivery latency (write → client) and gaps.
 * Baseline: a bare `ws` server broadcasting the same frames to as many
 * clients, nothing written.
 */
export async function benchEventPipeline(
  n: number,
  clients: number,
): Promise<{ baseline: PipelineFigures; ours: PipelineFigures }> {
  return { baseline: await bare(n, clients), ours: await throughOrchestrator(n, clients) };
}

function combine(n: number, fast: Run, paced: Run): PipelineFigures {
  return {
    perSecond: n / ((fast.lastAt - fast.t0) / 1000),
    p50Ms: paced.p50,
    p99Ms: paced.p99,
    gaps: fast.gaps + paced.gaps,
  };
}

/** Hands `n` events to `write` in batches of BATCH: as fast as it goes, or at `pace` events/s. */
async function produce(
  n: number,
  pace: number | null,
  write: (texts: string[], firstSeq: number) => Promise<void>,
): Promise<number> {
  const t0 = Date.now();
  for (let written = 0; written < n; written += BATCH) {
    if (pace !== null) {
      const due = t0 + (written / pace) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    await write(texts(written + 1, Math.min(BATCH, n - written)), written + 1);
  }
  return t0;
}

const texts = (first: number, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${Date.now()} line ${first + i}`);

async function bare(n: number, clients: number): Promise<PipelineFigures> {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  await new Promise((r) => server.once("listening", r));
  const port = (server.address() as { port: number }).port;
  const run = async (count: number, pace: number | null): Promise<Run> => {
    const c = await startClients({ url: `ws://127.0.0.1:${port}`, headers: {}, clients, n: count, from: 0 });
    try {
      const t0 = await produce(count, pace, async (batch, first) => {
        const frames = batch.map((text, i) =>
          JSON.stringify({
            type: "session.log",
            seq: first + i,
            payload: { level: "info", source: "assistant", text },
          }),
        );
        for (const socket of server.clients) for (const f of frames) socket.send(f);
        // A commit's worth at a time, as the log's writer hands them over.
        await new Promise((r) => setImmediate(r));
      });
      return { ...(await c.result), t0 };
    } finally {
      await c.stop();
    }
  };
  try {
    return combine(n, await run(n, null), await run(n / 2, PACE));
  } finally {
    await new Promise((r) => server.close(r));
  }
}

async function throughOrchestrator(n: number, clients: number): Promise<PipelineFigures> {
  const root = mkdtempSync(join(tmpdir(), "orch-bench-events-"));
  const adminKey = benchAdminKey();
  let orc: Orchestrator | null = null;
  try {
    orc = await startOrchestrator({
      env: {
        ...benchOrchestratorEnv(root, adminKey),
        ORCHESTRATOR_SCHEDULER: "off",
        // Nothing runs: a runner that is named but never asked for anything.
        ORCHESTRATOR_MANAGED_RUNNERS: "0",
        ORCHESTRATOR_REMOTE_RUNNERS: "http://127.0.0.1:9",
      },
    });
    const started: Orchestrator = orc;
    const headers = { authorization: `Bearer ${adminKey}` };
    const api = createApiClient({ baseUrl: started.url, headers });
    const run = async (count: number, pace: number | null): Promise<Run> => {
      const s = await api.call("createSession", { body: { prompt: "a busy session", start: false } });
      // The clients count from the session's log as it is now (created).
      const from = (await api.call("getSession", { params: { id: s.id } })).lastEventSeq;
      const c = await startClients({
        url: `${started.url.replace(/^http/, "ws")}/ws/sessions/${s.id}`,
        headers,
        clients,
        n: count,
        from,
      });
      try {
        const t0 = await produce(count, pace, (batch) => appendLogLines(started, s.id, batch));
        return { ...(await c.result), t0 };
      } finally {
        await c.stop();
      }
    };
    return combine(n, await run(n, null), await run(n / 2, PACE));
  } finally {
    await orc?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
