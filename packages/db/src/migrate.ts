import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "./database";

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "migrations");
// Any constant works; it only has to be the same for every replica.
const MIGRATION_LOCK = 7_310_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The numbered SQL files, in order. `0003_agents.sql` → version 3. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f, sql: readFileSync(join(dir, f), "utf8") }));
}

/**
 * Applies every migration not yet applied, each in its own transaction, under
 * an advisory lock so that replicas starting together migrate once.
 */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<{ applied: string[] }> {
  await db.query(
    "CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
  );
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      const rows = await tx.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (rows.length > 0) return false;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.name);
  }
  return { applied };
}

/** Latest applied version, or 0 on an empty database. */
export async function schemaVersion(db: Database): Promise<number> {
  const rows = await db.query<{ v: number | null }>(
    "SELECT (SELECT max(version) FROM schema_migrations) AS v WHERE to_regclass('schema_migrations') IS NOT NULL",
  );
  return rows[0]?.v ?? 0;
}

export function latestMigrationVersion(): number {
  return loadMigrations().at(-1)?.version ?? 0;
}

/**
 * Splits a migration into statements on `;` at line ends, skipping comment
 * lines: prepared queries take one statement each on both backends. A
 * dollar-quoted body (`DO $$ … $$`, a function) stays one statement whatever
 * its own lines end with.
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inBody = false;
  for (const line of sql.split("\n")) {
    if (!inBody && line.trim().startsWith("--")) continue;
    current.push(line);
    if ((line.match(/\$\$/g)?.length ?? 0) % 2 === 1) inBody = !inBody;
    if (inBody || !/;\s*$/.test(line)) continue;
    statements.push(current.join("\n").replace(/;\s*$/, "").trim());
    current = [];
  }
  statements.push(current.join("\n").trim());
  return statements.filter(Boolean);
}
