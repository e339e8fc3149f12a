import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, and small readers the deployment tests share. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

interface Pkg {
  name: string;
  workspaces?: string[];
  scripts?: Record<string, string>;
}
const pkg = (dir: string) => JSON.parse(read(join(dir, "package.json"))) as Pkg;

/** Workspace directories with a package.json (the root's `workspaces` globs are all `dir/*`). */
export function workspaces(): string[] {
  return (pkg(".").workspaces ?? []).flatMap((glob) => {
    const dir = glob.replace(/\/\*$/, "");
    return readdirSync(join(ROOT, dir))
      .map((d) => `${dir}/${d}`)
      .filter((d) => existsSync(join(ROOT, d, "package.json")));
  });
}

/** The `npm run <script> [-w <workspace>]` calls in a shell command whose script does not exist. */
export function missingNpmScripts(command: string): string[] {
  const missing: string[] = [];
  for (const m of command.matchAll(/npm run (?:-s |--silent )?([\w:.-]+)(?:\s+(?:-w|--workspace)[ =](\S+))?/g)) {
    const dir = m[2] ? workspaces().find((d) => pkg(d).name === m[2]) : ".";
    if (!dir || !(m[1]! in (pkg(dir).scripts ?? {}))) missing.push(m[0]);
  }
  return missing;
}
