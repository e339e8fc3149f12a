import { join } from "node:path";
import { createDatabase, type Database } from "@industrial/db";
import type { Config } from "../config";

/** The embedded database's folder inside the data dir. */
export const PGLITE_FOLDER = "pglite";

/** The configured storage: PostgreSQL at DATABASE_URL, else PGlite in the data dir. */
export function openStorage(config: Config): Promise<Database> {
  return createDatabase(
    config.DATABASE_URL
      ? { kind: "postgres", url: config.DATABASE_URL }
      : { kind: "pglite", dataDir: join(config.ORCHESTRATOR_DATA_DIR, PGLITE_FOLDER) },
  );
}
