import { randomUUID } from "node:crypto";
import {
  changedPaths,
  computeContextDiff,
  computeJsonBytes,
  CONTEXT_DATA_LIMIT_BYTES,
  ConflictError,
  deepMerge,
  type Context,
  type ContextScope,
  type JsonObject,
} from "@industrial/core";
import type { Queryable } from "./database";
import { conditionAdder, readNewestFirst } from "./keyset-cursor";
import { contextFromRow } from "./rows";
import type { Page } from "./session-list";
import { contextOfTenant } from "./tenant-scope";

/** What wrote a version (context_changes.source). */
export type ContextWriteSource =
  "create" | "patch" | "put_key" | "delete_key" | "merge" | "share" | "promote" | "write_back";

/** Expired temporary contexts are gone for every reader, before the purge gets to them. */
const LIVE = "(expires_at IS NULL OR expires_at > now())";
/** Most paths kept per change: enough to name what a large rewrite touched. */
const MAX_LOGGED_PATHS = 1000;

/** A context to insert: its owner and data, with the expiry as a time (the stored row keeps it as text). */
export type NewContext = Pick<Context, "tenantId" | "scope" | "sessionId" | "agentId" | "name" | "data"> & {
  expiresAt: Date | null;
};

/** Logs a version just written by this module (the row it wrote, of the tenant, is the proof). */
async function logChange(
  q: Queryable,
  contextId: string,
  version: number,
  paths: string[],
  source: ContextWriteSource,
): Promise<void> {
  await q.query("INSERT INTO context_changes (context_id, version, paths, source) VALUES ($1, $2, $3, $4)", [
    contextId,
    version,
    paths.slice(0, MAX_LOGGED_PATHS),
    source,
  ]);
}

const ownerWhere = `tenant_id = $1 AND scope = $2 AND session_id IS NOT DISTINCT FROM $3 AND agent_id IS NOT DISTINCT FROM $4 AND name IS NOT DISTINCT FROM $5 AND scope <> 'temporary'`;

/** The live context of an owner with this name (null name: the owner's default context). */
export async function findContextByOwner(
  q: Queryable,
  o: { tenantId: string; scope: ContextScope; sessionId: string | null; agentId: string | null; name: string | null },
): Promise<Context | null> {
  const rows = await q.query(`SELECT * FROM contexts WHERE ${ownerWhere}`, [
    o.tenantId,
    o.scope,
    o.sessionId,
    o.agentId,
    o.name,
  ]);
  return rows[0] ? contextFromRow(rows[0]) : null;
}

function nameTaken(c: Pick<NewContext, "scope" | "name">, existingId: string, field = "body.name"): ConflictError {
  const what = c.name === null ? "an unnamed (default) context" : `a context named ${c.name}`;
  return new ConflictError(`its owner already has ${what} in scope ${c.scope}: ${existingId}`, {
    context: { existingContextId: existingId },
    details: [{ path: field, reason: "already taken for this owner" }],
    suggestion: "give it another name, or merge into the existing context (POST /contexts/merge)",
  });
}

/** Version 1 of a new context. An owner's name already taken is a ConflictError naming the existing context. */
export async function insertContext(
  q: Queryable,
  c: NewContext,
  source: ContextWriteSource = "create",
  nameField?: string,
): Promise<Context> {
  const rows = await q.query(
    `INSERT INTO contexts (id, tenant_id, scope, session_id, agent_id, name, data, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) ON CONFLICT DO NOTHING RETURNING *`,
    [randomUUID(), c.tenantId, c.scope, c.sessionId, c.agentId, c.name, JSON.stringify(c.data), c.expiresAt],
  );
  if (!rows[0]) {
    const existing = await findContextByOwner(q, c);
    throw nameTaken(c, existing?.id ?? "(deleted meanwhile)", nameField);
  }
  const created = contextFromRow(rows[0]);
  await logChange(q, created.id, 1, changedPaths(computeContextDiff({}, c.data)), source);
  return created;
}

export async function findContext(q: Queryable, tenantId: string, id: string): Promise<Context | null> {
  const rows = await q.query(`SELECT * FROM contexts WHERE id = $1 AND tenant_id = $2 AND ${LIVE}`, [id, tenantId]);
  return rows[0] ? contextFromRow(rows[0]) : null;
}

/** Locks a live context for a read-modify-write (FOR NO KEY UPDATE: context_changes hold key-share locks on it). */
export async function lockContext(tx: Queryable, tenantId: string, id: string): Promise<Context | null> {
  const rows = await tx.query(`SELECT * FROM contexts WHERE id = $1 AND tenant_id = $2 AND ${LIVE} FOR NO KEY UPDATE`, [
    id,
    tenantId,
  ]);
  return rows[0] ? contextFromRow(rows[0]) : null;
}

export interface ContextMove {
  scope: ContextScope;
  sessionId: string | null;
  agentId: string | null;
  name: string | null;
  expiresAt: Date | null;
}

/**
 * Writes the next version of a locked context: its data (and, for promote,
 * its owner), version + 1, and which paths changed. Call inside the
 * transaction that locked it.
 */
export async function saveContext(
  tx: Queryable,
  current: Context,
  data: JsonObject,
  source: ContextWriteSource,
  move?: ContextMove,
): Promise<Context> {
  if (move && (move.scope !== current.scope || move.name !== current.name)) {
    const taken = await findContextByOwner(tx, { tenantId: current.tenantId, ...move });
    if (taken && taken.id !== current.id) throw nameTaken(move, taken.id);
  }
  const params: unknown[] = [current.id, current.tenantId, JSON.stringify(data)];
  let sets = "data = $3::jsonb, version = version + 1, updated_at = clock_timestamp()";
  if (move) {
    params.push(move.scope, move.sessionId, move.agentId, move.name, move.expiresAt);
    sets += ", scope = $4, session_id = $5, agent_id = $6, name = $7, expires_at = $8";
  }
  const rows = await tx
    .query(`UPDATE contexts SET ${sets} WHERE id = $1 AND tenant_id = $2 RETURNING *`, params)
    .catch((e: unknown) => {
      // Taken meanwhile by a concurrent write (the check above saw nothing).
      if (move && (e as { code?: string }).code === "23505") throw nameTaken(move, "a context created meanwhile");
      throw e;
    });
  const saved = contextFromRow(rows[0]!);
  await logChange(tx, saved.id, saved.version, changedPaths(computeContextDiff(current.data, data)), source);
  return saved;
}

/** Paths written after `version` (sorted, each once): what a stale writer missed. */
export async function changedKeysSince(
  q: Queryable,
  tenantId: string,
  contextId: string,
  version: number,
): Promise<string[]> {
  const rows = await q.query<{ path: string }>(
    `SELECT DISTINCT unnest(paths) AS path FROM context_changes WHERE context_id = $1 AND version > $2 AND ${contextOfTenant("$1", 3)} ORDER BY path`,
    [contextId, version, tenantId],
  );
  return rows.map((r) => r.path);
}

export async function deleteContext(q: Queryable, tenantId: string, id: string): Promise<boolean> {
  const rows = await q.query(`DELETE FROM contexts WHERE id = $1 AND tenant_id = $2 AND ${LIVE} RETURNING id`, [
    id,
    tenantId,
  ]);
  return rows.length > 0;
}

/** Removes a tenant's expired temporary contexts (readers already skip them). */
export async function purgeExpiredContexts(q: Queryable, tenantId: string): Promise<number> {
  const rows = await q.query("DELETE FROM contexts WHERE tenant_id = $1 AND expires_at <= now() RETURNING id", [
    tenantId,
  ]);
  return rows.length;
}

export interface ContextFilter {
  tenantId: string;
  scope?: ContextScope[];
  sessionId?: string;
  agentId?: string;
  name?: string;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listContexts(
  q: Queryable,
  f: ContextFilter,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Context>> {
  const params: unknown[] = [f.tenantId];
  const where = ["tenant_id = $1", LIVE];
  const add = conditionAdder(where, params);
  if (f.scope?.length) add((n) => `scope = ANY($${n}::text[])`, f.scope);
  if (f.sessionId) add((n) => `session_id = $${n}`, f.sessionId);
  if (f.agentId) add((n) => `agent_id = $${n}`, f.agentId);
  if (f.name) add((n) => `name = $${n}`, f.name);
  return readNewestFirst(q, {
    table: "contexts",
    where,
    params,
    limit: page.limit,
    cursor: page.cursor,
    fromRow: contextFromRow,
  });
}

/**
 * The contexts given to a session's agent: the session's own, its agent's,
 * temporary ones addressed to either, and the tenant's global ones.
 */
export async function contextsForSession(
  q: Queryable,
  s: { tenantId: string; sessionId: string; agentId: string | null },
): Promise<Context[]> {
  const rows = await q.query(
    `SELECT * FROM contexts WHERE tenant_id = $1 AND ${LIVE} AND (
       scope = 'global' OR session_id = $2 OR (agent_id = $3 AND scope IN ('agent', 'temporary'))
     ) ORDER BY created_at, id`,
    [s.tenantId, s.sessionId, s.agentId],
  );
  return rows.map(contextFromRow);
}

export type WriteBackResult =
  { written: true; context: Context; changed: string[] } | { written: false; reason: string };

/**
 * A completed session's write-back: `patch` is deep-merged into the session's
 * default (unnamed) context, created when missing, version + 1. Never throws
 * a domain error (it runs inside the transaction that writes the session's
 * end): a result over the size limit is refused with the reason instead.
 */
export async function writeBackSessionContext(
  tx: Queryable,
  s: { tenantId: string; sessionId: string },
  patch: JsonObject,
): Promise<WriteBackResult> {
  const owner = [s.tenantId, "session", s.sessionId, null, null];
  const lock = async () => {
    const rows = await tx.query(`SELECT * FROM contexts WHERE ${ownerWhere} FOR NO KEY UPDATE`, owner);
    return rows[0] ? contextFromRow(rows[0]) : null;
  };
  let current = await lock();
  if (!current) {
    // None yet: the patch is version 1. A concurrent create wins the insert, and we merge into it.
    const inserted = await tx.query(
      "INSERT INTO contexts (id, tenant_id, scope, session_id, data) VALUES ($1, $2, 'session', $3, $4::jsonb) ON CONFLICT DO NOTHING RETURNING *",
      [randomUUID(), s.tenantId, s.sessionId, JSON.stringify(patch)],
    );
    if (inserted[0]) {
      const context = contextFromRow(inserted[0]);
      const changed = changedPaths(computeContextDiff({}, patch));
      await logChange(tx, context.id, 1, changed, "write_back");
      return { written: true, context, changed };
    }
    current = (await lock())!;
  }
  const data = deepMerge(current.data, patch);
  const bytes = computeJsonBytes(data);
  if (bytes > CONTEXT_DATA_LIMIT_BYTES)
    return {
      written: false,
      reason: `the merged context would be ${bytes} bytes, over the ${CONTEXT_DATA_LIMIT_BYTES}-byte limit`,
    };
  const saved = await saveContext(tx, current, data, "write_back");
  return { written: true, context: saved, changed: changedPaths(computeContextDiff(current.data, data)) };
}
