import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { addAll } from "./add-all";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PreconditionError, type Workspace } from "@industrial/core";
import { capPatch, parseNameStatus, parseNumstat, splitPatch, sumStat } from "./diff-parse";
import { requirePath } from "./naming";
import { runGit } from "./run-git";
import {
  defaultWorkspaceOptions,
  type DiffStat,
  type FileDiff,
  type WorkspaceDiff,
  type WorkspaceOptions,
} from "./types";

const BINARY_PATCH = "Binary files differ";

/**
 * The work tree as it is now (committed, staged, unstaged and untracked files;
 * not ignored ones) against the workspace's base commit, file by file.
 *
 * Stages into a throw-away copy of the index (`GIT_INDEX_FILE`), so the real
 * index, and what the agent or a person has staged, stays untouched. Copying
 * keeps git's stat cache, so only changed files are hashed again. The copy is
 * taken atomically (git replaces the index by rename), so this needs no lock.
 * @throws PreconditionError when the workspace has no base commit.
 */
export async function diffWorkspace(ws: Workspace, options: Partial<WorkspaceOptions> = {}): Promise<WorkspaceDiff> {
  const { path, base } = diffTarget(ws);
  const { timeoutMs, maxPatchBytes } = { ...defaultWorkspaceOptions(), ...options };

  const tempDir = await mkdtemp(join(tmpdir(), "orchestrator-index-"));
  try {
    const env = { GIT_INDEX_FILE: await copyIndex(path, tempDir, timeoutMs) };
    const git = async (args: string[]) => (await runGit(args, { cwd: path, env, timeoutMs })).stdout;
    await addAll(git);
    const common = ["diff", "--cached", "-M", "--no-ext-diff", "--no-textconv"];
    const [names, numstat, patch] = await Promise.all([
      git([...common, "--name-status", "-z", base]),
      git([...common, "--numstat", "-z", base]),
      git([...common, "--no-color", base]),
    ]);
    return assemble(parseNameStatus(names), parseNumstat(numstat), splitPatch(patch), maxPatchBytes);
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

/** The work tree and the base commit a diff compares. @throws PreconditionError when the workspace has no base commit. */
function diffTarget(ws: Workspace): { path: string; base: string } {
  const path = requirePath(ws);
  if (ws.baseCommit === null) throw new PreconditionError(`workspace ${path} has no base commit to diff against`);
  return { path, base: ws.baseCommit };
}

// Copies the work tree's real index into `tempDir`; a repository without an
// index yet (nothing ever staged) starts from an empty one.
async function copyIndex(path: string, tempDir: string, timeoutMs: number): Promise<string> {
  const { stdout } = await runGit(["rev-parse", "--path-format=absolute", "--git-path", "index"], {
    cwd: path,
    timeoutMs,
  });
  const tempIndex = join(tempDir, "index");
  await copyFile(stdout.trim(), tempIndex).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "ENOENT") throw e;
  });
  return tempIndex;
}

// The three listings come from one diff pipeline, so their i-th entries are the same file.
function assemble(
  names: ReturnType<typeof parseNameStatus>,
  numstat: ReturnType<typeof parseNumstat>,
  patches: string[],
  maxPatchBytes: number,
): WorkspaceDiff {
  const files = names.map((entry, i): FileDiff => {
    const counts = numstat[i];
    const binary = counts !== undefined && counts.additions === null;
    const capped = binary ? { patch: BINARY_PATCH, truncated: false } : capPatch(patches[i] ?? "", maxPatchBytes);
    return {
      ...entry,
      additions: counts?.additions ?? 0,
      deletions: counts?.deletions ?? 0,
      ...capped,
      binary,
    };
  });
  return { files, stat: sumStat(files) };
}

/** What a finished attempt reports of its changes against the base: paths and totals, no patch. */
export interface WorkspaceChanges {
  files: string[];
  stat: DiffStat;
}

/**
 * The changed paths and totals of `diffWorkspace`, cheaply in the usual case:
 * when the work tree is exactly its HEAD (the last checkpoint committed
 * everything) one diff of two commits says it; otherwise (something changed
 * since, or a nested repository without a commit) the whole work-tree diff.
 */
export async function summarizeWorkspace(
  ws: Workspace,
  options: Partial<WorkspaceOptions> = {},
): Promise<WorkspaceChanges> {
  const { path, base } = diffTarget(ws);
  const { timeoutMs } = { ...defaultWorkspaceOptions(), ...options };
  // No optional locks: reading the status must not write the index under whoever else looks.
  const env = { GIT_OPTIONAL_LOCKS: "0" };
  const status = await runGit(["status", "--porcelain", "-z", "--untracked-files=all"], { cwd: path, env, timeoutMs });
  if (status.stdout === "") {
    const { stdout } = await runGit(["diff", "--numstat", "-z", "-M", "--no-ext-diff", "--no-textconv", base, "HEAD"], {
      cwd: path,
      env,
      timeoutMs,
    });
    const entries = parseNumstat(stdout);
    return { files: entries.map((e) => e.path), stat: sumStat(entries) };
  }
  const diff = await diffWorkspace(ws, options);
  return { files: diff.files.map((f) => f.path), stat: diff.stat };
}
