import { InvalidInputError } from "@industrial/core";

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
