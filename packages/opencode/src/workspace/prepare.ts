import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { clearStaleGitLocks } from "./stale-locks";
import { join } from "node:path";
import {
  InvalidInputError,
  maskRemoteUrl,
  parseRepositoryLocation,
  type PushTarget,
  type Workspace,
} from "@industrial/core";
import type { MirrorCache } from "../mirror/mirror-cache";
import { prepareFromUrl } from "./from-url";
import { ensureInPlace, isInPlaceWorkspace } from "./in-place";
import { assertDirectory, locateWorkTree } from "./inspect";
import { assertShortId } from "./naming";
import { withPathLock } from "./path-lock";
import type { WorkspaceOptions } from "./types";
import { ensureSessionClone } from "./session-clone";
import { claimSlot, slotsFolder, type WarmSlots } from "./warm-slots";

export interface PrepareWorkspaceInput {
  /** `sessionShortId(session.id)`: names the branch and the folders. */
  sessionShortId: string;
  /** An existing git repository to cut the session's clone from: its path, or its git URL (cut from this replica's mirror of it). */
  repository?: string | null;
  /** Commit-ish in `repository`; default `HEAD`. */
  baseRef?: string | null;
  /** A directory the person named: a clone of its repository when it is in one, else worked in place. */
  directory?: string | null;
  /** Sessions' own clones go to `<worktreesDir>/<short>` (created when missing). */
  worktreesDir: string;
  /** Sessions with neither repository nor directory work in `<scratchDir>/<short>`. */
  scratchDir: string;
  /** Clones hold every object they need instead of borrowing (a shared workspaces folder: session-folders.ts). */
  selfContained?: boolean;
  /** A URL repository: the mirrors it is cut from, and the tenant they are kept for (and its warm slots are). */
  mirrors?: MirrorCache | null;
  tenantId?: string;
  /** Reusable folders per repository (warm-slots.ts); none with a self-contained layout. */
  slots?: WarmSlots | null;
  /** Kept on the workspace of a URL repository (where its checkpoints are pushed). */
  pushTo?: PushTarget | undefined;
}

/**
 * Gets the directory an attempt works in ready, and says where it is.
 * - `repository`: the session's own clone on `orchestrator/<short>` cut from
 *   `baseRef`, borrowing the repository's objects (session-clone.ts); a
 *   URL's from this replica's mirror of it (cloned once, fetched before the cut).
 * - `directory` inside a git work tree: the same, from that repository's HEAD;
 *   the agent works in the same sub-folder of the clone.
 * - `directory` outside any repository: `git init` + a baseline commit, and the
 *   agent works in the directory itself, on its current branch.
 * - neither: an empty scratch repository, worked in place.
 * Idempotent for a session: a retry or a re-attach gets the same workspace back
 * with its changes (nothing is reset).
 * @throws InvalidInputError for a missing directory, a non-repository, an unknown base ref.
 */
export async function prepareWorkspace(
  input: PrepareWorkspaceInput,
  options: Partial<WorkspaceOptions> = {},
): Promise<Workspace> {
  assertShortId(input.sessionShortId);
  if (input.repository && input.directory) {
    throw new InvalidInputError("give either a repository or a directory, not both", [
      { path: "directory", reason: "conflicts with repository" },
    ]);
  }
  if (input.repository) {
    const location = parseRepositoryLocation(input.repository);
    if (!location.ok)
      throw new InvalidInputError(`repository ${maskRemoteUrl(input.repository)} ${location.reason}`, [
        { path: "repository", reason: location.reason },
      ]);
    if (location.location.kind === "path") return fromRepository(input, input.repository, options.timeoutMs);
    if (!input.mirrors || !input.tenantId)
      throw new Error("a repository given by URL needs the mirror cache and the tenant");
    const { mirrors, tenantId, worktreesDir, selfContained, sessionShortId, pushTo } = input;
    const folder = await slotFor(input, input.repository);
    const fields = {
      sessionShortId,
      repository: input.repository,
      url: location.location.url,
      baseRef: input.baseRef || "HEAD",
      worktreesDir,
      folder,
      selfContained,
      tenantId,
      mirrors,
      pushTo,
    };
    return prepareFromUrl(fields, options.timeoutMs);
  }
  if (input.directory) return fromDirectory(input, input.directory, options.timeoutMs);
  return fromScratch(input, options.timeoutMs);
}

async function fromRepository(
  input: PrepareWorkspaceInput,
  repository: string,
  timeoutMs?: number,
): Promise<Workspace> {
  const dir = await assertDirectory(repository, "repository");
  const location = await locateWorkTree(dir, { timeoutMs });
  if (location === null) {
    throw new InvalidInputError(
      `repository ${dir} is not a git repository`,
      [{ path: "repository", reason: "not a git work tree" }],
      {
        context: { repository: dir },
        suggestion: `run \`git init\` in ${dir}, or pass it as a directory to have it initialised`,
      },
    );
  }
  const baseRef = input.baseRef || "HEAD";
  const folder = await slotFor(input, location.root);
  const wt = await withPathLock(folder ?? join(input.worktreesDir, input.sessionShortId), () =>
    ensureSessionClone(location.root, input.sessionShortId, baseRef, { ...input, folder }, timeoutMs),
  );
  return {
    repository: location.root,
    baseRef,
    baseCommit: wt.baseCommit,
    branch: wt.branch,
    path: wt.path,
    directory: null,
  };
}

/**
 * The warm slot a repository session works in, or null: slots are off, the
 * layout is self-contained (shared workspaces), or the session already has a
 * folder of its own (made before, e.g. when every slot was taken) — it keeps it.
 */
async function slotFor(input: PrepareWorkspaceInput, source: string): Promise<string | undefined> {
  const { slots, tenantId } = input;
  if (!slots || slots.size <= 0 || input.selfContained || !tenantId) return undefined;
  if (existsSync(join(input.worktreesDir, input.sessionShortId))) return undefined;
  return (await claimSlot(slotsFolder(input.worktreesDir, tenantId, source), input.sessionShortId, slots)) ?? undefined;
}

async function fromDirectory(input: PrepareWorkspaceInput, directory: string, timeoutMs?: number): Promise<Workspace> {
  const dir = await assertDirectory(directory, "directory");
  const short = input.sessionShortId;
  return withPathLock(dir, async () => {
    const location = await locateWorkTree(dir, { timeoutMs });
    if (location === null || (await isInPlaceWorkspace(dir, short, timeoutMs))) {
      const inPlace = await ensureInPlace(dir, short, timeoutMs);
      return { repository: null, baseRef: "HEAD", ...inPlace, path: dir, directory: dir };
    }
    const wt = await withPathLock(join(input.worktreesDir, short), () =>
      ensureSessionClone(location.root, short, "HEAD", input, timeoutMs),
    );
    // The person named a sub-folder: work in the same one inside the clone
    // (created when it is not in HEAD, e.g. untracked).
    const path = location.prefix === "" ? wt.path : join(wt.path, location.prefix.replace(/\/$/, ""));
    await mkdir(path, { recursive: true });
    return {
      repository: location.root,
      baseRef: "HEAD",
      baseCommit: wt.baseCommit,
      branch: wt.branch,
      path,
      directory: dir,
    };
  });
}

async function fromScratch(input: PrepareWorkspaceInput, timeoutMs?: number): Promise<Workspace> {
  const dir = join(input.scratchDir, input.sessionShortId);
  await mkdir(dir, { recursive: true });
  const path = await assertDirectory(dir, "scratchDir");
  const inPlace = await withPathLock(path, async () => {
    // A folder of this session alone: what a killed process left locked in its repository goes.
    await clearStaleGitLocks(path, { branch: null, ownRepository: true, timeoutMs });
    return ensureInPlace(path, input.sessionShortId, timeoutMs);
  });
  return { repository: null, baseRef: "HEAD", ...inPlace, path, directory: null };
}
