import { ConflictError, DomainError, ErrorCode, type ErrorDetail } from "../errors";

/**
 * A context: a shared, versioned JSON document that sessions read from and
 * write to (docs/domain.md, Contexts). Who it belongs to is its scope:
 * - `session`   one session's (sessionId);
 * - `agent`     one agent's (agentId), given to every session that agent runs;
 * - `global`    the tenant's, given to every session;
 * - `temporary` expires at `expiresAt`; may be addressed to a session or an agent.
 */
export const CONTEXT_SCOPES = ["session", "agent", "global", "temporary"] as const;
export type ContextScope = (typeof CONTEXT_SCOPES)[number];

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface Context {
  id: string;
  tenantId: string;
  scope: ContextScope;
  sessionId: string | null;
  agentId: string | null;
  /** Unique per owner (scope + session/agent); null is the owner's default context. */
  name: string | null;
  data: JsonObject;
  /** 1 when created; every write adds 1. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Temporary contexts only: after this they are gone. */
  expiresAt: string | null;
}

/** Largest `data` of one context, as UTF-8 JSON. */
export const CONTEXT_DATA_LIMIT_BYTES = 256 * 1024;

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Size of a document as stored (compact UTF-8 JSON). */
export function computeJsonBytes(value: JsonValue): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** Deep equality of JSON values (object key order does not matter). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!));
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!));
  }
  return false;
}

/**
 * Sets an own property. Plain assignment of `__proto__` would change the
 * object's prototype instead of storing the key; JSON data may hold any key.
 */
export function setOwn(obj: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Who a context belongs to, checked against its scope (also enforced by the table's CHECKs). */
export function contextOwnerProblems(
  c: { scope: ContextScope; sessionId: string | null; agentId: string | null; expiresAt: Date | null },
  now: Date,
): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  if (c.scope === "session" && !c.sessionId)
    problems.push({ path: "sessionId", reason: "a session context needs its session" });
  if (c.scope === "agent" && !c.agentId) problems.push({ path: "agentId", reason: "an agent context needs its agent" });
  if ((c.scope === "agent" || c.scope === "global") && c.sessionId)
    problems.push({ path: "sessionId", reason: `a ${c.scope} context belongs to no session` });
  if ((c.scope === "session" || c.scope === "global") && c.agentId)
    problems.push({ path: "agentId", reason: `a ${c.scope} context belongs to no agent` });
  if (c.scope === "temporary" && !c.expiresAt)
    problems.push({ path: "expiresAt", reason: "a temporary context needs expiresAt (or ttlSeconds)" });
  if (c.scope !== "temporary" && c.expiresAt)
    problems.push({ path: "expiresAt", reason: "only temporary contexts expire" });
  if (c.expiresAt && c.expiresAt.getTime() <= now.getTime())
    problems.push({ path: "expiresAt", reason: "must be in the future" });
  return problems;
}

/**
 * An update carried `expectedVersion` but the context moved on. The caller
 * re-reads it, reapplies its change and sends the current version. Carries
 * both versions and the keys written since the expected one.
 */
export class ContextVersionConflictError extends ConflictError {
  constructor(contextId: string, expectedVersion: number, currentVersion: number, changedKeys: readonly string[]) {
    super(
      `context ${contextId} is at version ${currentVersion}, not ${expectedVersion}` +
        (changedKeys.length
          ? `; changed since: ${changedKeys.slice(0, 20).join(", ")}${changedKeys.length > 20 ? ", …" : ""}`
          : ""),
      {
        context: { contextId, expectedVersion, currentVersion, changedKeys: [...changedKeys] },
        details: [
          {
            path: "body.expectedVersion",
            reason: `is ${expectedVersion}; the context is at version ${currentVersion}`,
          },
          ...changedKeys.map((k) => ({ path: `data.${k}`, reason: `changed since version ${expectedVersion}` })),
        ],
        suggestion: `read the context again, reapply your change and send expectedVersion ${currentVersion}`,
      },
    );
  }
}

/** A `manual` merge found keys that differ on both sides; nothing was written. */
export class ContextMergeConflictError extends ConflictError {
  constructor(sourceId: string, targetId: string, conflicts: readonly string[]) {
    super(
      `manual merge of context ${sourceId} into ${targetId} refused: ${conflicts.length} key(s) differ on both sides: ${conflicts.slice(0, 20).join(", ")}${conflicts.length > 20 ? ", …" : ""}`,
      {
        context: { sourceId, targetId, conflicts: [...conflicts] },
        details: conflicts.map((k) => ({ path: `data.${k}`, reason: "differs in source and target" })),
        suggestion:
          "resolve the keys (PUT /contexts/{id}/keys/{path} on either side) and merge again, or merge with another strategy",
      },
    );
  }
}

/** A context's data (after a write) over CONTEXT_DATA_LIMIT_BYTES. */
export class ContextTooLargeError extends DomainError {
  constructor(bytes: number, field = "body.data") {
    super(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `context data would be ${bytes} bytes; the limit is ${CONTEXT_DATA_LIMIT_BYTES}`,
      {
        details: [{ path: field, reason: `over ${CONTEXT_DATA_LIMIT_BYTES} bytes as JSON` }],
        context: { bytes, limit: CONTEXT_DATA_LIMIT_BYTES },
      },
    );
  }
}

/** Throws ContextTooLargeError when the document is over the limit. */
export function assertContextSize(data: JsonObject, field?: string): void {
  const bytes = computeJsonBytes(data);
  if (bytes > CONTEXT_DATA_LIMIT_BYTES) throw new ContextTooLargeError(bytes, field);
}
