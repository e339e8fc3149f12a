import { randomUUID } from "node:crypto";
import type { AuditEntry } from "@industrial/core";
import type { Queryable } from "./database";
import { auditEntryFromRow } from "./identity-rows";
import { conditionAdder, readPage } from "./keyset-cursor";
import type { Page } from "./session-list";

export type NewAuditEntry = Omit<AuditEntry, "id" | "at">;

export async function insertAuditEntry(q: Queryable, e: NewAuditEntry): Promise<void> {
  await q.query(
    "INSERT INTO audit_log (id, tenant_id, key_id, user_id, actor, action, target, status, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    [randomUUID(), e.tenantId, e.keyId, e.userId, e.actor, e.action, e.target, e.status, e.requestId],
  );
}

export interface AuditFilter {
  tenantId: string;
  /** `user:<id>` / `key:<id>` / `anonymous`, or a bare key or user id. */
  actor?: string | undefined;
  action?: string | undefined;
  /** A substring of the target. */
  target?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Newest first, keyset-paginated on (at, id). */
export async function listAuditEntries(q: Queryable, f: AuditFilter): Promise<Page<AuditEntry>> {
  const params: unknown[] = [f.tenantId];
  const where = ["tenant_id = $1"];
  const add = conditionAdder(where, params);
  if (f.actor) add((n) => `(actor = $${n} OR key_id::text = $${n} OR user_id::text = $${n})`, f.actor);
  if (f.action) add((n) => `action = $${n}`, f.action);
  if (f.target) add((n) => `strpos(target, $${n}) > 0`, f.target);
  if (f.from) add((n) => `at >= $${n}::timestamptz`, f.from);
  if (f.to) add((n) => `at < $${n}::timestamptz`, f.to);
  return readPage(q, {
    table: "audit_log",
    where,
    params,
    column: "at",
    descending: true,
    limit: f.limit,
    cursor: f.cursor,
    fromRow: auditEntryFromRow,
  });
}
