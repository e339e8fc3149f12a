import { statSync } from "node:fs";
import { resolve } from "node:path";

/**
 * `ORCHESTRATOR_WORKSPACE_ROOTS`: the folders sessions and task trees may
 * take their files from (docs/security.md, "Workspace roots").
 * - Comma-separated; absent or empty: the folder the server was started in.
 * - A relative entry is resolved against that folder, as
 *   `ORCHESTRATOR_DATA_DIR` is, so `.` and `../repos` work from a shell.
 * - Every root must exist and be a directory: a typo would otherwise refuse
 *   every session with no hint why. Symbolic links are resolved where paths
 *   are checked, not here, so a root may be a link.
 */
export function parseWorkspaceRoots(value: string | undefined, cwd: string): { roots: string[]; errors: string[] } {
  const name = "ORCHESTRATOR_WORKSPACE_ROOTS";
  if (value === undefined || value.trim() === "") return { roots: [resolve(cwd)], errors: [] };
  const entries = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0)
    return {
      roots: [],
      errors: [`${name}: name at least one folder (comma-separated), or leave it unset for the current folder`],
    };
  const errors: string[] = [];
  const roots = entries.map((entry) => {
    const root = resolve(cwd, entry);
    if (entry.includes("\0")) errors.push(`${name}: ${JSON.stringify(entry)} contains a NUL byte`);
    else if (!isDirectory(root))
      errors.push(`${name}: ${root}${root === entry ? "" : ` (${entry})`} is not an existing directory`);
    return root;
  });
  return { roots: [...new Set(roots)], errors };
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
