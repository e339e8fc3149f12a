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
  return Buffer.from(JSON.stringify({ v: Number(row.cursor_us), id: row.id as string } satisfies TimeCursor)).toString(
    "base64url",
  );
}

/** @throws InvalidInputError (400 on `query.cursor`) for anything this module did not write. */
export function decodeCursor(raw: string): TimeCursor {
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as TimeCursor;
    if (Number.isSafeInteger(c.v) && typeof c.id === "string" && /^[0-9a-f-]{36}$/i.test(c.id)) return c;
  } catch {
    // the error below
  }
  throw new InvalidInputError("invalid cursor", [
    { path: "query.cursor", reason: "not a cursor returned by this list" },
  ]);
}

/**
 * What a list's filters build its conditions with: `add((n) => \`col = $\${n}\`, value)`
 * appends `value` to `params` and the condition that reads it, as $n, to `where`.
 */
export function conditionAdder(
  where: string[],
  params: unknown[],
): (sql: (n: number) => string, value: unknown) => void {
  return (sql, value) => {
    params.push(value);
    where.push(sql(params.length));
  };
}

/** What readPage reads: rows of `table` matching `where`, ordered by `column` then id. */
export interface PageRead<T> {
  table: string;
  where: string[];
  params: unknown[];
  column: string;
  descending: boolean;
  limit: number;
  cursor?: string | undefined;
  fromRow: (r: Record<string, unknown>) => T;
}

/**
 * One page of `table` ordered by `column` then id (`descending` or not),
 * after `cursor`, with the total of rows matching `where` (conditions on
 * `params`, numbered from $1), in one statement: under a tenant's
 * transaction each statement costs three round trips (begin with the
 * tenant's role, the statement, commit).
 */
export async function readPage<T>(
  q: Queryable,
  input: PageRead<T>,
): Promise<{ items: T[]; nextCursor: string | null; total: number }> {
  const params = [...input.params];
  const whereAll = input.where.length ? `WHERE ${input.where.join(" AND ")}` : "";
  const wherePage = [...input.where];
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    params.push(c.v, c.id);
    wherePage.push(afterCursor(input.column, input.descending, params.length - 1));
  }
  params.push(input.limit + 1);
  const dir = input.descending ? "DESC" : "ASC";
  const order = `${input.column} ${dir}, id ${dir}`;
  // The page joined to one row, so that an empty page still brings its total.
  const rows = await q.query<Record<string, unknown> & { page_total: number }>(
    `WITH page AS (SELECT *, ${cursorMicros(input.column)} FROM ${input.table} ${wherePage.length ? `WHERE ${wherePage.join(" AND ")}` : ""} ORDER BY ${order} LIMIT $${params.length})
     SELECT (SELECT count(*)::int FROM ${input.table} ${whereAll}) AS page_total, page.* FROM (SELECT 1 AS page_one) AS one LEFT JOIN page ON true ORDER BY ${order}`,
    params,
  );
  const found = rows.filter((r) => r.id != null);
  const last = found.length > input.limit ? found[input.limit - 1] : undefined;
  return {
    items: found.slice(0, input.limit).map(input.fromRow),
    total: rows[0]?.page_total ?? 0,
    nextCursor: last ? encodeCursor(last) : null,
  };
}

/** One page of `table` oldest first (created_at, id), with its total: the listing of tenants, users and API keys. */
export function readOldestFirst<T>(
  q: Queryable,
  input: Omit<PageRead<T>, "column" | "descending">,
): Promise<{ items: T[]; nextCursor: string | null; total: number }> {
  return readPage(q, { ...input, column: "created_at", descending: false });
}

/** One page of `table` newest first (created_at, id), with its total: the listing of contexts and tasks. */
export function readNewestFirst<T>(
  q: Queryable,
  input: Omit<PageRead<T>, "column" | "descending">,
): Promise<{ items: T[]; nextCursor: string | null; total: number }> {
  return readPage(q, { ...input, column: "created_at", descending: true });
}
