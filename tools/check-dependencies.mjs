#!/usr/bin/env node
// Every package a workspace imports is declared in that workspace's package.json.
// npm hoists every dependency to the root node_modules, so an undeclared import
// still resolves here and breaks only where the workspace is installed alone (a
// Docker stage, a published package). Test files and test harnesses may also use
// the root's devDependencies (vitest, fast-check…), which is where they live.
// Run by `npm run lint`; prints each undeclared import with its file and exits 1.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { relative } from "node:path";
import ts from "typescript";
import { isTestPath, root, rootManifest, sourceFiles, workspaces } from "./workspaces.mjs";

const rootDev = new Set(Object.keys(rootManifest.devDependencies ?? {}));
const builtins = new Set(builtinModules);

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative, builtin and alias paths. */
function packageOf(specifier) {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("@/") || specifier.startsWith("#"))
    return null;
  if (specifier.startsWith("node:") || builtins.has(specifier.split("/")[0])) return null;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const problems = [];
for (const { dir, manifest } of workspaces()) {
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.devDependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, "utf8");
    // TypeScript's own scanner: static and dynamic imports, re-exports and require calls, never strings in prose.
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const pkg = packageOf(ref.fileName);
      if (pkg === null || declared.has(pkg)) continue;
      if (isTestPath(file) && rootDev.has(pkg)) continue;
      const line = text.slice(0, ref.pos).split("\n").length;
      problems.push(
        `${relative(root, file)}:${line}: imports "${pkg}", which ${manifest.name}'s package.json does not declare`,
      );
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(
    `\n${problems.length} undeclared import(s): add each package to the workspace's dependencies (or devDependencies for tests).`,
  );
  process.exit(1);
}
