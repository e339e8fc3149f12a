import type { Database } from "@industrial/db";

/**
 * The tenant-owned tables a request may change. Most are fingerprinted by
 * their row count and newest row version (`xmin`: every insert and update
 * writes one), which is cheap. Two have columns that move by themselves and
 * are hashed without them: a key's last use (written once a minute by any
 * request), a runner's health, version and memory (the pool checks
 * runners on a timer) and a checkpoint's push (recorded by the work remote's
 * pusher in the background, whenever the push lands). The audit log is left
 * out on purpose: every request, refused or not, may add its entry.
 */
const TABLES: Record<string, string[] | null> = {
  tenants: null,
  runners: ["version", "health", "last_checked_at", "memory_bytes", "breaker"],
  agents: null,
  agent_tier_history: null,
  sessions: null,
  attempts: null,
  session_events: null,
  checkpoints: ["pushed_at", "pushed_to"],
  contexts: null,
  context_changes: null,
  tasks: null,
  task_dependencies: null,
  users: null,
  api_keys: ["last_used_at"],
};

const SQL = Object.entries(TABLES)
  .map(([t, volatile]) => {
    const h = volatile
      ? `coalesce(sum(hashtext((to_jsonb(x) - ARRAY[${volatile.map((c) => `'${c}'`).join(",")}]::text[])::text)::bigint), 0)`
      : "coalesce(max(x.xmin::text::bigint), 0)";
    return `SELECT '${t}' AS t, count(*)::int AS n, ${h}::text AS h FROM ${t} x`;
  })
  .join(" UNION ALL ");

/** Per table: its row count and its newest row version, or a hash of its rows without the volatile columns. */
export type Fingerprint = Record<string, string>;

export async function fingerprintState(db: Database): Promise<Fingerprint> {
  const rows = await db.query<{ t: string; n: number; h: string }>(SQL);
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.h}`]));
}

/** The tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return Object.keys(before).filter((t) => before[t] !== after[t]);
}
