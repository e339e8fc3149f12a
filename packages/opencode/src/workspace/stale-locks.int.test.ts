import { mkdir, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitRepo } from "@industrial/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareWorkspace, releaseStaleLocks, runGit, snapshotWorkspace } from ".";

// A replica killed with -9 in the middle of a git command leaves its lock
// files; the next start on the same data dir must not fail every attempt of
// that session on them ("cannot lock ref 'HEAD': File exists", seen in the
// chaos suite). Real git in temporary folders.
let root: string;
let dirs: { worktreesDir: string; scratchDir: string };
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ws-locks-"));
  dirs = { worktreesDir: join(root, "worktrees"), scratchDir: join(root, "scratch") };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

describe("locks a killed git left behind", () => {
  it("scratch: a baseline commit cut short is made at the next prepare", async () => {
    const dir = join(dirs.scratchDir, "abcd1234");
    await mkdir(dir, { recursive: true });
    await git(dir, "init", "--quiet");
    await writeFile(join(dir, ".git", "HEAD.lock"), "");
    await writeFile(join(dir, ".git", "index.lock"), "");
    const ws = await prepareWorkspace({ sessionShortId: "abcd1234", ...dirs });
    expect(ws.baseCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(await exists(join(dir, ".git", "HEAD.lock"))).toBe(false);
  });

  it("a session's own clone: its locks go (its branch's too), the repository it borrows from keeps its own", async () => {
    const repo = join(root, "repo");
    await mkdir(repo);
    createGitRepo(repo, { "a.txt": "a\n" });
    const first = await prepareWorkspace({ sessionShortId: "abcd1234", repository: repo, ...dirs });
    const own = join(first.path!, ".git");
    const branchLock = join(own, "refs", "heads", "orchestrator", "abcd1234.lock");
    const shared = join(repo, ".git", "refs", "heads", "main.lock");
    for (const f of [join(own, "index.lock"), join(own, "HEAD.lock"), branchLock, shared]) await writeFile(f, "");

    const again = await prepareWorkspace({ sessionShortId: "abcd1234", repository: repo, ...dirs });
    expect(again).toEqual(first);
    await writeFile(join(again.path!, "b.txt"), "b\n");
    const snap = await snapshotWorkspace(again, "after the restart");
    expect(snap.files.map((f) => f.path)).toEqual(["b.txt"]);
    expect(await exists(shared)).toBe(true);
  });
  it("a recorded workspace reused as it is: a scratch one's locks go; a person's directory worked in place is left alone", async () => {
    const scratch = await prepareWorkspace({ sessionShortId: "abcd1234", ...dirs });
    await writeFile(join(scratch.path!, ".git", "index.lock"), "");
    expect(await releaseStaleLocks(scratch)).toEqual([join(scratch.path!, ".git", "index.lock")]);
    await writeFile(join(scratch.path!, "c.txt"), "c\n");
    expect((await snapshotWorkspace(scratch, "after")).files.map((f) => f.path)).toEqual(["c.txt"]);

    const plain = join(root, "plain");
    await mkdir(plain);
    const inPlace = await prepareWorkspace({ sessionShortId: "ef567890", directory: plain, ...dirs });
    await writeFile(join(plain, ".git", "index.lock"), "");
    expect(await releaseStaleLocks(inPlace)).toEqual([]);
    expect(await exists(join(plain, ".git", "index.lock"))).toBe(true);
  });
});
