import { randomUUID } from "node:crypto";
import type { AuditEntry } from "@industrial/core";
import type { Queryable } from "./database";
import { auditEntryFromRow } from "./identity-rows";
import { afterCursor, cursorMicros, decodeCursor, encodeCursor } from "./keyset-cursor";
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
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (f.actor) add((n) => `(actor = $${n} OR key_id::text = $${n} OR user_id::text = $${n})`, f.actor);
  if (f.action) add((n) => `action = $${n}`, f.action);
  if (f.target) add((n) => `strpos(target, $${n}) > 0`, f.target);
  if (f.from) add((n) => `at >= $${n}::timestamptz`, f.from);
  if (f.to) add((n) => `at < $${n}::timestamptz`, f.to);
  const total =
    (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE ${where.join(" AND ")}`, params))[0]
      ?.n ?? 0;
  if (f.cursor) {
    const c = decodeCursor(f.cursor);
    params.push(c.v, c.id);
    where.push(afterCursor("at", true, params.length - 1));
  }
  params.push(f.limit + 1);
  const rows = await q.query(
    `SELECT *, ${cursorMicros("at")} FROM audit_log WHERE ${where.join(" AND ")} ORDER BY at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  const last = rows.length > f.limit ? rows[f.limit - 1] : undefined;
  return { items: rows.slice(0, f.limit).map(auditEntryFromRow), total, nextCursor: last ? encodeCursor(last) : null };
}
