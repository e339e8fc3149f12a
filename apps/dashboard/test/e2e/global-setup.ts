import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CHROMIUM } from "./browser";

/** Builds the dashboard when its build is missing or stale, and checks Chromium is installed. */
export default function setup() {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (never npx playwright install)`,
    );
  const script = fileURLToPath(new URL("../../scripts/ensure-built.mjs", import.meta.url));
  const r = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("the dashboard build failed");
}
