import { randomBytes } from "node:crypto";
import { databaseUrl, withAdmin } from "@industrial/testkit";

/** A bench's own PostgreSQL database: its URL, the orchestrator settings that put one there, and how to drop it. */
export interface BenchDatabase {
  url: string;
  /** DATABASE_URL, and the ORCHESTRATOR_SECRET that PostgreSQL requires of every replica. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A new, empty database `name` on the PostgreSQL the tests use (127.0.0.1), dropped first if a run before left it. */
export async function createBenchDatabase(name: string): Promise<BenchDatabase> {
  const drop = async () => {
    await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  };
  await drop();
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = databaseUrl(name);
  return { url, env: { DATABASE_URL: url, ORCHESTRATOR_SECRET: randomBytes(32).toString("hex") }, drop };
}
