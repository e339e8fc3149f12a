/**
 * `npx tsx deploy/tools/render-manifests.ts`: regenerates the plain manifests
 * in deploy/kubernetes from the Helm chart (see plainManifestFiles), and
 * removes generated files the chart no longer produces.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PLAIN_HEADER, PLAIN_MANIFESTS_DIR, plainManifestFiles } from "./chart";
import { ensureHelm } from "./helm";

const files = plainManifestFiles(ensureHelm());
for (const f of readdirSync(PLAIN_MANIFESTS_DIR))
  if (
    f.endsWith(".yaml") &&
    !files.has(f) &&
    readFileSync(join(PLAIN_MANIFESTS_DIR, f), "utf8").startsWith(PLAIN_HEADER)
  )
    rmSync(join(PLAIN_MANIFESTS_DIR, f));
for (const [f, text] of files) writeFileSync(join(PLAIN_MANIFESTS_DIR, f), text);
console.log(`wrote ${files.size} files to ${PLAIN_MANIFESTS_DIR}: ${[...files.keys()].join(", ")}`);
