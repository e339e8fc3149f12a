import { randomUUID } from "node:crypto";
import {
  breakerAdmits,
  breakerDispatched,
  ConflictError,
  InvalidInputError,
  type Breaker,
  type Runner,
  type RunnerHealth,
  type RunnerKind,
} from "@industrial/core";
import type { Queryable } from "./database";
import type { CrossTenantDatabase } from "./tenant-wall";
import { runnerFromRow } from "./rows";
import type { Page } from "./session-list";
import { sessionOfTenant } from "./tenant-scope";

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === "23505";

/** What a new runner row is written from. */
export interface NewRunner {
  tenantId: string;
  name: string;
  kind: RunnerKind;
  url: string | null;
  ownerReplica: string | null;
  health: RunnerHealth;
  password?: string | null;
}

/** The insert both upsertRunner and insertRunner start from, with its parameters from runnerValues. */
const INSERT_RUNNER = `INSERT INTO runners (id, tenant_id, name, kind, url, owner_replica, health, password) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`;
const runnerValues = (id: string, input: NewRunner): unknown[] => [
  id,
  input.tenantId,
  input.name,
  input.kind,
  input.url,
  input.ownerReplica,
  input.health,
  input.password ?? null,
];

/** Registers a runner by name, or updates its url and owner when it exists (remote runners from the configuration). */
export async function upsertRunner(q: Queryable, input: NewRunner): Promise<Runner> {
  // A password given replaces the stored one; none given keeps it (one registered through the API).
  const rows = await q.query(
    `${INSERT_RUNNER}
     ON CONFLICT (tenant_id, name) WHERE deleted_at IS NULL DO UPDATE SET url = EXCLUDED.url, owner_replica = EXCLUDED.owner_replica, health = EXCLUDED.health,
       password = COALESCE(EXCLUDED.password, runners.password)
     RETURNING *`,
    runnerValues(randomUUID(), input),
  );
  return runnerFromRow(rows[0]!);
}

/** A new runner row: one managed process, or a remote runner registered through the API. A taken name is a ConflictError. */
export async function insertRunner(q: Queryable, input: NewRunner & { id?: string }): Promise<Runner> {
  try {
    const rows = await q.query(`${INSERT_RUNNER} RETURNING *`, runnerValues(input.id ?? randomUUID(), input));
    return runnerFromRow(rows[0]!);
  } catch (e) {
    if (isUniqueViolation(e))
      throw new ConflictError(`a runner named ${input.name} already exists`, {
        details: [{ path: "body.name", reason: "already taken" }],
      });
    throw e;
  }
}

/** What a health check found. `memoryBytes` and `version` are left as they were when not given. */
export async function updateRunnerStatus(
  q: Queryable,
  tenantId: string,
  id: string,
  status: { url?: string | null; version?: string | null; health: RunnerHealth; memoryBytes?: number | null },
): Promise<void> {
  await q.query(
    `UPDATE runners SET health = $2, url = COALESCE($3, url), version = COALESCE($4, version),
       memory_bytes = CASE WHEN $6 THEN $5 ELSE memory_bytes END, last_checked_at = now() WHERE id = $1 AND tenant_id = $7`,
    [
      id,
      status.health,
      status.url ?? null,
      status.version ?? null,
      status.memoryBytes ?? null,
      status.memoryBytes !== undefined,
      tenantId,
    ],
  );
}

/** The tenant's runners that are not deleted. */
export async function listRunners(q: Queryable, tenantId: string): Promise<Runner[]> {
  const rows = await q.query("SELECT * FROM runners WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY name", [
    tenantId,
  ]);
  return rows.map(runnerFromRow);
}

/**
 * Every tenant's live runners: the runner pool serves all tenants (an agent
 * bound to its tenant's remote runner runs there; managed runners run everyone's).
 */
export async function listAllRunners(db: CrossTenantDatabase): Promise<Runner[]> {
  const rows = await db.query("SELECT * FROM runners WHERE deleted_at IS NULL ORDER BY tenant_id, name");
  return rows.map(runnerFromRow);
}

/** A runner of the tenant by id, deleted ones included (attempts point at them). */
export async function getRunner(q: Queryable, tenantId: string, id: string): Promise<Runner | null> {
  const rows = await q.query("SELECT * FROM runners WHERE id = $1 AND tenant_id = $2", [id, tenantId]);
  return rows[0] ? runnerFromRow(rows[0]) : null;
}

export type RunnerWithLoad = Runner & { sessions: number };

function decodeCursor(raw: string): string {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as { name?: unknown };
    if (typeof c.name === "string") return c.name;
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError("invalid cursor", [
    { path: "query.cursor", reason: "not a cursor returned by this list" },
  ]);
}

/**
 * The tenant's runners by name, each with the number of the tenant's attempts
 * running on it now (a managed runner also serves other tenants: their work is not counted here).
 */
export async function listRunnerPage(
  q: Queryable,
  input: { tenantId: string; limit: number; cursor?: string; kind?: RunnerKind },
): Promise<Page<RunnerWithLoad>> {
  const params: unknown[] = [input.tenantId];
  const where = ["r.tenant_id = $1", "r.deleted_at IS NULL"];
  if (input.kind) where.push(`r.kind = $${params.push(input.kind)}`);
  const total = (
    await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM runners r WHERE ${where.join(" AND ")}`, params)
  )[0]!.n;
  if (input.cursor) where.push(`r.name > $${params.push(decodeCursor(input.cursor))}`);
  const rows = await q.query(
    `SELECT r.*, (SELECT count(*)::int FROM attempts a WHERE a.runner_id = r.id AND a.status = 'running' AND ${sessionOfTenant("a.session_id", 1)}) AS sessions
     FROM runners r WHERE ${where.join(" AND ")} ORDER BY r.name LIMIT $${params.push(input.limit + 1)}`,
    params,
  );
  const items = rows.slice(0, input.limit).map((r) => ({ ...runnerFromRow(r), sessions: r.sessions as number }));
  const last = items.at(-1);
  const nextCursor =
    rows.length > input.limit && last ? Buffer.from(JSON.stringify({ name: last.name })).toString("base64url") : null;
  return { items, nextCursor, total };
}

/** What holds a runner: the tenant's agents bound to it and the tenant's attempts running on it. */
export async function runnerUsage(
  q: Queryable,
  tenantId: string,
  id: string,
): Promise<{ agents: number; running: number }> {
  const rows = await q.query<{ agents: number; running: number }>(
    `SELECT (SELECT count(*)::int FROM agents WHERE runner_id = $1 AND tenant_id = $2 AND deleted_at IS NULL) AS agents,
            (SELECT count(*)::int FROM attempts WHERE runner_id = $1 AND status = 'running' AND ${sessionOfTenant("attempts.session_id", 2)}) AS running`,
    [id, tenantId],
  );
  return rows[0]!;
}

export async function setRunnerDraining(q: Queryable, tenantId: string, id: string, draining: boolean): Promise<void> {
  await q.query("UPDATE runners SET draining = $3 WHERE id = $1 AND tenant_id = $2", [id, tenantId, draining]);
}

/** Soft-deletes a runner (its name is free again; attempts keep pointing at the row). */
export async function retireRunner(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const rows = await q.query(
    "UPDATE runners SET deleted_at = now(), health = 'stopped' WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL RETURNING id",
    [id, tenantId],
  );
  return rows.length > 0;
}

/**
 * Retires the managed runners of the given replicas (at start: this replica's
 * earlier life and the predecessor that held the data dir; their processes are gone).
 */
export async function retireManagedRunners(
  q: Queryable,
  input: { tenantId: string; owners: readonly string[] },
): Promise<number> {
  const rows = await q.query(
    `UPDATE runners SET deleted_at = now(), health = 'stopped'
     WHERE tenant_id = $1 AND kind = 'managed' AND owner_replica = ANY($2::text[]) AND deleted_at IS NULL RETURNING id`,
    [input.tenantId, [...input.owners]],
  );
  return rows.length;
}

/**
 * Retires managed runners of other replicas that stopped reporting: their
 * owner writes every few seconds, so silence this long means it died.
 */
export async function retireSilentManagedRunners(
  q: Queryable,
  input: { tenantId: string; exceptOwner: string; silentSeconds: number },
): Promise<string[]> {
  const rows = await q.query<{ name: string }>(
    `UPDATE runners SET deleted_at = now(), health = 'stopped'
     WHERE tenant_id = $1 AND kind = 'managed' AND deleted_at IS NULL AND owner_replica IS DISTINCT FROM $2
       AND COALESCE(last_checked_at, created_at) < now() - make_interval(secs => $3) RETURNING name`,
    [input.tenantId, input.exceptOwner, input.silentSeconds],
  );
  return rows.map((r) => r.name);
}

/**
 * Sends work through a runner's breaker: a half-open breaker's one trial is
 * marked in flight with a compare-and-set on the row, so that across replicas
 * exactly one attempt gets it. Returns whether the breaker admitted, and the breaker as stored.
 */
export async function takeRunnerBreaker(
  q: Queryable,
  tenantId: string,
  id: string,
  now: Date,
): Promise<{ admitted: boolean; breaker: Breaker | null }> {
  for (let i = 0; i < 3; i++) {
    const rows = await q.query<{ breaker: Breaker }>("SELECT breaker FROM runners WHERE id = $1 AND tenant_id = $2", [
      id,
      tenantId,
    ]);
    const current = rows[0]?.breaker;
    if (!current) return { admitted: false, breaker: null };
    if (!breakerAdmits(current, now)) return { admitted: false, breaker: current };
    const next = breakerDispatched(current, now);
    if (next === current) return { admitted: true, breaker: current };
    const set = await q.query(
      "UPDATE runners SET breaker = $3::jsonb WHERE id = $1 AND tenant_id = $2 AND breaker = $4::jsonb RETURNING id",
      [id, tenantId, JSON.stringify(next), JSON.stringify(current)],
    );
    if (set.length) return { admitted: true, breaker: next };
  }
  return { admitted: false, breaker: null };
}

/**
 * Seals runner passwords stored in plain text by earlier versions (before
 * passwords were encrypted with the server secret): run once at start, by
 * whichever replica gets there first; sealed ones are left alone.
 */
export async function sealPlainRunnerPasswords(
  db: CrossTenantDatabase,
  seal: (plain: string) => string,
  isSealed: (stored: string) => boolean,
): Promise<number> {
  const rows = await db.query<{ id: string; password: string }>(
    "SELECT id, password FROM runners WHERE password IS NOT NULL",
  );
  let sealed = 0;
  for (const r of rows) {
    if (isSealed(r.password)) continue;
    await db.query("UPDATE runners SET password = $2 WHERE id = $1 AND password = $3", [
      r.id,
      seal(r.password),
      r.password,
    ]);
    sealed++;
  }
  return sealed;
}
