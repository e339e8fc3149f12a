import { randomUUID } from "node:crypto";
import type { Runner, RunnerHealth, RunnerKind } from "@industrial/core";
import type { Queryable } from "./database";
import { runnerFromRow } from "./rows";

/** Registers a runner by name, or updates its url and owner when it exists. */
export async function upsertRunner(
  q: Queryable,
  input: { tenantId: string; name: string; kind: RunnerKind; url: string | null; ownerReplica: string | null; health: RunnerHealth },
): Promise<Runner> {
  const rows = await q.query(
    `INSERT INTO runners (id, tenant_id, name, kind, url, owner_replica, health) VALUES ($1,$2,$3,$4,$5,$6,$7)
     ON CONFLICT (tenant_id, name) DO UPDATE SET url = EXCLUDED.url, owner_replica = EXCLUDED.owner_replica, health = EXCLUDED.health
     RETURNING *`,
    [randomUUID(), input.tenantId, input.name, input.kind, input.url, input.ownerReplica, input.health],
  );
  return runnerFromRow(rows[0]!);
}

export async function updateRunnerStatus(
  q: Queryable,
  id: string,
  status: { url?: string | null; version?: string | null; health: RunnerHealth; memoryBytes?: number | null },
): Promise<void> {
  await q.query(
    `UPDATE runners SET health = $2, url = COALESCE($3, url), version = COALESCE($4, version),
       memory_bytes = $5, last_checked_at = now() WHERE id = $1`,
    [id, status.health, status.url ?? null, status.version ?? null, status.memoryBytes ?? null],
  );
}

export async function listRunners(q: Queryable, tenantId: string): Promise<Runner[]> {
  const rows = await q.query("SELECT * FROM runners WHERE tenant_id = $1 ORDER BY name", [tenantId]);
  return rows.map(runnerFromRow);
}

export async function getRunner(q: Queryable, id: string): Promise<Runner | null> {
  const rows = await q.query("SELECT * FROM runners WHERE id = $1", [id]);
  return rows[0] ? runnerFromRow(rows[0]) : null;
}
