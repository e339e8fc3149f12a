import { InvalidInputError } from "@industrial/core";
import type { Queryable } from "./database";

/**
 * The opaque `?cursor` of lists ordered by a time column then id: the last
 * row's time in epoch microseconds (exact, unlike a JS Date) and its id.
 */
export interface TimeCursor {
  v: number;
  id: string;
}

/** The select expression that gives each row its cursor value (read back as `cursor_us`). */
export const cursorMicros = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::bigint AS cursor_us`;

/** The keyset condition after a cursor whose value and id are parameters $n and $n+1. */
export const afterCursor = (column: string, descending: boolean, n: number) =>
  `(${column}, id) ${descending ? "<" : ">"} (timestamptz 'epoch' + $${n}::bigint * interval '1 microsecond', $${n + 1}::uuid)`;

export function encodeCursor(row: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ v: Number(row.cursor_us), id: row.id as string } satisfies TimeCursor)).toString("base64url");
}

/** @throws InvalidInputError (400 on `query.cursor`) for anything this module did not write. */
export function decodeCursor(raw: string): TimeCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as TimeCursor;
    if (Number.isSafeInteger(c.v) && typeof c.id === "string" && /^[0-9a-f-]{36}$/i.test(c.id)) return c;
  } catch {
    // the error below
  }
  throw new InvalidInputError("invalid cursor", [{ path: "query.cursor", reason: "not a cursor returned by this list" }]);
}

/**
 * One page of `table` oldest first (created_at, id), with the total of rows
 * matching `where` (conditions on `params`, numbered from $1): the listing of
 * tenants, users and API keys.
 */
export async function readOldestFirst<T>(
  q: Queryable,
  input: { table: string; where: string[]; params: unknown[]; limit: number; cursor?: string | undefined; fromRow: (r: Record<string, unknown>) => T },
): Promise<{ items: T[]; nextCursor: string | null; total: number }> {
  const where = [...input.where];
  const params = [...input.params];
  const clause = () => (where.length ? `WHERE ${where.join(" AND ")}` : "");
  const total = (await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${input.table} ${clause()}`, params))[0]?.n ?? 0;
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    params.push(c.v, c.id);
    where.push(afterCursor("created_at", false, params.length - 1));
  }
  params.push(input.limit + 1);
  const rows = await q.query(`SELECT *, ${cursorMicros("created_at")} FROM ${input.table} ${clause()} ORDER BY created_at, id LIMIT $${params.length}`, params);
  const last = rows.length > input.limit ? rows[input.limit - 1] : undefined;
  return { items: rows.slice(0, input.limit).map(input.fromRow), total, nextCursor: last ? encodeCursor(last) : null };
}
