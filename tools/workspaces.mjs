// What the house checks (check-dependencies.mjs, check-cycles.mjs) walk: every workspace of the
// root package.json with its manifest, and the source files under it (not dependencies, build
// output, test reports or declaration files).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath, URL } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(["node_modules", ".next", "dist", ".test-results", "artifacts"]);

export const isSource = (path) => SOURCE.test(path) && !path.endsWith(".d.ts");

/** Tests, test harnesses and test configs (by their path inside the repository): what the house rules treat as test code. */
export function isTestPath(path) {
  const inRepo = `/${relative(root, path)}`;
  return (
    /\.(test|spec)\.[mc]?[jt]sx?$/.test(inRepo) ||
    /\/(testing|test|e2e)\//.test(inRepo) ||
    /vitest\.[^/]*config/.test(inRepo)
  );
}

export function* sourceFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (isSource(name)) yield path;
  }
}

/** Every workspace: its folder and its package.json. */
export function* workspaces() {
  for (const group of rootManifest.workspaces) {
    const parent = join(root, group.replace(/\/\*$/, ""));
    for (const name of readdirSync(parent)) {
      const dir = join(parent, name);
      if (existsSync(join(dir, "package.json")))
        yield { dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) };
    }
  }
}
