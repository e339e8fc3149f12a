import pg from "pg";
import type { Cluster, Incarnation } from "./cluster";

/** One query on the run's database, through a connection of its own (the suite reads; the replicas write). */
export async function query<T extends pg.QueryResultRow>(
  databaseUrl: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  await c.connect();
  try {
    return (await c.query<T>(text, params)).rows;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export interface Progress {
  /** Sessions (of those asked about) whose running attempt each replica holds. */
  byHolder: Map<string, string[]>;
  /** Checkpoints each session has so far. */
  checkpoints: Map<string, number>;
}

/** Who runs which of `ids` now, and how far each got. */
export async function readProgress(databaseUrl: string, ids: string[]): Promise<Progress> {
  const running = await query<{ session_id: string; lease_owner: string }>(
    databaseUrl,
    "SELECT a.session_id, a.lease_owner FROM attempts a JOIN sessions s ON s.id = a.session_id AND s.attempt = a.number WHERE a.status = 'running' AND a.session_id = ANY($1::uuid[])",
    [ids],
  );
  const counts = await query<{ session_id: string; n: number }>(
    databaseUrl,
    "SELECT session_id, count(*)::int AS n FROM checkpoints WHERE session_id = ANY($1::uuid[]) GROUP BY session_id",
    [ids],
  );
  const byHolder = new Map<string, string[]>();
  for (const r of running) byHolder.set(r.lease_owner, [...(byHolder.get(r.lease_owner) ?? []), r.session_id]);
  return { byHolder, checkpoints: new Map(counts.map((c) => [c.session_id, c.n])) };
}

/**
 * Waits until the living replica holding the most of `ids` holds at least
 * `min` of them with at least `checkpoints` checkpoints each (in the middle
 * of their work), and returns it with those sessions.
 */
export async function untilBusy(
  cluster: Cluster,
  databaseUrl: string,
  ids: string[],
  min: number,
  checkpoints: number,
  timeoutMs = 60_000,
): Promise<{ replica: Incarnation; sessions: string[] }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await readProgress(databaseUrl, ids).catch(() => null);
    const candidates = cluster
      .living()
      .filter((r) => !r.frozen)
      .map((replica) => ({
        replica,
        sessions: (p?.byHolder.get(replica.id) ?? []).filter((id) => (p?.checkpoints.get(id) ?? 0) >= checkpoints),
      }))
      .sort((a, b) => b.sessions.length - a.sessions.length);
    const best = candidates[0];
    if (best && best.sessions.length >= min) return best;
    if (Date.now() > deadline)
      throw new Error(`no replica held ${min} of the sessions with ${checkpoints} checkpoints within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Checkpoints of `ids` recorded but not (yet) pushed to the work remote. */
export async function unpushedCheckpoints(databaseUrl: string, ids: string[]): Promise<number> {
  const [row] = await query<{ n: number }>(
    databaseUrl,
    "SELECT count(*)::int AS n FROM checkpoints WHERE pushed_at IS NULL AND session_id = ANY($1::uuid[])",
    [ids],
  );
  return row?.n ?? 0;
}

/** `/health/ready` of a replica: its status code and body. */
export async function readiness(r: Incarnation): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${r.api.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.json().catch(() => null) };
}
