import type { Session } from "@industrial/core";
import type { Queryable } from "./database";
import { afterCursor, cursorMicros, decodeCursor, encodeCursor } from "./keyset-cursor";
import { sessionFromRow } from "./rows";

export const SESSION_SORTS = ["-createdAt", "createdAt", "-statusUpdatedAt", "statusUpdatedAt"] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];

export interface SessionFilter {
  tenantId: string;
  status?: string[];
  priority?: string[];
  type?: string[];
  agentId?: string;
  taskId?: string;
  tag?: string;
  q?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  total: number;
}

const SORT_COLUMN: Record<SessionSort, string> = {
  "-createdAt": "created_at",
  createdAt: "created_at",
  "-statusUpdatedAt": "status_updated_at",
  statusUpdatedAt: "status_updated_at",
};


function whereClause(f: SessionFilter): { sql: string; params: unknown[] } {
  const params: unknown[] = [f.tenantId];
  const where = ["tenant_id = $1", "deleted_at IS NULL"];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (f.status?.length) add((n) => `status = ANY($${n}::text[])`, f.status);
  if (f.priority?.length) add((n) => `priority = ANY($${n}::text[])`, f.priority);
  if (f.type?.length) add((n) => `type = ANY($${n}::text[])`, f.type);
  if (f.agentId) add((n) => `agent_id = $${n}`, f.agentId);
  if (f.taskId) add((n) => `task_id = $${n}`, f.taskId);
  if (f.tag) add((n) => `$${n} = ANY(tags)`, f.tag);
  if (f.q) add((n) => `(title ILIKE $${n} OR prompt ILIKE $${n})`, `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  if (f.createdAfter) add((n) => `created_at >= $${n}`, f.createdAfter);
  if (f.createdBefore) add((n) => `created_at < $${n}`, f.createdBefore);
  return { sql: where.join(" AND "), params };
}

/** Keyset-paginated list: the cursor names the last row seen, so pages never skip or repeat under inserts. */
export async function listSessions(
  q: Queryable,
  filter: SessionFilter,
  page: { limit: number; cursor?: string; sort: SessionSort },
): Promise<Page<Session>> {
  const { sql, params } = whereClause(filter);
  const column = SORT_COLUMN[page.sort];
  const desc = page.sort.startsWith("-");
  const totalRows = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM sessions WHERE ${sql}`, params);
  const pageParams = [...params];
  let keyset = "";
  if (page.cursor) {
    const c = decodeCursor(page.cursor);
    pageParams.push(c.v, c.id);
    keyset = ` AND ${afterCursor(column, desc, pageParams.length - 1)}`;
  }
  pageParams.push(page.limit + 1);
  const rows = await q.query(
    `SELECT *, ${cursorMicros(column)} FROM sessions WHERE ${sql}${keyset} ORDER BY ${column} ${desc ? "DESC" : "ASC"}, id ${desc ? "DESC" : "ASC"} LIMIT $${pageParams.length}`,
    pageParams,
  );
  const items = rows.slice(0, page.limit).map(sessionFromRow);
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return {
    items,
    total: totalRows[0]?.n ?? 0,
    nextCursor: last ? encodeCursor(last) : null,
  };
}
