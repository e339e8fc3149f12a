#!/usr/bin/env node
// No source file over 350 lines (tests aside): a file that long holds more than one thing, and
// its name can no longer say what (docs/architecture.md). Split it along its seams instead of
// raising the limit. Prints each file with its length and exits 1.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { isTestPath, root, sourceFiles, workspaces } from "./workspaces.mjs";

const LIMIT = 350;

const dirs = [...[...workspaces()].map((w) => w.dir), ...["bench", "tools", "deploy"].map((d) => join(root, d))];
const problems = [];
for (const dir of dirs)
  for (const file of sourceFiles(dir)) {
    if (isTestPath(file)) continue;
    const lines = readFileSync(file, "utf8").split("\n").length - 1;
    if (lines > LIMIT) problems.push(`${relative(root, file)}: ${lines} lines`);
  }

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`\n${problems.length} file(s) over ${LIMIT} lines: split each along its seams.`);
  process.exit(1);
}
