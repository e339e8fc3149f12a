import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createPgliteTemplate } from "@industrial/testkit";
import type { TestProject } from "vitest/node";
import { CHROMIUM } from "./browser";

/**
 * Builds the dashboard when its build is missing or stale, checks Chromium is
 * installed, and makes the migrated embedded database each test server starts from.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (never npx playwright install)`,
    );
  const script = fileURLToPath(new URL("../../scripts/ensure-built.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("the dashboard build failed");
  const embedded = await createPgliteTemplate();
  project.provide("pgliteTemplate", embedded.dir);
  return () => embedded.remove();
}
