import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, realpath, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { assertEmptyFolder, currentBranch, resolveCommit } from "./inspect";
import { baseCommitRef, borrowedRef, sessionBranch } from "./naming";
import { runGit } from "./run-git";
import { clearStaleGitLocks } from "./stale-locks";
import { ensureWorktree, resolveBaseRef, type PreparedWorktree } from "./worktree";

/*
 * A session's own clone (docs/workspaces.md): a repository of its own at
 * `<worktreesDir>/<short>` holding one branch, `orchestrator/<short>`, that
 * borrows the objects of the repository it was cut from (git's alternates)
 * instead of copying them. A worktree would share the repository's refs and
 * objects with every sibling session; the clone's refs are its own, its
 * commits are written to its own object store, and the sandbox mounts only
 * the borrowed object store, read-only. The repository it borrows from keeps
 * a ref to the base commit (`refs/orchestrator/borrowed/<short>`) so that no
 * gc or fetch ever drops what the clone needs; it goes with the clone.
 */

/** Folders half made by a process that died are named so; the next prepare of the session removes them. */
const PARTIAL_PREFIX = ".partial-";

/**
 * Makes sure `<worktreesDir>/<short>` is the session's own clone of `source`
 * on `orchestrator/<short>`. Idempotent: an existing clone (a retry, a
 * re-attach after a crash) is reused as is, never reset. A worktree of
 * `source` made there before clones existed is reused as a worktree, and a
 * session branch left in `source` without its folder is where the clone
 * starts. Callers serialise calls for one target path.
 * @throws InvalidInputError naming the base ref when it names no commit.
 * @throws ConflictError when the folder holds something else.
 */
export async function ensureSessionClone(
  source: string,
  shortId: string,
  baseRef: string,
  at: CloneFolder,
  timeoutMs?: number,
): Promise<PreparedWorktree> {
  const { worktreesDir } = at;
  const branch = sessionBranch(shortId);
  await mkdir(worktreesDir, { recursive: true });
  const target = at.folder
    ? join(await realpath(dirname(at.folder)), basename(at.folder))
    : join(await realpath(worktreesDir), shortId);
  const dotGit = await stat(join(target, ".git")).catch(() => null);
  // An earlier data dir's worktree of the session: it keeps working as one.
  if (dotGit?.isFile()) return ensureWorktree(source, shortId, baseRef, worktreesDir, timeoutMs);
  if (dotGit?.isDirectory() && (await currentBranch(target, { timeoutMs })) === branch) {
    // The session's own: what a killed process left locked in it goes.
    await clearStaleGitLocks(target, { branch, ownRepository: true, timeoutMs });
    let base = await resolveCommit(target, baseCommitRef(shortId), { timeoutMs });
    if (base === null) {
      // Its base ref lost: where it forked from the base ref.
      base = (
        await runGit(["merge-base", await resolveBaseRef(source, baseRef, timeoutMs), "HEAD"], {
          cwd: target,
          timeoutMs,
        })
      ).stdout.trim();
      await runGit(["update-ref", baseCommitRef(shortId), base], { cwd: target, timeoutMs });
    }
    // Its hold on what it borrows (gone if a retention round raced a retry): set again; or, to be self-contained, nothing borrowed.
    if (at.selfContained) await dissociate(target, shortId, timeoutMs);
    else await holdBorrowed(source, shortId, base, timeoutMs);
    return { path: target, branch, baseCommit: base };
  }
  await assertEmptyFolder(target, `the clone of ${branch}`);

  // The session branch of an earlier worktree (its folder deleted) is where the work goes on.
  const leftover = await resolveCommit(source, `refs/heads/${branch}`, { timeoutMs });
  const baseCommit =
    leftover === null
      ? await resolveBaseRef(source, baseRef, timeoutMs)
      : ((await resolveCommit(source, baseCommitRef(shortId), { timeoutMs })) ?? leftover);
  const start = leftover ?? baseCommit;
  // First the hold on the borrowed objects, then the clone: a crash in between leaves a ref the next prepare reuses.
  await runGit(["update-ref", borrowedRef(shortId), start], { cwd: source, timeoutMs });
  await buildSessionFolder(target, shortId, async (partial) => {
    const git = (args: string[]) => runGit(args, { cwd: partial, timeoutMs });
    await git(["init", "--quiet"]);
    await borrowObjects(partial, source, timeoutMs);
    await git(["update-ref", baseCommitRef(shortId), baseCommit]);
    await git(["checkout", "--quiet", "-B", branch, start]);
    if (at.selfContained) await dissociate(partial, shortId, timeoutMs);
  });
  return { path: target, branch, baseCommit };
}

/** Where a session's clone goes, and whether it may borrow objects (session-folders.ts). */
export interface CloneFolder {
  worktreesDir: string;
  /** The folder to make it in instead of `<worktreesDir>/<short>` (a warm slot: warm-slots.ts); its parent exists. */
  folder?: string | undefined;
  selfContained?: boolean;
}

/**
 * Makes a clone hold every object it needs: what it borrowed is copied into
 * a pack of its own (repack without `--local` takes the borrowed objects
 * too), then the alternates and the holds on the sources go. A clone that
 * borrows nothing is left alone.
 */
export async function dissociate(clone: string, shortId: string, timeoutMs?: number): Promise<void> {
  const stores = await borrowedObjectStores(join(clone, ".git"));
  if (stores.length === 0) return;
  await runGit(["repack", "-a", "-d", "-q"], { cwd: clone, timeoutMs });
  await rm(join(clone, ".git", "objects", "info", "alternates"), { force: true });
  await releaseBorrowed(stores, shortId, timeoutMs);
}

/**
 * Makes a session's folder at `target` (missing or empty) in one step: built
 * by `build` in a partial folder beside it, renamed into place when whole. A
 * process killed half-way leaves only a partial folder, which the next build
 * of the session (or retention, later) removes; never a folder that looks
 * like the session's and is not.
 */
export async function buildSessionFolder(
  target: string,
  shortId: string,
  build: (partial: string) => Promise<void>,
): Promise<void> {
  await removePartials(dirname(target), shortId);
  await assertEmptyFolder(target, "the session's folder");
  const partial = join(dirname(target), `${PARTIAL_PREFIX}${shortId}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(partial);
    await build(partial);
    await rm(target, { recursive: true, force: true });
    await rename(partial, target);
  } catch (e) {
    await rm(partial, { recursive: true, force: true });
    throw e;
  }
}

/** Whether a folder's name is a partial session folder's (see buildSessionFolder). */
export function isPartialSessionFolder(name: string): boolean {
  return name.startsWith(PARTIAL_PREFIX);
}

/** Sets the borrowed ref of a session in `source` to `commit` unless it is there already (and `commit` is). */
export async function holdBorrowed(source: string, shortId: string, commit: string, timeoutMs?: number): Promise<void> {
  if ((await resolveCommit(source, borrowedRef(shortId), { timeoutMs })) !== null) return;
  if ((await resolveCommit(source, commit, { timeoutMs })) === null) return;
  await runGit(["update-ref", borrowedRef(shortId), commit], { cwd: source, timeoutMs });
}

/** Makes the repository at `clone` read objects from `source`'s object store (git alternates). */
export async function borrowObjects(clone: string, source: string, timeoutMs?: number): Promise<void> {
  const objects = await objectStoreOf(source, timeoutMs);
  const file = join(clone, ".git", "objects", "info", "alternates");
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${objects}\n`);
  // A shallow repository's history stops at its grafts: without them git in the clone would look for parents that are not there.
  const shallow = join(dirname(objects), "shallow");
  if (existsSync(shallow)) await copyFile(shallow, join(clone, ".git", "shallow"));
}

/** The absolute path of a repository's object store (a worktree's: its repository's). */
export async function objectStoreOf(repo: string, timeoutMs?: number): Promise<string> {
  const r = await runGit(["rev-parse", "--path-format=absolute", "--git-common-dir"], { cwd: repo, timeoutMs });
  return join(await realpath(r.stdout.trim()), "objects");
}

/**
 * The object stores a repository borrows from (its `objects/info/alternates`,
 * and theirs), absolute; none for a repository that borrows nothing.
 */
export async function borrowedObjectStores(gitDir: string): Promise<string[]> {
  const out: string[] = [];
  const visit = async (objects: string, depth: number): Promise<void> => {
    const text = await readFile(join(objects, "info", "alternates"), "utf8").catch(() => "");
    for (const line of text.split("\n").map((l) => l.trim())) {
      if (!line || line.startsWith("#")) continue;
      const path = isAbsolute(line) ? line : resolve(objects, line);
      if (out.includes(path) || !existsSync(path)) continue;
      out.push(path);
      // git follows alternates five deep; so do we.
      if (depth < 5) await visit(path, depth + 1);
    }
  };
  await visit(join(gitDir, "objects"), 1);
  return out;
}

/**
 * Lets go of what a removed clone borrowed: its ref in the repository whose
 * objects it read (found from the clone's alternates before it is deleted).
 * A repository that is gone has nothing to let go.
 */
export async function releaseBorrowed(
  objectStores: readonly string[],
  shortId: string,
  timeoutMs?: number,
): Promise<void> {
  for (const objects of objectStores) {
    const repo = dirname(objects);
    if (!existsSync(repo)) continue;
    await runGit(["--git-dir", repo, "update-ref", "-d", borrowedRef(shortId)], {
      cwd: repo,
      timeoutMs,
      allowExitCodes: [1],
    }).catch(() => undefined);
  }
}

// What a process killed mid-clone left of this session's folder.
async function removePartials(dir: string, shortId: string): Promise<void> {
  const entries = await readdir(dir).catch(() => []);
  for (const e of entries)
    if (e.startsWith(`${PARTIAL_PREFIX}${shortId}-`)) await rm(join(dir, e), { recursive: true, force: true });
}
