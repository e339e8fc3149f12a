import autocannon from "autocannon";
import Fastify from "fastify";
import { DEFAULT_RETRY_POLICY, DEFAULT_TENANT_ID, emptySessionMetrics } from "@industrial/core";
import { createDatabase } from "@industrial/db";
import { createBenchDatabase } from "./postgres";
import { startBenchStack } from "./stack";

/** One load: requests answered 2xx per second over the run, and the latency p99 (ms). */
export interface Load {
  perSecond: number;
  p99Ms: number;
}

export interface ApiFigures {
  list: { baseline: Load; ours: Load; bytes: number };
  create: { baseline: Load; ours: Load; bytes: number };
}

export const API_CONNECTIONS = 64;

/** What the bench's clients send to create a session: a plain one, as a person's first try would be. */
const CREATE_BODY = JSON.stringify({ title: "bench", prompt: 'Write a file, then answer.\nSCRIPT: [{"text":"done"}]' });

/**
 * `connections` connections on autocannon for `seconds`, on a worker thread of
 * its own (the orchestrator runs in this process: the load must not share its
 * event loop). Anything but a 2xx answer fails the run: a figure made of errors
 * would only look fast.
 */
async function load(input: {
  url: string;
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  seconds: number;
}): Promise<Load> {
  const r = await autocannon({
    url: input.url,
    method: input.method,
    headers: input.headers,
    ...(input.body ? { body: input.body } : {}),
    connections: API_CONNECTIONS,
    duration: input.seconds,
    workers: 1,
  });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(
      `${input.method} ${input.url}: ${r.non2xx} answers not 2xx, ${r.errors} errors (${JSON.stringify(r.statusCodeStats)})`,
    );
  return { perSecond: r["2xx"] / r.duration, p99Ms: r.latency.p99 };
}

/** A short load first (JIT, connection pools, caches), then the measured one. */
async function measure(input: Parameters<typeof load>[0]): Promise<Load> {
  await load({ ...input, seconds: Math.min(2, input.seconds) });
  return load(input);
}

/**
 * `n` sessions as a busy tenant's history holds them, inserted in one
 * statement: finished (completed, so that no scheduler stage takes them up),
 * a second apart, each with a result, metrics and a repository workspace.
 */
export async function seedFinished(url: string, n: number): Promise<void> {
  const db = await createDatabase({ kind: "postgres", url, poolSize: 1 });
  try {
    const workspace = {
      repository: "/srv/repos/app",
      baseRef: "HEAD",
      baseCommit: "0123456789abcdef0123456789abcdef01234567",
      branch: "orchestrator/bench",
      path: "/srv/orchestrator/sessions/bench",
      directory: null,
      pushTo: "work",
    };
    const metrics = {
      ...emptySessionMetrics(),
      modelCalls: 2,
      toolCalls: { write: 1 },
      filesChanged: 1,
      linesAdded: 1,
      runSeconds: 8,
    };
    const result = {
      summary: "Wrote out.txt.",
      filesChanged: ["out.txt"],
      diffStat: { files: 1, additions: 1, deletions: 0 },
    };
    await db.query(
      `INSERT INTO sessions (id, tenant_id, title, prompt, type, priority, status, agent_id, workspace, max_duration_seconds, retry_policy, attempt, metrics, result,
                             tags, created_by, created_at, queued_at, started_at, finished_at, status_updated_at, last_event_seq)
       SELECT gen_random_uuid(), $1, 'bench session ' || i, 'Write a file, then answer. (' || i || ')', 'execution',
              (ARRAY['critical','high','medium','low','deferred'])[1 + i % 5], 'completed', (SELECT id FROM agents WHERE tenant_id = $1 LIMIT 1),
              $2::jsonb, 3600, $3::jsonb, 1, $4::jsonb, $5::jsonb, '{bench}', 'bench', t - interval '10 seconds', t - interval '10 seconds', t - interval '8 seconds', t, t, 24
       FROM generate_series(1, $6::int) AS i, LATERAL (SELECT now() - i * interval '1 second' AS t) AS at`,
      [
        DEFAULT_TENANT_ID,
        JSON.stringify(workspace),
        JSON.stringify(DEFAULT_RETRY_POLICY),
        JSON.stringify(metrics),
        JSON.stringify(result),
        n,
      ],
    );
    // As autovacuum leaves a table some time after its inserts: the visibility map set (the list's total is an index-only scan).
    await db.query("VACUUM ANALYZE sessions");
  } finally {
    await db.close();
  }
}

/**
 * The API under load: `GET /api/v1/sessions` (the first page, 50 of `n`
 * finished sessions, with the total) and `POST /api/v1/sessions`, each from
 * 64 connections for `seconds`, on the real orchestrator (PostgreSQL,
 * authentication on: every request carries the admin key and is checked).
 * Baseline: a bare Fastify handler in the same process answering the same
 * bytes — the page and the created session as ours answered them once —
 * the POST one parsing the same body; measured right before ours, each.
 */
export async function benchApi(n: number, seconds: number): Promise<ApiFigures> {
  const database = await createBenchDatabase("orch_bench_api");
  const stack = await startBenchStack("orch-bench-api-", database.env);
  const bare = Fastify({ logger: false });
  try {
    // The POSTed sessions must queue and stay there, not start OpenCode work for each of thousands of requests: the
    // only agent goes offline, so admission finds no agent for them and they wait, pending with that reason, as a
    // tenant's work waits while its fleet is down. The request's own path (validation, insert, event, answer) is
    // the same as for any session; the scheduler's admission still looks at them, as it would.
    const agents = await stack.api.call("listAgents", { query: {} });
    for (const a of agents.items)
      await stack.api.call("patchAgent", { params: { id: a.id }, body: { status: "offline" } });
    await seedFinished(database.url, n);

    const headers = { authorization: `Bearer ${stack.adminKey}` };
    const postHeaders = { ...headers, "content-type": "application/json" };
    const listUrl = `${stack.url}/api/v1/sessions`;
    const page = await fetch(listUrl, { headers }).then((r) => r.text());
    // Parsed once: the bare handler only serialises, as ours does after its work.
    const pageObject = JSON.parse(page) as { items: unknown[]; total: number };
    if (pageObject.items.length !== 50 || pageObject.total !== n)
      throw new Error(`the list answered ${pageObject.items.length} items of ${pageObject.total}`);
    const post = await fetch(listUrl, { method: "POST", headers: postHeaders, body: CREATE_BODY });
    const created = await post.text();
    if (post.status !== 201) throw new Error(`POST /api/v1/sessions answered ${post.status}: ${created}`);

    const createdObject = JSON.parse(created) as unknown;
    bare.get("/api/v1/sessions", async () => pageObject);
    bare.post("/api/v1/sessions", async (req, reply) => {
      if (typeof (req.body as { prompt?: unknown }).prompt !== "string")
        return reply.code(400).send({ error: "prompt" });
      return reply.code(201).send(createdObject);
    });
    const bareUrl = await bare.listen({ port: 0, host: "127.0.0.1" });

    const at = (base: string, method: "GET" | "POST") => ({
      url: `${base}/api/v1/sessions`,
      method,
      seconds,
      ...(method === "POST" ? { headers: postHeaders, body: CREATE_BODY } : { headers }),
    });
    const listBaseline = await measure(at(bareUrl, "GET"));
    const listOurs = await measure(at(stack.url, "GET"));
    const createBaseline = await measure(at(bareUrl, "POST"));
    const createOurs = await measure(at(stack.url, "POST"));
    return {
      list: { baseline: listBaseline, ours: listOurs, bytes: Buffer.byteLength(page) },
      create: { baseline: createBaseline, ours: createOurs, bytes: Buffer.byteLength(created) },
    };
  } finally {
    await bare.close();
    await stack.stop();
    await database.drop();
  }
}
