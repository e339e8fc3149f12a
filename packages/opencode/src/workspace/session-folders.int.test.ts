import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitRepo } from "@industrial/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCheckpointPusher } from "../work-remote";
import {
  borrowedRef,
  createWorkRemote,
  headCommit,
  listSessionFolderDirs,
  locateWorkspace,
  prepareWorkspace,
  runGit,
  sessionFoldersOf,
  snapshotWorkspace,
} from ".";

// Shared workspaces (docs/workspaces.md): a tenant's folders apart from the data dir, clones that borrow nothing. Real git.
let root: string;
const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();
const makeRepo = async (files: Record<string, string>) => {
  await mkdir(join(root, "repo"), { recursive: true });
  createGitRepo(join(root, "repo"), files);
  return join(root, "repo");
};
const alternatesOf = (clone: string) => join(clone, ".git", "objects", "info", "alternates");

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "session-folders-"));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe("where a tenant's session folders are", () => {
  it("in the data dir by default (clones borrow), else in the tenant's folder of the shared workspaces (self-contained); a tenant id never climbs out", async () => {
    const data = join(root, "data");
    expect(sessionFoldersOf({ dataDir: data, sharedWorkspaces: null }, "acme")).toEqual({
      worktreesDir: join(data, "worktrees"),
      scratchDir: join(data, "workspaces"),
      selfContained: false,
      slots: null,
    });
    // Warm slots only in the data dir: a shared folder's session may be taken up by any replica next.
    const slots = { size: 2, release: async () => false };
    expect(sessionFoldersOf({ dataDir: data, sharedWorkspaces: null, warmSlots: slots }, "acme").slots).toBe(slots);
    expect(
      sessionFoldersOf({ dataDir: data, sharedWorkspaces: join(root, "shared"), warmSlots: slots }, "acme").slots,
    ).toBeUndefined();
    const shared = join(root, "shared");
    expect(sessionFoldersOf({ dataDir: data, sharedWorkspaces: shared }, "acme")).toEqual({
      worktreesDir: join(shared, "acme", "worktrees"),
      scratchDir: join(shared, "acme", "workspaces"),
      selfContained: true,
    });
    for (const bad of ["..", "a/b", "", "a".repeat(65)])
      expect(() => sessionFoldersOf({ dataDir: data, sharedWorkspaces: shared }, bad)).toThrow(/invalid tenant id/);

    expect(await listSessionFolderDirs({ dataDir: data, sharedWorkspaces: null })).toEqual([
      join(data, "worktrees"),
      join(data, "workspaces"),
    ]);
    await mkdir(join(shared, "acme"), { recursive: true });
    await mkdir(join(shared, "not a tenant"), { recursive: true });
    await writeFile(join(shared, "file"), "");
    expect(await listSessionFolderDirs({ dataDir: data, sharedWorkspaces: shared })).toEqual([
      join(data, "worktrees"),
      join(data, "workspaces"),
      join(shared, "acme", "worktrees"),
      join(shared, "acme", "workspaces"),
    ]);
  });

  it("a self-contained clone works with its source gone, holds nothing in it, and a copy recreated from the work remote borrows nothing either", async () => {
    const source = await makeRepo({ "README.md": "# repo\n", "a.ts": "export const a = 1;\n" });
    const folders = sessionFoldersOf({ dataDir: join(root, "data"), sharedWorkspaces: join(root, "shared") }, "acme");

    const ws = await prepareWorkspace({ sessionShortId: "beef0001", repository: source, ...folders });
    expect(ws.path).toBe(join(folders.worktreesDir, "beef0001"));
    expect(existsSync(alternatesOf(ws.path!))).toBe(false);
    expect(await git(source, "for-each-ref", "--format=%(refname)", "refs/orchestrator/")).toBe("");
    // Prepared again (a retry): the same clone, still self-contained.
    expect(await prepareWorkspace({ sessionShortId: "beef0001", repository: source, ...folders })).toEqual(ws);

    await writeFile(join(ws.path!, "new.txt"), "made by the agent\n");
    const { commit } = await snapshotWorkspace(ws, "checkpoint 1");
    const remote = createWorkRemote(join(root, "remote.git"));
    await mkdir(join(root, "remote.git"));
    await git(join(root, "remote.git"), "init", "--quiet", "--bare");
    const pusher = createCheckpointPusher({ remote, recordPushed: async () => undefined, log: () => undefined });
    pusher.push({
      tenantId: "acme",
      sessionId: "s",
      shortId: "beef0001",
      dirs: [ws.path!],
      seq: 1,
      commit,
      fencingToken: 1,
      history: { commits: [], lastPushedCommit: null },
    });
    expect(await pusher.flush()).toBe(true);
    await pusher.stop();

    // What a runner pod sees: the clone alone. Its whole history reads without the repository it was cut from.
    await rm(source, { recursive: true, force: true });
    expect(await git(ws.path!, "log", "--format=%s")).toContain("checkpoint 1");
    await runGit(["fsck", "--no-dangling"], { cwd: ws.path! });

    // Another replica (its own data dir) that finds no copy: recreated from the work remote, borrowing nothing.
    const source2 = await makeRepo({ "README.md": "# repo\n", "a.ts": "export const a = 1;\n" });
    const elsewhere = sessionFoldersOf(
      { dataDir: join(root, "data-2"), sharedWorkspaces: join(root, "shared-2") },
      "acme",
    );
    const located = await locateWorkspace(
      { ...ws, repository: source2 },
      { sessionShortId: "beef0001", ...elsewhere, workRemote: remote, target: { commit } },
    );
    if (located.source !== "recreated") throw new Error(`expected a recreated copy, got ${located.source}`);
    expect(located.workspace.path).toBe(join(elsewhere.worktreesDir, "beef0001"));
    expect(await headCommit(located.workspace.path!)).toBe(commit);
    expect(existsSync(alternatesOf(located.workspace.path!))).toBe(false);
    expect(await git(source2, "for-each-ref", "--format=%(refname)", borrowedRef("beef0001"))).toBe("");
  });

  it("a clone that borrowed (made before the shared workspaces) is made self-contained when prepared again, and lets go of its hold", async () => {
    const source = await makeRepo({ "README.md": "# repo\n" });
    const folders = sessionFoldersOf({ dataDir: join(root, "data"), sharedWorkspaces: join(root, "shared") }, "acme");
    const borrowing = await prepareWorkspace({
      sessionShortId: "beef0002",
      repository: source,
      ...folders,
      selfContained: false,
    });
    expect(existsSync(alternatesOf(borrowing.path!))).toBe(true);
    expect(await git(source, "for-each-ref", "--format=%(refname)", borrowedRef("beef0002"))).not.toBe("");

    const again = await prepareWorkspace({ sessionShortId: "beef0002", repository: source, ...folders });
    expect(again.path).toBe(borrowing.path);
    expect(existsSync(alternatesOf(again.path!))).toBe(false);
    expect(await git(source, "for-each-ref", "--format=%(refname)", borrowedRef("beef0002"))).toBe("");
    await rm(source, { recursive: true, force: true });
    await runGit(["fsck", "--no-dangling"], { cwd: again.path! });
  });
});
