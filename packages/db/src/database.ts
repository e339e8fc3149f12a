/** Something SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

/**
 * The storage port. The same repository code runs on embedded PGlite and on
 * PostgreSQL; only `createDatabase` knows which.
 */
export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /**
   * Runs `fn` in one transaction. Inside it, use only `tx`: on PGlite a query
   * on the database itself would wait for the transaction and deadlock.
   * Serialisation failures and deadlocks are retried with jittered backoff.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** SQLSTATEs worth retrying a whole transaction for (graphile-worker's table). */
const RETRYABLE_SQLSTATES = new Set(["40001", "40P01", "57P03"]);

export function isRetryableSqlError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE_SQLSTATES.has(code);
}

export async function withTransactionRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (e) {
      if (i >= attempts || !isRetryableSqlError(e)) throw e;
      await new Promise((r) => setTimeout(r, 10 * 2 ** i * (0.5 + Math.random())));
    }
  }
}
