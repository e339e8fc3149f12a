import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { withTransactionRetry, type Database, type Queryable } from "./database";

// int8 and numeric arrive as strings from node-postgres; our int8 columns hold
// byte counts and budgets well inside Number's exact range.
pg.types.setTypeParser(20, (v) => Number(v));

export type DatabaseOptions =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string | null /* null: in memory */ };

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === "postgres" ? createPostgres(options.url, options.poolSize ?? 10) : createPglite(options.dataDir);
}

async function createPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process.
  pool.on("error", () => {});
  const run = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await q.query(sql, params as unknown[])).rows as T[],
  });
  const db: Database = {
    kind: "postgres",
    ...run(pool),
    transaction: (fn) =>
      withTransactionRetry(async () => {
        const client = await pool.connect();
        try {
          await client.query("BEGIN");
          const result = await fn(run(client));
          await client.query("COMMIT");
          return result;
        } catch (e) {
          await client.query("ROLLBACK").catch(() => {});
          throw e;
        } finally {
          client.release();
        }
      }),
    close: () => pool.end(),
  };
  return db;
}

async function createPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const db: Database = {
    kind: "pglite",
    query: async <T>(sql: string, params: readonly unknown[] = []) => (await lite.query<T>(sql, params as unknown[])).rows,
    transaction: (fn) =>
      lite.transaction(async (tx) => fn({ query: async <T>(sql: string, params: readonly unknown[] = []) => (await tx.query<T>(sql, params as unknown[])).rows })),
    close: () => lite.close(),
  };
  return db;
}
