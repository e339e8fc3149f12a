import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Workspace } from "@industrial/core";
import { createGitRepo } from "@industrial/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCheckpointPusher } from "../work-remote";
import {
  createWorkRemote,
  headCommit,
  isOwnWorkspacePath,
  locateWorkspace,
  prepareWorkspace,
  runGit,
  snapshotWorkspace,
  type WorkRemote,
} from ".";

// Two "replicas" as two data dirs on one machine (as the tests run them), one bare work remote; real git.
const SHORT = "cafe0042";
let root: string;
let remote: WorkRemote;
const replica = (name: string) => ({
  worktreesDir: join(root, name, "worktrees"),
  scratchDir: join(root, name, "workspaces"),
});
const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();

async function checkpoint(ws: Workspace, file: string, content: string): Promise<string> {
  await writeFile(join(ws.path!, file), content);
  return (await snapshotWorkspace(ws, `checkpoint ${file}`)).commit;
}

/** Pushes the commits as checkpoints 1..n of the session (branch at the last). */
async function push(ws: Workspace, commits: string[]): Promise<void> {
  const pusher = createCheckpointPusher({ remote, recordPushed: async () => undefined, log: () => undefined });
  for (const [i, commit] of commits.entries())
    pusher.push({
      tenantId: "t",
      sessionId: "s",
      shortId: SHORT,
      dirs: [ws.path!],
      seq: i + 1,
      commit,
      fencingToken: 1,
      history: { commits: [], lastPushedCommit: null },
    });
  expect(await pusher.flush()).toBe(true);
  await pusher.stop();
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "locate-test-"));
  await mkdir(join(root, "remote.git"));
  await git(join(root, "remote.git"), "init", "--quiet", "--bare");
  remote = createWorkRemote(join(root, "remote.git"));
});
afterEach(async () => rm(root, { recursive: true, force: true }));

describe("which copy of a session's workspace a replica works in", () => {
  it("its own recorded copy as it is; another replica's, which exists on this machine, never: a copy of its own from the work remote", async () => {
    const a = replica("a");
    const b = replica("b");
    const ws = await prepareWorkspace({ sessionShortId: SHORT, ...a });
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    await push(ws, [c1]);
    await writeFile(join(ws.path!, "uncommitted.txt"), "only on a\n");

    expect(await isOwnWorkspacePath(ws, { ...a, sessionShortId: SHORT })).toBe(true);
    expect(await isOwnWorkspacePath(ws, { ...b, sessionShortId: SHORT })).toBe(false);
    expect(
      await locateWorkspace(ws, { sessionShortId: SHORT, ...a, workRemote: remote, target: { commit: c1 } }),
    ).toEqual({ source: "recorded", workspace: ws });

    const onB = await locateWorkspace(ws, { sessionShortId: SHORT, ...b, workRemote: remote, target: { commit: c1 } });
    if (onB.source !== "recreated") throw new Error(`expected a recreated copy, got ${onB.source}`);
    expect(onB.workspace.path!.startsWith(join(root, "b"))).toBe(true);
    expect(await headCommit(onB.workspace.path!)).toBe(c1);
    expect(existsSync(join(onB.workspace.path!, "uncommitted.txt"))).toBe(false);
    // The record keeps what the session named; only where this copy is changes.
    expect({ ...onB.workspace, path: null, branch: null }).toEqual({ ...ws, path: null, branch: null });
    // Re-attaching to a living OpenCode session: it works in the recorded path, whoever recorded it.
    expect(
      (
        await locateWorkspace(ws, {
          sessionShortId: SHORT,
          ...b,
          workRemote: remote,
          target: { commit: c1 },
          keepRecorded: true,
        })
      ).source,
    ).toBe("recorded");
  });

  it("brings a stale copy of its own to the session's current commit, forwards or back", async () => {
    const a = replica("a");
    const b = replica("b");
    const ws = await prepareWorkspace({ sessionShortId: SHORT, ...a });
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    const c2 = await checkpoint(ws, "two.txt", "2\n");
    await push(ws, [c1, c2]);
    const first = await locateWorkspace(ws, {
      sessionShortId: SHORT,
      ...b,
      workRemote: remote,
      target: { commit: c1 },
    });
    if (first.source !== "recreated") throw new Error("expected a recreated copy");
    await writeFile(join(first.workspace.path!, "junk.txt"), "left by an earlier visit\n");
    // Later the session is at c2 (A ran on): B's copy moves forward and loses its junk.
    const forward = await locateWorkspace(ws, {
      sessionShortId: SHORT,
      ...b,
      workRemote: remote,
      target: { commit: c2 },
    });
    expect(forward.source === "recreated" && forward.workspace.path).toBe(first.workspace.path);
    expect(await headCommit(first.workspace.path!)).toBe(c2);
    expect(existsSync(join(first.workspace.path!, "junk.txt"))).toBe(false);
    // A restore elsewhere put the session back at c1: B's copy goes back too.
    await locateWorkspace(ws, { sessionShortId: SHORT, ...b, workRemote: remote, target: { commit: c1 } });
    expect(await headCommit(first.workspace.path!)).toBe(c1);
    expect(existsSync(join(first.workspace.path!, "two.txt"))).toBe(false);
  });

  it("a shared repository whose session branch another replica has checked out: a repository of this replica's own", async () => {
    const repo = join(root, "repo");
    await mkdir(repo);
    createGitRepo(repo, { "a.txt": "base\n" });
    const a = replica("a");
    const b = replica("b");
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...a });
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    await push(ws, [c1]);
    const onB = await locateWorkspace(ws, { sessionShortId: SHORT, ...b, workRemote: remote, target: { commit: c1 } });
    if (onB.source !== "recreated") throw new Error("expected a recreated copy");
    expect(existsSync(join(onB.workspace.path!, ".git", "HEAD"))).toBe(true);
    expect(await headCommit(onB.workspace.path!)).toBe(c1);
    expect(await readFile(join(onB.workspace.path!, "one.txt"), "utf8")).toBe("1\n");
    // A's worktree is untouched.
    expect(await headCommit(ws.path!)).toBe(c1);
    // The record still names the session's repository.
    expect(onB.workspace.repository).toBe(ws.repository);
  });

  it("nothing anywhere: the caller prepares a new workspace", async () => {
    const ws = await prepareWorkspace({ sessionShortId: SHORT, ...replica("a") });
    expect(
      await locateWorkspace(ws, { sessionShortId: SHORT, ...replica("b"), workRemote: remote, target: null }),
    ).toEqual({ source: "prepare" });
  });
});
