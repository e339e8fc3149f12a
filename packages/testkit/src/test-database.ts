import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDatabase, migrate, type Database } from "@industrial/db";
import { databaseUrl, dropDatabase, withAdmin } from "./pg-admin";

export type TestBackend = "pglite" | "postgres";

/** Backend of the running vitest project (int-pglite / int-postgres). */
export function testBackend(): TestBackend {
  return process.env.ORCHESTRATOR_TEST_DB === "postgres" ? "postgres" : "pglite";
}

export interface TestDatabase {
  db: Database;
  backend: TestBackend;
  /** PostgreSQL URL of the clone (null on PGlite), for a second process or scheduler. */
  url: string | null;
  /** Closes the database and drops the clone. */
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, on the project's backend unless told otherwise. */
export async function createTestDatabase(backend: TestBackend = testBackend()): Promise<TestDatabase> {
  if (backend === "pglite") {
    const db = await createDatabase({ kind: "pglite", dataDir: null });
    await migrate(db);
    return { db, backend, url: null, drop: () => db.close() };
  }
  const name = `orch_test_${randomBytes(5).toString("hex")}`;
  const template = inject("pgTemplate");
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrl(name);
  const db = await createDatabase({ kind: "postgres", url });
  return {
    db,
    backend,
    url,
    drop: async () => {
      await db.close();
      await dropDatabase(name);
    },
  };
}
