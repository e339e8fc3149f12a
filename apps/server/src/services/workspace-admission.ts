import { realpath } from "node:fs/promises";
import { join } from "node:path";
import {
  computeWorkspaceAdmission,
  describeWorkspaceRefusal,
  InvalidInputError,
  sessionShortId,
  type WorkspaceKind,
} from "@industrial/core";

/** The folders requests may name, and the one they never may (docs/security.md, "Workspace roots"). */
export interface WorkspacePolicy {
  roots: readonly string[];
  dataDir: string;
}

export type WorkspaceCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * `path` with every symbolic link resolved, as the kernel would follow it:
 * the real path of its longest existing prefix (so `link/..` goes where the
 * link's target's parent is), then the rest appended as written (the pure
 * check normalises its `..`). A path that does not exist yet still gets
 * checked where it would be, so "outside the roots" answers before "does not
 * exist" and a refused caller learns nothing of what exists there.
 */
export async function resolveThroughLinks(path: string): Promise<string> {
  let prefix = path;
  let rest = "";
  for (;;) {
    try {
      const real = await realpath(prefix);
      return rest ? join(real, rest) : real;
    } catch {
      // Missing, not a directory, a loop, no permission: resolve what can be, keep the rest as written.
      const trimmed = prefix.replace(/\/+$/, "");
      const cut = trimmed.lastIndexOf("/");
      if (cut < 0) return path; // not absolute: the pure check refuses it
      rest = rest ? `${trimmed.slice(cut + 1)}/${rest}` : trimmed.slice(cut + 1);
      prefix = trimmed.slice(0, cut) || "/";
    }
  }
}

/**
 * Resolves `path`, the roots and the data dir through their links and applies
 * `computeWorkspaceAdmission`. An admitted path comes back resolved: callers
 * store and use that one, so a link swapped after the check changes nothing.
 */
export async function checkWorkspacePath(
  policy: WorkspacePolicy,
  path: string,
  kind: WorkspaceKind,
): Promise<WorkspaceCheck> {
  const [real, roots, dataDir] = await Promise.all([
    resolveThroughLinks(path),
    Promise.all(policy.roots.map(resolveThroughLinks)),
    resolveThroughLinks(policy.dataDir),
  ]);
  const admission = computeWorkspaceAdmission({ path: real, roots, dataDir, kind });
  if (admission.admitted) return { ok: true, path: admission.path };
  const via = admission.path === path ? "" : ` (it resolves to ${admission.path})`;
  return { ok: false, reason: `${describeWorkspaceRefusal(admission.refusal, policy.roots)}${via}` };
}

/**
 * The request's `directory` or `repository` (the field is named after the
 * kind), resolved, or a 400 naming `body.<field>`.
 * @throws InvalidInputError when the path is refused.
 */
export async function admitWorkspacePath(
  deps: { workspaceRoots: readonly string[]; dataDir: string },
  path: string,
  field: WorkspaceKind,
): Promise<string> {
  const check = await checkWorkspacePath({ roots: deps.workspaceRoots, dataDir: deps.dataDir }, path, field);
  if (check.ok) return check.path;
  throw new InvalidInputError(`${field} ${path} ${check.reason}`, [{ path: `body.${field}`, reason: check.reason }]);
}

/** The repository a task tree executed without one gets, inside the data dir (the orchestrator's own, so not a request's path). */
export function ownTreeRepository(dataDir: string, rootTaskId: string): string {
  return join(dataDir, "trees", sessionShortId(rootTaskId));
}
