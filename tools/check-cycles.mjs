#!/usr/bin/env node
// No import cycles inside a workspace (docs/architecture.md, Layers). Between
// workspaces the declared dependencies already forbid them (check-dependencies.mjs);
// inside one, a cycle — type-only imports included — means two files that cannot
// be read, tested or moved apart. Follows relative imports with TypeScript's own
// scanner; prints each cycle as a chain of files and exits 1.
import { existsSync, readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import ts from "typescript";
import { isSource, root, sourceFiles, workspaces } from "./workspaces.mjs";

const EXTENSIONS = [".ts", ".tsx", ".mts", ".js", ".mjs", "/index.ts", "/index.tsx"];

/** The file a relative specifier names, or null (a package, an alias, or a file that is not there). */
function resolveRelative(from, specifier) {
  if (!specifier.startsWith(".")) return null;
  const base = resolve(dirname(from), specifier);
  if (isSource(base) && existsSync(base)) return base;
  const stripped = base.replace(/\.(js|mjs)$/, "");
  for (const ext of EXTENSIONS) if (existsSync(stripped + ext)) return stripped + ext;
  return null;
}

/** Tarjan's strongly connected components: every one with more than one file (or a file importing itself) is a cycle. */
function cyclesOf(graph) {
  let index = 0;
  const stack = [];
  const on = new Set();
  const idx = new Map();
  const low = new Map();
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.reverse());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const problems = [];
for (const { dir } of workspaces()) {
  const graph = new Map();
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, "utf8");
    const targets = ts
      .preProcessFile(text, true, true)
      .importedFiles.map((ref) => resolveRelative(file, ref.fileName))
      .filter((t) => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  for (const cycle of cyclesOf(graph)) problems.push(cycle.map((f) => relative(root, f)).join(" → "));
}

if (problems.length > 0) {
  console.error(problems.map((p) => `import cycle: ${p}`).join("\n"));
  console.error(
    `\n${problems.length} import cycle(s): move what both sides need into a file of its own (docs/architecture.md, Layers).`,
  );
  process.exit(1);
}
