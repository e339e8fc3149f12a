#!/usr/bin/env node
// Every package a workspace imports is declared in that workspace's package.json.
// npm hoists every dependency to the root node_modules, so an undeclared import
// still resolves here and breaks only where the workspace is installed alone (a
// Docker stage, a published package). Test files and test harnesses may also use
// the root's devDependencies (vitest, fast-check…), which is where they live.
// Run by `npm run lint`; prints each undeclared import with its file and exits 1.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath, URL } from "node:url";
import ts from "typescript";

const root = fileURLToPath(new URL("..", import.meta.url));
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const rootDev = new Set(Object.keys(rootManifest.devDependencies ?? {}));
const builtins = new Set(builtinModules);
const SOURCE = /\.(ts|tsx|mts|js|mjs|cjs)$/;
const SKIP_DIRS = new Set(["node_modules", ".next", "dist", ".test-results", "artifacts"]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (SOURCE.test(name) && !name.endsWith(".d.ts")) yield path;
  }
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative, builtin and alias paths. */
function packageOf(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("@/") || specifier.startsWith("#")) return null;
  if (specifier.startsWith("node:") || builtins.has(specifier.split("/")[0])) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const isTestFile = (path) => /\.(test|spec|e2e\.test)\.[mc]?[jt]sx?$/.test(path) || /\/(testing|test|e2e)\//.test(path) || /vitest\.[^/]*config/.test(path);

const problems = [];
for (const group of rootManifest.workspaces) {
  const parent = join(root, group.replace(/\/\*$/, ""));
  for (const name of readdirSync(parent)) {
    const dir = join(parent, name);
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    } catch {
      continue;
    }
    const declared = new Set([
      manifest.name,
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.devDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ]);
    for (const file of files(dir)) {
      const text = readFileSync(file, "utf8");
      // TypeScript's own scanner: static and dynamic imports, re-exports and require calls, never strings in prose.
      for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
        const pkg = packageOf(ref.fileName);
        if (pkg === null || declared.has(pkg)) continue;
        if (isTestFile(file) && rootDev.has(pkg)) continue;
        const line = text.slice(0, ref.pos).split("\n").length;
        problems.push(`${relative(root, file)}:${line}: imports "${pkg}", which ${manifest.name}'s package.json does not declare`);
      }
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} undeclared import(s): add each package to the workspace's dependencies (or devDependencies for tests).`);
  process.exit(1);
}
