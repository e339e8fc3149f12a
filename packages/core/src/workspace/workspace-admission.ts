import { assertNever } from "../errors";

/**
 * Which folders a session or a task tree may take its files from
 * (docs/security.md, "Workspace roots"). Anyone who can create a session
 * makes the orchestrator `git init`, commit, reset and clean the folder it
 * names, so a request may only name folders under the operator's workspace
 * roots, and never the orchestrator's own state.
 *
 * Pure: paths come in with their symbolic links already resolved (the caller
 * does that I/O), and are compared as strings.
 */

/**
 * What the path is for. A `directory` outside any repository is worked in
 * place (`git add --all`, and `git reset --hard` + `git clean` on restore), so
 * one that holds the data dir would commit and wipe the orchestrator's
 * database and other sessions' worktrees; a `repository` only has worktrees
 * cut from its commits elsewhere, so it may hold the data dir (`--repo .` in
 * the folder the server was started in).
 */
export type WorkspaceKind = "directory" | "repository";

export interface WorkspaceAdmissionInput {
  /** Absolute, symbolic links resolved; `.`/`..` segments and trailing slashes are normalised here. */
  path: string;
  /** Absolute, resolved like `path`. */
  roots: readonly string[];
  /** The orchestrator's data dir, resolved like `path`. */
  dataDir: string;
  kind: WorkspaceKind;
}

export const WORKSPACE_REFUSALS = ["not-absolute", "inside-data-dir", "holds-data-dir", "outside-roots"] as const;
export type WorkspaceRefusal = (typeof WORKSPACE_REFUSALS)[number];

export type WorkspaceAdmission =
  { admitted: true; path: string; root: string } | { admitted: false; path: string; refusal: WorkspaceRefusal };

/**
 * `/a/./b/../c/` → `/a/c`; `..` above `/` stays at `/`. Null for a path that
 * is not absolute.
 */
export function normalizeAbsolutePath(path: string): string | null {
  if (!path.startsWith("/")) return null;
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") out.pop();
    else out.push(segment);
  }
  return `/${out.join("/")}`;
}

/** True when `path` is `base` or below it, segment-wise (`/srv/repo2` is not within `/srv/repo`). Both normalised. */
export function isPathWithin(path: string, base: string): boolean {
  return path === base || base === "/" || path.startsWith(`${base}/`);
}

/**
 * Admits a path when it is inside a workspace root and clear of the data dir.
 * The data dir wins over the roots: a root that contains it (the default root,
 * the server's folder, holds `./.orchestrator`) still admits nothing in it.
 * On admission, `root` is the most specific root that holds the path.
 */
export function computeWorkspaceAdmission(input: WorkspaceAdmissionInput): WorkspaceAdmission {
  const path = normalizeAbsolutePath(input.path);
  if (path === null) return { admitted: false, path: input.path, refusal: "not-absolute" };
  const dataDir = normalizeAbsolutePath(input.dataDir);
  // A data dir that is not absolute cannot be placed: refuse rather than guess.
  if (dataDir === null || isPathWithin(path, dataDir)) return { admitted: false, path, refusal: "inside-data-dir" };
  const roots = input.roots.map(normalizeAbsolutePath).filter((r): r is string => r !== null);
  const root = roots.filter((r) => isPathWithin(path, r)).sort((a, b) => b.length - a.length)[0];
  // Outside the roots first: that refusal says where the caller may go, and nothing of where the data dir is.
  if (root === undefined) return { admitted: false, path, refusal: "outside-roots" };
  if (input.kind === "directory" && isPathWithin(dataDir, path))
    return { admitted: false, path, refusal: "holds-data-dir" };
  return { admitted: true, path, root };
}

/** The sentence completing "<field> <path> …" for a refusal; `roots` as the operator configured them. */
export function describeWorkspaceRefusal(refusal: WorkspaceRefusal, roots: readonly string[]): string {
  switch (refusal) {
    case "not-absolute":
      return "is not an absolute path";
    case "inside-data-dir":
      return "is inside the orchestrator's data directory (its database, runner state and other sessions' worktrees), which no session may use";
    case "holds-data-dir":
      return "holds the orchestrator's data directory, which working in place would commit and clean: name a sub-folder, or give it as repository";
    case "outside-roots":
      return `is outside the workspace roots; allowed: ${roots.join(", ")} (ORCHESTRATOR_WORKSPACE_ROOTS)`;
    default:
      return assertNever(refusal, "workspace refusal");
  }
}
