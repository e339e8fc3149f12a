import { existsSync } from "node:fs";
import { readdir, realpath, stat } from "node:fs/promises";
import { ConflictError, InvalidInputError, PreconditionError } from "@industrial/core";
import { runGit } from "./run-git";
import type { WorkspaceOptions } from "./types";

type Timeout = Partial<Pick<WorkspaceOptions, "timeoutMs">>;

/**
 * The canonical (symlink-free) absolute path of an existing directory.
 * @throws InvalidInputError naming the path when it is missing or not a directory.
 */
export async function assertDirectory(path: string, field: string): Promise<string> {
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isDirectory()) {
    const problem = info === null ? "does not exist" : "is not a directory";
    throw new InvalidInputError(`${field} ${path} ${problem}`, [{ path: field, reason: problem }], {
      context: { [field]: path },
      suggestion: `create ${path} first, or name an existing directory`,
    });
  }
  return realpath(path);
}

/** Where `dir` sits in a git work tree: its root and its path from the root ("" or "sub/dir/"). */
export interface WorkTreeLocation {
  root: string;
  prefix: string;
}

/**
 * The work tree containing `dir`, or null when `dir` is in no git repository.
 * Other failures (e.g. git refusing a repository owned by another user) throw:
 * treating them as "not a repository" would make us `git init` over a repository.
 */
export async function locateWorkTree(dir: string, options: Timeout = {}): Promise<WorkTreeLocation | null> {
  const result = await runGit(["rev-parse", "--show-toplevel", "--show-prefix"], {
    cwd: dir,
    timeoutMs: options.timeoutMs,
    allowExitCodes: [128],
  });
  if (result.exitCode === 128) {
    if (/not a git repository/i.test(result.stderr)) return null;
    throw new Error(`git cannot use ${dir}: ${result.stderr.trim()}`);
  }
  const [root = "", prefix = ""] = result.stdout.split("\n");
  return { root, prefix };
}

/** True when `dir` exists and is inside a git work tree (its own or an enclosing one). */
export async function isGitRepository(dir: string, options: Timeout = {}): Promise<boolean> {
  const info = await stat(dir).catch(() => null);
  if (info === null || !info.isDirectory()) return false;
  return (await locateWorkTree(dir, options)) !== null;
}

/** The branch checked out in `dir` (`main`, `orchestrator/ab12cd34`), or null when HEAD is detached. */
export async function currentBranch(dir: string, options: Timeout = {}): Promise<string | null> {
  const result = await runGit(["symbolic-ref", "--quiet", "--short", "HEAD"], {
    cwd: dir,
    timeoutMs: options.timeoutMs,
    allowExitCodes: [1], // 1: detached HEAD
  });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/**
 * The full hash `ref` names, or null when it names no commit (unknown ref, or
 * an unborn HEAD). `--end-of-options` keeps a ref like `--help` from being an option.
 */
export async function resolveCommit(cwd: string, ref: string, options: Timeout = {}): Promise<string | null> {
  const result = await runGit(["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], {
    cwd,
    timeoutMs: options.timeoutMs,
    allowExitCodes: [1],
  });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/**
 * The commit HEAD points to in `dir`.
 * @throws PreconditionError when the repository has no commit yet.
 */
export async function headCommit(dir: string, options: Timeout = {}): Promise<string> {
  const commit = await resolveCommit(dir, "HEAD", options);
  if (commit === null) {
    throw new PreconditionError(`${dir} has no commit yet`, {
      context: { dir },
      suggestion: "commit something first",
    });
  }
  return commit;
}

/**
 * Checkpoints must land on the session branch: if something (the agent) checked
 * out another branch, committing would silently put them elsewhere.
 * @throws PreconditionError naming both branches.
 */
export async function assertOnBranch(dir: string, branch: string, options: Timeout = {}): Promise<void> {
  const actual = await currentBranch(dir, options);
  if (actual !== branch) {
    throw new PreconditionError(`${dir} is on ${actual ?? "a detached HEAD"}, not on ${branch}`, {
      context: { dir, branch, actual },
      suggestion: `run \`git checkout ${branch}\` in ${dir}`,
    });
  }
}

/**
 * A session's folder is made only where nothing is: a missing or empty folder.
 * @throws ConflictError naming the folder and what it was meant to be.
 */
export async function assertEmptyFolder(target: string, what: string): Promise<void> {
  const entries = await readdir(target).catch(() => []);
  if (entries.length > 0) {
    throw new ConflictError(`${target} exists and is not ${what}`, {
      context: { path: target },
      suggestion: `move or delete ${target}, or use another worktrees directory`,
    });
  }
}

/**
 * The first directory that exists and holds every one of `commits` (a
 * session's own clone holds its checkpoints; an older worktree's repository
 * does too), or null: a push from elsewhere would fail as if the remote were down.
 */
export async function holderOf(dirs: readonly string[], commits: readonly string[]): Promise<string | null> {
  const wanted = [...new Set(commits)];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    // A git that cannot be run throws (the caller tries again later); 128 is a folder that is no repository.
    const found = await runGit(["rev-list", "--no-walk", "--ignore-missing", ...wanted], {
      cwd: dir,
      allowExitCodes: [128],
    });
    if (found.exitCode === 0 && found.stdout.split("\n").filter(Boolean).length === wanted.length) return dir;
  }
  return null;
}
