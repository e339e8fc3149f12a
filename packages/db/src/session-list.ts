import type { Session } from "@industrial/core";
import type { Queryable } from "./database";
import { conditionAdder, readPage } from "./keyset-cursor";
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

function whereClause(f: SessionFilter): { where: string[]; params: unknown[] } {
  const params: unknown[] = [f.tenantId];
  const where = ["tenant_id = $1", "deleted_at IS NULL"];
  const add = conditionAdder(where, params);
  if (f.status?.length) add((n) => `status = ANY($${n}::text[])`, f.status);
  if (f.priority?.length) add((n) => `priority = ANY($${n}::text[])`, f.priority);
  if (f.type?.length) add((n) => `type = ANY($${n}::text[])`, f.type);
  if (f.agentId) add((n) => `agent_id = $${n}`, f.agentId);
  if (f.taskId) add((n) => `task_id = $${n}`, f.taskId);
  if (f.tag) add((n) => `$${n} = ANY(tags)`, f.tag);
  if (f.q) add((n) => `(title ILIKE $${n} OR prompt ILIKE $${n})`, `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
  if (f.createdAfter) add((n) => `created_at >= $${n}`, f.createdAfter);
  if (f.createdBefore) add((n) => `created_at < $${n}`, f.createdBefore);
  return { where, params };
}

/** Keyset-paginated list: the cursor names the last row seen, so pages never skip or repeat under inserts. */
export async function listSessions(
  q: Queryable,
  filter: SessionFilter,
  page: { limit: number; cursor?: string; sort: SessionSort },
): Promise<Page<Session>> {
  const { where, params } = whereClause(filter);
  return readPage(q, {
    table: "sessions",
    where,
    params,
    column: SORT_COLUMN[page.sort],
    descending: page.sort.startsWith("-"),
    limit: page.limit,
    cursor: page.cursor,
    fromRow: sessionFromRow,
  });
}
