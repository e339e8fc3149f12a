#!/usr/bin/env node
// Builds the dashboard when it has no build or its sources (or the contracts
// it bundles) changed since: `npm start` runs this first (root `prestart`).
// Offline: Next's telemetry is off and fonts are bundled from node_modules.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(dir, "../..");

if (process.env.ORCHESTRATOR_DASHBOARD === "off") process.exit(0);

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path))
    if (e !== "node_modules" && !e.endsWith(".test.ts")) m = Math.max(m, newest(join(path, e)));
  return m;
}

const buildId = join(dir, ".next", "BUILD_ID");
const inputs = [
  join(dir, "src"),
  join(dir, "next.config.mjs"),
  join(dir, "postcss.config.mjs"),
  join(dir, "package.json"),
  join(root, "packages/contracts/src"),
  join(root, "packages/core/src"),
];
const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
const changedAt = Math.max(...inputs.map(newest));
if (builtAt && builtAt >= changedAt && process.argv[2] !== "--force") process.exit(0);

console.error(
  builtAt
    ? "dashboard sources changed: rebuilding it (next build)…"
    : "building the dashboard once (next build, about a minute on 2 cores)…",
);
const nextBin = createRequire(join(dir, "package.json")).resolve("next/dist/bin/next");
// Next's build report goes to stderr: stdout is the orchestrator's log stream under `npm start`.
const r = spawnSync(process.execPath, [nextBin, "build"], {
  cwd: dir,
  stdio: ["ignore", 2, 2],
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
process.exit(r.status ?? 1);
