import {
  assertContextSize,
  computeContextDiff,
  computeMerge,
  ContextMergeConflictError,
  ContextPathError,
  contextOwnerProblems,
  ContextVersionConflictError,
  deepMerge,
  deleteAtPath,
  getAtPath,
  InvalidInputError,
  NotFoundError,
  parseContextPath,
  PreconditionError,
  setAtPath,
  type Context,
  type JsonObject,
  type JsonValue,
} from "@industrial/core";
import type {
  CreateContextBody,
  ListContextsQuery,
  MergeContextsBody,
  PatchContextBody,
  ShareContextBody,
} from "@industrial/contracts";
import {
  changedKeysSince,
  deleteContext,
  findAgent,
  findSession,
  findContext,
  insertContext,
  listContexts,
  lockContext,
  purgeExpiredContexts,
  saveContext,
  type Page,
  type Queryable,
} from "@industrial/db";
import type { z } from "zod";
import type { ServiceDeps } from "./deps";

/*
 * Contexts: shared, versioned JSON documents. Every write is one transaction
 * that locks the row, checks `expectedVersion` when given (a mismatch is a
 * 409 naming both versions and the keys written since), writes version + 1
 * and logs which paths it changed.
 */

export async function getContextById(deps: ServiceDeps, id: string): Promise<Context> {
  const c = await findContext(deps.db, deps.tenantId, id);
  if (!c) throw new NotFoundError("context", id);
  return c;
}

async function lockOrThrow(tx: Queryable, deps: ServiceDeps, id: string): Promise<Context> {
  const c = await lockContext(tx, deps.tenantId, id);
  if (!c) throw new NotFoundError("context", id);
  return c;
}

async function checkVersion(tx: Queryable, c: Context, expected: number | undefined): Promise<void> {
  if (expected === undefined || expected === c.version) return;
  throw new ContextVersionConflictError(
    c.id,
    expected,
    c.version,
    expected < c.version ? await changedKeysSince(tx, c.tenantId, c.id, expected) : [],
  );
}

async function requireRow(
  q: Queryable,
  table: "sessions" | "agents",
  tenantId: string,
  id: string,
  field: string,
): Promise<void> {
  const found = table === "sessions" ? await findSession(q, tenantId, id) : await findAgent(q, tenantId, id);
  if (!found)
    throw new InvalidInputError(`${table === "sessions" ? "session" : "agent"} ${id} not found`, [
      { path: field, reason: `no such ${table === "sessions" ? "session" : "agent"}` },
    ]);
}

/** A dot path from the URL; a malformed one, or one that cannot be followed, is a 400 on params.path. */
function withPath<T>(raw: string, fn: (segments: string[]) => T): T {
  try {
    return fn(parseContextPath(raw));
  } catch (e) {
    if (e instanceof ContextPathError)
      throw new InvalidInputError(e.message, [{ path: "params.path", reason: e.reason }]);
    throw e;
  }
}

export async function createContext(deps: ServiceDeps, body: z.output<typeof CreateContextBody>): Promise<Context> {
  const now = deps.clock.now();
  const expiresAt = body.expiresAt
    ? new Date(body.expiresAt)
    : body.ttlSeconds
      ? new Date(now.getTime() + body.ttlSeconds * 1000)
      : null;
  const owner = { scope: body.scope, sessionId: body.sessionId ?? null, agentId: body.agentId ?? null, expiresAt };
  const problems = contextOwnerProblems(owner, now).map((p) => ({
    path: `body.${p.path === "expiresAt" && body.ttlSeconds ? "ttlSeconds" : p.path}`,
    reason: p.reason,
  }));
  if (problems.length) throw new InvalidInputError(`invalid body: ${problems.map((p) => p.path).join(", ")}`, problems);
  if (owner.sessionId) await requireRow(deps.db, "sessions", deps.tenantId, owner.sessionId, "body.sessionId");
  if (owner.agentId) await requireRow(deps.db, "agents", deps.tenantId, owner.agentId, "body.agentId");
  assertContextSize(body.data);
  await purgeExpiredContexts(deps.db, deps.tenantId);
  return deps.db.transaction((tx) =>
    insertContext(tx, { tenantId: deps.tenantId, ...owner, name: body.name ?? null, data: body.data as JsonObject }),
  );
}

export function listContextPage(deps: ServiceDeps, query: z.output<typeof ListContextsQuery>): Promise<Page<Context>> {
  return listContexts(
    deps.db,
    {
      tenantId: deps.tenantId,
      scope: query.scope,
      sessionId: query.sessionId,
      agentId: query.agentId,
      name: query.name,
    },
    { limit: query.limit, cursor: query.cursor },
  );
}

export async function patchContext(
  deps: ServiceDeps,
  id: string,
  body: z.output<typeof PatchContextBody>,
): Promise<Context> {
  return deps.db.transaction(async (tx) => {
    const c = await lockOrThrow(tx, deps, id);
    await checkVersion(tx, c, body.expectedVersion);
    const data = body.data
      ? (body.data as JsonObject)
      : body.merge
        ? deepMerge(c.data, body.merge as JsonObject)
        : c.data;
    assertContextSize(data, body.merge ? "body.merge" : "body.data");
    const rename = body.name !== undefined && body.name !== c.name;
    return saveContext(
      tx,
      c,
      data,
      "patch",
      rename
        ? {
            scope: c.scope,
            sessionId: c.sessionId,
            agentId: c.agentId,
            name: body.name ?? null,
            expiresAt: c.expiresAt ? new Date(c.expiresAt) : null,
          }
        : undefined,
    );
  });
}

export async function deleteContextById(
  deps: ServiceDeps,
  id: string,
  expectedVersion: number | undefined,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const c = await lockOrThrow(tx, deps, id);
    await checkVersion(tx, c, expectedVersion);
    await deleteContext(tx, deps.tenantId, id);
  });
}

export async function getContextKey(deps: ServiceDeps, id: string, rawPath: string) {
  const c = await getContextById(deps, id);
  const found = withPath(rawPath, (path) => getAtPath(c.data, path));
  if (!found.found) throw new NotFoundError("context key", `${rawPath} of context ${id}`);
  return { contextId: c.id, path: rawPath, value: found.value, version: c.version };
}

export async function putContextKey(
  deps: ServiceDeps,
  id: string,
  rawPath: string,
  value: JsonValue,
  expectedVersion: number | undefined,
): Promise<Context> {
  return deps.db.transaction(async (tx) => {
    const c = await lockOrThrow(tx, deps, id);
    await checkVersion(tx, c, expectedVersion);
    const data = withPath(rawPath, (path) => setAtPath(c.data, path, value));
    assertContextSize(data, "body.value");
    return saveContext(tx, c, data, "put_key");
  });
}

export async function deleteContextKey(
  deps: ServiceDeps,
  id: string,
  rawPath: string,
  expectedVersion: number | undefined,
): Promise<Context> {
  return deps.db.transaction(async (tx) => {
    const c = await lockOrThrow(tx, deps, id);
    await checkVersion(tx, c, expectedVersion);
    const { data, deleted } = withPath(rawPath, (path) => deleteAtPath(c.data, path));
    if (!deleted) throw new NotFoundError("context key", `${rawPath} of context ${id}`);
    return saveContext(tx, c, data, "delete_key");
  });
}

export async function diffContexts(deps: ServiceDeps, id: string, otherId: string) {
  const [a, b] = await Promise.all([getContextById(deps, id), getContextById(deps, otherId)]);
  return {
    from: { id: a.id, version: a.version },
    to: { id: b.id, version: b.version },
    ...computeContextDiff(a.data, b.data),
  };
}

/** The source's data merged into the target by the strategy: the target's next version (the source is unchanged). */
export async function mergeContexts(deps: ServiceDeps, body: z.output<typeof MergeContextsBody>): Promise<Context> {
  return deps.db.transaction(async (tx) => {
    // Both rows locked in id order: two merges of the same pair in opposite directions cannot deadlock.
    const locked = new Map<string, Context>();
    for (const id of [body.sourceId, body.targetId].sort()) locked.set(id, await lockOrThrow(tx, deps, id));
    const source = locked.get(body.sourceId)!;
    const target = locked.get(body.targetId)!;
    await checkVersion(tx, target, body.expectedTargetVersion);
    const merged = computeMerge(source, target, body.strategy);
    if (!merged.ok) throw new ContextMergeConflictError(source.id, target.id, merged.conflicts);
    assertContextSize(merged.data, "body.sourceId");
    return saveContext(tx, target, merged.data, "merge");
  });
}

/** A copy of a session's context in another session: version 1 there, same name unless renamed. */
export async function shareContext(
  deps: ServiceDeps,
  id: string,
  body: z.output<typeof ShareContextBody>,
): Promise<Context> {
  const c = await getContextById(deps, id);
  if (c.scope !== "session")
    throw new PreconditionError(
      `context ${id} is a ${c.scope} context; only session contexts are shared (global ones reach every session already, agent ones every session of the agent)`,
      {
        suggestion: "create a session context and merge this one into it",
      },
    );
  if (body.sessionId === c.sessionId)
    throw new InvalidInputError("the context already belongs to that session", [
      { path: "body.sessionId", reason: "is the context's own session" },
    ]);
  await requireRow(deps.db, "sessions", deps.tenantId, body.sessionId, "body.sessionId");
  const name = body.name !== undefined ? body.name : c.name;
  return deps.db.transaction((tx) =>
    insertContext(
      tx,
      {
        tenantId: deps.tenantId,
        scope: "session",
        sessionId: body.sessionId,
        agentId: null,
        name,
        data: c.data,
        expiresAt: null,
      },
      "share",
      "body.name",
    ),
  );
}

/** Makes a context global in place (no session, agent or expiry any more), version + 1. A global one is returned as it is. */
export async function promoteContext(
  deps: ServiceDeps,
  id: string,
  body: { expectedVersion?: number | undefined; name?: string | null | undefined },
): Promise<Context> {
  return deps.db.transaction(async (tx) => {
    const c = await lockOrThrow(tx, deps, id);
    await checkVersion(tx, c, body.expectedVersion);
    const name = body.name !== undefined ? body.name : c.name;
    if (c.scope === "global" && name === c.name) return c;
    return saveContext(tx, c, c.data, "promote", {
      scope: "global",
      sessionId: null,
      agentId: null,
      name,
      expiresAt: null,
    });
  });
}
