import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import { createDatabase, migrate } from "@industrial/db";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated embedded database's folder, made once per run (absent where a global setup made none). */
    pgliteTemplate?: string;
  }
}

/**
 * A fresh embedded database costs seconds of CPU (PGlite runs initdb in
 * WebAssembly, then the migrations); a copy of a migrated one opens in well
 * under one. A global setup makes this folder once per run; every test
 * orchestrator on PGlite then starts from a copy, as those on PostgreSQL
 * start from a template database.
 */
export async function createPgliteTemplate(): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), "orch-pglite-template-"));
  const db = await createDatabase({ kind: "pglite", dataDir: dir });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Puts a copy of the run's migrated embedded database at `target`, unless
 * something is there already (a restarted server's data dir) or the run made
 * no template (then the server creates its database as it always does).
 */
export function seedPgliteFromTemplate(target: string): boolean {
  let template: string | undefined;
  try {
    template = inject("pgliteTemplate");
  } catch {
    return false; // not inside a Vitest run (a benchmark)
  }
  if (!template || !existsSync(template) || existsSync(target)) return false;
  cpSync(template, target, { recursive: true });
  return true;
}
