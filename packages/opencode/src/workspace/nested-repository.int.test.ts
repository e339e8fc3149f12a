import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { diffWorkspace, prepareWorkspace, runGit, snapshotWorkspace } from ".";

// An agent's stray `git init sub` (a scaffold, a tool) leaves a nested
// repository without a commit, which `git add --all` refuses — and with it
// the whole checkpoint. Real git in temporary folders.
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "ws-nested-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();

describe("a nested repository without a commit", () => {
  it("is left out of the checkpoint and the diff; everything else is in, and it joins once it has a commit", async () => {
    const ws = await prepareWorkspace({
      sessionShortId: "abcd1234",
      worktreesDir: join(root, "worktrees"),
      scratchDir: join(root, "scratch"),
    });
    const dir = ws.path!;
    await writeFile(join(dir, "kept.txt"), "kept\n");
    for (const sub of ["sub", "deeper/sub two"]) {
      await mkdir(join(dir, sub), { recursive: true });
      await git(join(dir, sub), "init", "--quiet");
      await writeFile(join(dir, sub, "inner.txt"), "inner\n");
    }

    const snap = await snapshotWorkspace(ws, "step with stray repositories");
    expect(snap.files.map((f) => f.path)).toEqual(["kept.txt"]);
    expect(await git(dir, "ls-files")).toBe("kept.txt");
    const diff = await diffWorkspace(ws);
    expect(diff.files.map((f) => f.path)).toEqual(["kept.txt"]);

    await git(
      join(dir, "sub"),
      "-c",
      "user.name=a",
      "-c",
      "user.email=a@b",
      "commit",
      "--quiet",
      "--allow-empty",
      "-m",
      "first",
    );
    await snapshotWorkspace(ws, "the nested one has a commit now");
    expect((await git(dir, "ls-files")).split("\n")).toEqual(["kept.txt", "sub"]);
  });
});
