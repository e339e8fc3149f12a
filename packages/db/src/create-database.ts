import { mkdirSync } from "node:fs";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { withTransactionRetry, type Database, type Queryable } from "./database";
import { registerSetupTransaction, type SetupTransaction } from "./setup-transaction";

// int8 and numeric arrive as strings from node-postgres; our int8 columns hold
// byte counts and budgets well inside Number's exact range.
pg.types.setTypeParser(20, (v) => Number(v));

export type DatabaseOptions =
  | { kind: "postgres"; url: string; poolSize?: number }
  | { kind: "pglite"; dataDir: string | null /* null: in memory */ };

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.kind === "postgres"
    ? createPostgres(options.url, options.poolSize ?? 10)
    : createPglite(options.dataDir);
}

/** A connect that gets no answer (a cut network, not a refusal) fails after this instead of waiting for the OS. */
const CONNECT_TIMEOUT_MS = 5_000;

async function createPostgres(url: string, poolSize: number): Promise<Database> {
  // keepAlive: a server that vanished without closing its sockets is noticed by the OS, not only by the next query.
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle client that errors (server restart) must not crash the process; the pool drops it and connects anew.
  pool.on("error", () => {});
  const run = (q: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await q.query(sql, params as unknown[])).rows as T[],
  });
  const transactionWith: SetupTransaction = (setup, fn) =>
    withTransactionRetry(async () => {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client has no listener of the pool's: a connection that ends between two
      // queries of the transaction emits 'error', which would otherwise crash the process.
      const onError = (e: Error) => (broken = e);
      client.on("error", onError);
      try {
        // BEGIN and the setup in one simple-protocol round trip (no parameters: the setup is trusted text).
        await client.query(setup ? `BEGIN; ${setup}` : "BEGIN");
        const result = await fn(run(client));
        await client.query("COMMIT");
        return result;
      } catch (e) {
        // A connection whose ROLLBACK failed may still carry the transaction's role: destroy it.
        await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw e;
      } finally {
        client.removeListener("error", onError);
        client.release(broken);
      }
    });
  const db: Database = {
    kind: "postgres",
    ...run(pool),
    transaction: (fn) => transactionWith("", fn),
    close: () => pool.end(),
  };
  registerSetupTransaction(db, transactionWith);
  return db;
}

async function createPglite(dataDir: string | null): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const lite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const wrap = (tx: Transaction): Queryable => ({
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await tx.query<T>(sql, params as unknown[])).rows,
  });
  const transactionWith: SetupTransaction = (setup, fn) =>
    lite.transaction(async (tx) => {
      if (setup) await tx.exec(setup);
      return fn(wrap(tx));
    });
  const db: Database = {
    kind: "pglite",
    query: async <T>(sql: string, params: readonly unknown[] = []) =>
      (await lite.query<T>(sql, params as unknown[])).rows,
    transaction: (fn) => transactionWith("", fn),
    close: () => lite.close(),
  };
  registerSetupTransaction(db, transactionWith);
  return db;
}
