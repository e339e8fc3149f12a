import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { createDatabase, migrate } from "@industrial/db";
import { databaseUrl, dropDatabase, withAdmin } from "./pg-admin";
import { createPgliteTemplate } from "./pglite-template";

declare module "vitest" {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}

/**
 * Migrates a template database once per run; each test file then clones it
 * (`CREATE DATABASE … TEMPLATE`), which is much faster than migrating per file.
 * Likewise an embedded (PGlite) one, copied into each test server's data dir.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const template = `orch_tmpl_${randomBytes(4).toString("hex")}`;
  await withAdmin(async (c) => {
    await c.query(`CREATE DATABASE "${template}"`);
  });
  const db = await createDatabase({ kind: "postgres", url: databaseUrl(template), poolSize: 1 });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  project.provide("pgTemplate", template);
  const embedded = await createPgliteTemplate();
  project.provide("pgliteTemplate", embedded.dir);
  return async () => {
    embedded.remove();
    await dropDatabase(template);
  };
}
