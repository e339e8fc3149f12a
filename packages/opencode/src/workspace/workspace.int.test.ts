import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidInputError } from "@industrial/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  currentBranch,
  diffWorkspace,
  headCommit,
  prepareWorkspace,
  removeWorkspace,
  restoreWorkspace,
  runGit,
  snapshotWorkspace,
  summarizeWorkspace,
} from ".";

// Real git in temporary folders; no mocks.
let root: string;
let dirs: { worktreesDir: string; scratchDir: string };

const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** A repository with `a.txt` and `b.txt` at tag v1, then `a.txt` changed on main. */
async function makeRepo(): Promise<{ repo: string; v1: string; v2: string }> {
  const repo = join(root, "repo");
  await mkdir(repo);
  await git(repo, "init", "--quiet", "--initial-branch=main");
  await writeFile(join(repo, "a.txt"), "one\n");
  await writeFile(join(repo, "b.txt"), "b1\nb2\n");
  await writeFile(join(repo, ".gitignore"), "*.log\n");
  await git(repo, "add", "--all");
  await git(repo, "commit", "--quiet", "-m", "v1");
  await git(repo, "tag", "v1");
  await writeFile(join(repo, "a.txt"), "two\n");
  await git(repo, "commit", "--quiet", "-am", "v2");
  return { repo, v1: await git(repo, "rev-parse", "v1"), v2: await headCommit(repo) };
}

const prepareFromRepo = async (repo: string, baseRef?: string) =>
  prepareWorkspace({ sessionShortId: "abcd1234", repository: repo, baseRef, ...dirs });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ws-test-"));
  dirs = { worktreesDir: join(root, "worktrees"), scratchDir: join(root, "scratch") };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("prepareWorkspace", () => {
  it("cuts a clone of its own on orchestrator/<short> from the base ref, borrowing the repository's objects", async () => {
    const { repo, v1 } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    expect(ws).toEqual({
      repository: repo,
      baseRef: "v1",
      baseCommit: v1,
      branch: "orchestrator/abcd1234",
      path: join(dirs.worktreesDir, "abcd1234"),
      directory: null,
    });
    expect(await currentBranch(ws.path!)).toBe("orchestrator/abcd1234");
    expect(await headCommit(ws.path!)).toBe(v1);
    expect(await readFile(join(ws.path!, "a.txt"), "utf8")).toBe("one\n");
    // A repository of its own (not a worktree), reading the repository's objects; the repository holds the base for it.
    expect((await stat(join(ws.path!, ".git"))).isDirectory()).toBe(true);
    expect(await readFile(join(ws.path!, ".git", "objects", "info", "alternates"), "utf8")).toBe(
      `${join(await realpath(repo), ".git", "objects")}\n`,
    );
    expect(await git(repo, "rev-parse", "refs/orchestrator/borrowed/abcd1234")).toBe(v1);
    expect(await git(repo, "worktree", "list", "--porcelain")).not.toContain("abcd1234");
  });

  it("shows each session its own branch only: a sibling's branch and commits are not in its clone", async () => {
    const { repo } = await makeRepo();
    const first = await prepareFromRepo(repo, "v1");
    await writeFile(join(first.path!, "secret.txt"), "first session's work\n");
    const { commit } = await snapshotWorkspace(first, "step");
    const second = await prepareWorkspace({ sessionShortId: "ef567890", repository: repo, baseRef: "main", ...dirs });
    const refs = await git(second.path!, "for-each-ref", "--format=%(refname)");
    expect(refs.split("\n").sort()).toEqual(["refs/heads/orchestrator/ef567890", "refs/orchestrator/base/ef567890"]);
    // Neither by name nor by enumerating every object it can read (its own and the borrowed ones).
    expect(await git(second.path!, "branch", "--all", "--format=%(refname:short)")).toBe("orchestrator/ef567890");
    expect(await git(second.path!, "cat-file", "--batch-all-objects", "--batch-check=%(objectname)")).not.toContain(
      commit,
    );
    // …nor does the repository it was cut from hold them.
    expect(await git(repo, "for-each-ref", "--format=%(refname)", "refs/heads/orchestrator/")).toBe("");
  });

  it("names an unknown base ref", async () => {
    const { repo } = await makeRepo();
    const error = await prepareFromRepo(repo, "no-such-ref").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toContain("no-such-ref");
    expect((error as InvalidInputError).suggestion).toBeTruthy();
  });

  it("refuses a missing directory, naming it", async () => {
    const missing = join(root, "nope");
    await expect(prepareWorkspace({ sessionShortId: "abcd1234", directory: missing, ...dirs })).rejects.toThrow(
      missing,
    );
    await expect(prepareWorkspace({ sessionShortId: "abcd1234", directory: missing, ...dirs })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });

  it("initialises a plain directory and works in it in place, idempotently", async () => {
    const dir = join(root, "plain");
    await mkdir(join(dir, "src"), { recursive: true });
    await writeFile(join(dir, "src", "x.txt"), "x\n");
    const ws = await prepareWorkspace({ sessionShortId: "abcd1234", directory: dir, ...dirs });
    expect(ws).toMatchObject({ repository: null, path: dir, directory: dir, branch: await currentBranch(dir) });
    expect(ws.baseCommit).toBe(await headCommit(dir));
    expect(await git(dir, "log", "--format=%s|%an")).toBe(`orchestrator: baseline of ${dir}|Industrial Orchestrator`);
    expect(await git(dir, "ls-files")).toBe("src/x.txt");

    await writeFile(join(dir, "y.txt"), "y\n");
    await snapshotWorkspace(ws, "step 1");
    const again = await prepareWorkspace({ sessionShortId: "abcd1234", directory: dir, ...dirs });
    expect(again).toEqual(ws); // same base although HEAD moved on
    expect(await readFile(join(dir, "y.txt"), "utf8")).toBe("y\n");
  });

  it("keeps every later session of a plain directory in place too, each with its own base", async () => {
    const dir = join(root, "shared-plain");
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "a.txt"), "a\n");
    const first = await prepareWorkspace({ sessionShortId: "aaaa1111", directory: dir, ...dirs });
    await writeFile(join(dir, "b.txt"), "b\n");
    await snapshotWorkspace(first, "first session's step");
    const second = await prepareWorkspace({ sessionShortId: "bbbb2222", directory: dir, ...dirs });
    expect(second).toMatchObject({ repository: null, path: dir, directory: dir });
    expect(second.baseCommit).toBe(await headCommit(dir));
    expect(second.baseCommit).not.toBe(first.baseCommit);
    // A directory inside a real repository still gets a worktree: only ours is marked in place.
    expect((await git(dir, "config", "--local", "--get", "orchestrator.inPlace")).trim()).toBe("true");
  });

  it("gives a directory inside a repository a clone of its own from its HEAD", async () => {
    const { repo, v2 } = await makeRepo();
    const ws = await prepareWorkspace({ sessionShortId: "abcd1234", directory: repo, ...dirs });
    expect(ws).toEqual({
      repository: repo,
      baseRef: "HEAD",
      baseCommit: v2,
      branch: "orchestrator/abcd1234",
      path: join(dirs.worktreesDir, "abcd1234"),
      directory: repo,
    });
    expect(await git(repo, "status", "--porcelain")).toBe("");
  });

  it("works in the same sub-folder of the clone when the directory is one", async () => {
    const { repo } = await makeRepo();
    await mkdir(join(repo, "pkg"));
    await writeFile(join(repo, "pkg", "p.txt"), "p\n");
    await git(repo, "add", "--all");
    await git(repo, "commit", "--quiet", "-m", "pkg");
    const ws = await prepareWorkspace({ sessionShortId: "abcd1234", directory: join(repo, "pkg"), ...dirs });
    expect(ws).toMatchObject({
      repository: repo,
      directory: join(repo, "pkg"),
      path: join(dirs.worktreesDir, "abcd1234", "pkg"),
    });
    await writeFile(join(ws.path!, "q.txt"), "q\n");
    await writeFile(join(dirs.worktreesDir, "abcd1234", "top.txt"), "t\n");
    expect((await snapshotWorkspace(ws, "step")).diffStat.files).toBe(2);
  });

  it("never runs the repository's hooks", async () => {
    const { repo } = await makeRepo();
    const hooks = join(root, "hooks");
    const marker = join(root, "hook-ran");
    await mkdir(hooks);
    for (const hook of ["pre-commit", "post-checkout", "commit-msg"]) {
      await writeFile(join(hooks, hook), `#!/bin/sh\ntouch ${marker}\nexit 1\n`, { mode: 0o755 });
    }
    await git(repo, "config", "core.hooksPath", hooks);
    const ws = await prepareFromRepo(repo, "v1");
    await writeFile(join(ws.path!, "x.txt"), "x\n");
    expect((await snapshotWorkspace(ws, "step")).changed).toBe(true);
    expect(await exists(marker)).toBe(false);
  });

  it("makes an empty scratch repository when nothing is named", async () => {
    const ws = await prepareWorkspace({ sessionShortId: "abcd1234", ...dirs });
    expect(ws).toMatchObject({ repository: null, directory: null, path: join(dirs.scratchDir, "abcd1234") });
    expect(ws.branch).toBe(await currentBranch(ws.path!));
    expect(await git(ws.path!, "rev-list", "--count", "HEAD")).toBe("1");
    expect(await git(ws.path!, "ls-files")).toBe("");
  });

  it("re-prepares an existing clone without resetting it", async () => {
    const { repo } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    await writeFile(join(ws.path!, "new.txt"), "kept\n");
    await writeFile(join(ws.path!, "a.txt"), "edited\n");
    const { commit } = await snapshotWorkspace(ws, "checkpoint");
    await writeFile(join(ws.path!, "dirty.txt"), "uncommitted\n");
    expect(await prepareFromRepo(repo, "v1")).toEqual(ws);
    expect(await headCommit(ws.path!)).toBe(commit);
    expect(await readFile(join(ws.path!, "dirty.txt"), "utf8")).toBe("uncommitted\n");

    // A process killed mid-clone left a partial folder: the next prepare clears it and makes the clone.
    await rm(ws.path!, { recursive: true, force: true });
    await mkdir(join(dirs.worktreesDir, ".partial-abcd1234-0000"));
    expect(await prepareFromRepo(repo, "v1")).toEqual(ws);
    expect(await exists(join(dirs.worktreesDir, ".partial-abcd1234-0000"))).toBe(false);
    expect(await exists(join(ws.path!, "new.txt"))).toBe(false);
  });

  it("goes on in a worktree made before clones existed, and from a session branch such a worktree left", async () => {
    const { repo, v1 } = await makeRepo();
    const path = join(dirs.worktreesDir, "abcd1234");
    await mkdir(dirs.worktreesDir, { recursive: true });
    await git(repo, "worktree", "add", "--quiet", "-b", "orchestrator/abcd1234", path, "v1");
    await writeFile(join(path, "old.txt"), "older work\n");
    const ws = await prepareFromRepo(repo, "v1");
    expect(ws).toMatchObject({ path, baseCommit: v1, branch: "orchestrator/abcd1234" });
    const { commit } = await snapshotWorkspace(ws, "step");
    expect(await git(repo, "rev-parse", "orchestrator/abcd1234")).toBe(commit);
    // Its folder removed: the clone starts where the branch left off.
    await git(repo, "worktree", "remove", "--force", path);
    const again = await prepareFromRepo(repo, "v1");
    expect(await headCommit(again.path!)).toBe(commit);
    expect((await stat(join(again.path!, ".git"))).isDirectory()).toBe(true);
    expect(await readFile(join(again.path!, "old.txt"), "utf8")).toBe("older work\n");
  });
});

describe("snapshot, diff, restore, remove", () => {
  it("commits every change on the branch with its diff stat", async () => {
    const { repo } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    await writeFile(join(ws.path!, "a.txt"), "uno\n"); // +1 −1
    await rm(join(ws.path!, "b.txt")); // −2
    await writeFile(join(ws.path!, "c.txt"), "1\n2\n3\n"); // +3, untracked
    await writeFile(join(ws.path!, "debug.log"), "ignored\n");
    const first = await snapshotWorkspace(ws, "step 1");
    expect(first).toEqual({
      commit: await git(ws.path!, "rev-parse", "orchestrator/abcd1234"),
      diffStat: { files: 3, additions: 4, deletions: 3 },
      changed: true,
      files: [
        { path: "a.txt", additions: 1, deletions: 1 },
        { path: "b.txt", additions: 0, deletions: 2 },
        { path: "c.txt", additions: 3, deletions: 0 },
      ],
    });
    expect(await git(ws.path!, "log", "-1", "--format=%an <%ae>|%s", first.commit)).toBe(
      "Industrial Orchestrator <orchestrator@localhost>|step 1",
    );

    const empty = await snapshotWorkspace(ws, "step 2");
    expect(empty).toMatchObject({ diffStat: { files: 0, additions: 0, deletions: 0 }, changed: false, files: [] });
    expect(empty.commit).not.toBe(first.commit);
  });

  it("serialises concurrent snapshots of one workspace", async () => {
    const { repo, v1 } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        await writeFile(join(ws.path!, `f${i}.txt`), `${i}\n`);
        return snapshotWorkspace(ws, `step ${i}`);
      }),
    );
    expect(new Set(results.map((r) => r.commit)).size).toBe(8);
    expect(await git(ws.path!, "rev-list", "--count", `${v1}..HEAD`)).toBe("8");
    expect(await git(ws.path!, "status", "--porcelain")).toBe("");
  });

  it("diffs committed, staged, unstaged and untracked changes without touching the index", async () => {
    const { repo } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    const path = ws.path!;
    await writeFile(join(path, "a.txt"), "one\nmore\n");
    await snapshotWorkspace(ws, "step 1"); // committed change
    await writeFile(join(path, "staged.txt"), "s\n");
    await git(path, "add", "staged.txt");
    await rm(join(path, "b.txt")); // unstaged deletion
    await writeFile(join(path, "untracked.txt"), "u1\nu2\n");
    await writeFile(join(path, "blob.bin"), Buffer.from([0, 1, 2, 0, 255, 0]));
    const indexPath = join(await git(path, "rev-parse", "--absolute-git-dir"), "index");
    const before = { status: await git(path, "status", "--porcelain"), index: await readFile(indexPath) };

    const diff = await diffWorkspace(ws);

    expect({ status: await git(path, "status", "--porcelain"), index: await readFile(indexPath) }).toEqual(before);
    const byPath = Object.fromEntries(diff.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual(["a.txt", "b.txt", "blob.bin", "staged.txt", "untracked.txt"]);
    expect(byPath["a.txt"]).toMatchObject({ status: "modified", additions: 1, deletions: 0 });
    expect(byPath["a.txt"]!.patch).toContain("+more");
    expect(byPath["b.txt"]).toMatchObject({ status: "deleted", deletions: 2 });
    expect(byPath["staged.txt"]).toMatchObject({ status: "added", additions: 1 });
    expect(byPath["untracked.txt"]).toMatchObject({ status: "added", additions: 2 });
    expect(byPath["blob.bin"]).toMatchObject({
      status: "added",
      additions: 0,
      deletions: 0,
      patch: "Binary files differ",
      binary: true,
    });
    expect(byPath["a.txt"]).toMatchObject({ binary: false, truncated: false });
    expect(diff.stat).toEqual({ files: 5, additions: 4, deletions: 2 });
  });

  it("summarizes the changes as the diff does, whether the work tree is its last checkpoint or has moved on since", async () => {
    const { repo } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    const path = ws.path!;
    const same = async () => {
      const diff = await diffWorkspace(ws);
      expect(await summarizeWorkspace(ws)).toEqual({ files: diff.files.map((f) => f.path), stat: diff.stat });
    };
    await writeFile(join(path, "a.txt"), "one\nmore\n");
    await git(path, "mv", "b.txt", "renamed.txt");
    await writeFile(join(path, "ignored.log"), "not counted\n");
    await snapshotWorkspace(ws, "step 1");
    await same(); // clean: from the two commits
    await writeFile(join(path, "later.txt"), "after the checkpoint\n");
    await rm(join(path, "a.txt"));
    await same(); // moved on: the work-tree diff
    expect((await summarizeWorkspace(ws)).files.sort()).toEqual(["a.txt", "later.txt", "renamed.txt"]);
  });

  it("reports renames and caps big patches", async () => {
    const { repo } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    await git(ws.path!, "mv", "b.txt", "renamed.txt");
    await writeFile(join(ws.path!, "big.txt"), "x".repeat(100) + "\n".repeat(1) + "line\n".repeat(2000));
    const diff = await diffWorkspace(ws, { maxPatchBytes: 1000 });
    expect(diff.files.find((f) => f.status === "renamed")).toMatchObject({ path: "renamed.txt", oldPath: "b.txt" });
    const big = diff.files.find((f) => f.path === "big.txt")!;
    expect(big).toMatchObject({ truncated: true, additions: 2001 });
    expect(Buffer.byteLength(big.patch)).toBeLessThan(1100);
    expect(big.patch).toContain("[patch truncated");
  });

  it("restores a checkpoint: later files go, content comes back, ignored files stay", async () => {
    const { repo } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    const path = ws.path!;
    await writeFile(join(path, "one.txt"), "first\n");
    const cp1 = await snapshotWorkspace(ws, "checkpoint 1");
    await writeFile(join(path, "one.txt"), "changed\n");
    await writeFile(join(path, "two.txt"), "second\n");
    await snapshotWorkspace(ws, "checkpoint 2");
    await mkdir(join(path, "scratch"));
    await writeFile(join(path, "scratch", "three.txt"), "untracked\n");
    await writeFile(join(path, "keep.log"), "ignored\n");

    expect(await restoreWorkspace(ws, cp1.commit.slice(0, 12))).toEqual({ commit: cp1.commit });
    expect(await readFile(join(path, "one.txt"), "utf8")).toBe("first\n");
    expect(await exists(join(path, "two.txt"))).toBe(false);
    expect(await exists(join(path, "scratch"))).toBe(false);
    expect(await readFile(join(path, "keep.log"), "utf8")).toBe("ignored\n");
    expect(await git(path, "rev-parse", "orchestrator/abcd1234")).toBe(cp1.commit);
  });

  it("refuses to restore a commit that is not on the session branch", async () => {
    const { repo, v2 } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    await expect(restoreWorkspace(ws, v2)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(restoreWorkspace(ws, "0".repeat(40))).rejects.toThrow("0".repeat(40));
  });

  it("removes a clone with its branch, and lets go of what it borrowed; never an in-place directory", async () => {
    const { repo } = await makeRepo();
    const ws = await prepareFromRepo(repo, "v1");
    await writeFile(join(ws.path!, "wip.txt"), "dirty\n");
    expect(await removeWorkspace(ws, { deleteBranch: true })).toEqual({ removed: true });
    expect(await exists(ws.path!)).toBe(false);
    expect(await git(repo, "branch", "--list", "orchestrator/*")).toBe("");
    expect(await git(repo, "for-each-ref", "refs/orchestrator")).toBe("");

    const scratch = await prepareWorkspace({ sessionShortId: "abcd1234", ...dirs });
    expect(await removeWorkspace(scratch, { deleteBranch: true })).toEqual({ removed: false });
    expect(await exists(scratch.path!)).toBe(true);
  });
});
