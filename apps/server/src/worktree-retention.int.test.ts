import { existsSync, readdirSync, readFileSync, utimesSync } from "node:fs";
import { dirname, join } from "node:path";
import { sessionShortId } from "@industrial/core";
import { createTestGitDaemon, tempDir, type TestGitDaemon, runGit as git } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestGitRepo, seedServedRepository } from "./testing/git-fixture";
import {
  scripted,
  startTestOrchestrator,
  waitForPushed,
  waitForStatus,
  type TestOrchestrator,
} from "./testing/harness";

// A work remote behind `git daemon` (so it can be down), real OpenCode, the scripted model; rounds run when the test says so.
const TWO_FILES = [
  { tool: "write", input: { filePath: "one.txt", content: "first\n" } },
  { tool: "write", input: { filePath: "two.txt", content: "second\n" } },
  { text: "Wrote two files." },
];
const TWO_FILES_THEN_FAIL = [
  ...TWO_FILES.slice(0, 2),
  { error: { status: 400, message: "invalid_request_error: scripted failure" } },
];

let daemon: TestGitDaemon;
let h: TestOrchestrator;
const dir = tempDir("orch-wt-retention-");
beforeAll(async () => {
  daemon = await createTestGitDaemon(dir.path);
  daemon.initBare("work.git");
  await daemon.start();
  h = await startTestOrchestrator({
    env: {
      ORCHESTRATOR_WORK_REMOTE: daemon.url("work.git"),
      ORCHESTRATOR_RETENTION_INTERVAL_MS: "0",
      ORCHESTRATOR_DISK_USAGE_INTERVAL_MS: "0",
      ORCHESTRATOR_WORKTREE_GRACE_HOURS: "1",
      ORCHESTRATOR_CHECKPOINT_LAND_SECONDS: "2",
      // Sessions' own folders: how retention treats warm slots is warm-slots.int's.
      ORCHESTRATOR_WARM_SLOTS: "0",
    },
  });
});
afterAll(async () => {
  await h?.close();
  await daemon?.stop();
  dir.remove();
});

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => h.orc.db.query<T>(text, params);
const round = () => h.orc.housekeeping.retention.runRound();
const remoteRefs = () =>
  new Map(
    git(dir.path, "--git-dir", join(dir.path, "work.git"), "for-each-ref", "--format=%(refname) %(objectname)")
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ") as [string, string]),
  );

async function run(
  title: string,
  steps: unknown[],
  where: { repository?: string; directory?: string } = {},
  status = "completed",
) {
  const s = await h.api.call("createSession", {
    body: { title, prompt: scripted(title, steps), retry: { maxAttempts: 1 }, ...where },
  });
  const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 90_000);
  expect(done.status, JSON.stringify(done.error)).toBe(status);
  return done;
}

const allPushed = (id: string, timeoutMs?: number) => waitForPushed(h.api, id, timeoutMs);

/** Moves the session's end, and its folder's last change, past the grace period. */
async function pastGrace(id: string, folder: string | null) {
  await sql("UPDATE sessions SET finished_at = now() - interval '2 hours' WHERE id = $1", [id]);
  const old = new Date(Date.now() - 2 * 3_600_000);
  if (folder && existsSync(folder)) utimesSync(folder, old, old);
}

describe(`worktree retention (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("removes a finished session's worktree once its checkpoints are pushed and the grace is over; the diff and a retry fromCheckpoint recreate it", async () => {
    const repo = createTestGitRepo({ "README.md": "base\n" });
    onTestFinished(() => repo.remove());
    const done = await run("fails after two files", TWO_FILES_THEN_FAIL, { repository: repo.path }, "failed");
    const cps = await allPushed(done.id);
    const folder = done.workspace.path!;
    const short = sessionShortId(done.id);
    const before = await h.api.call("sessionDiff", { params: { id: done.id } });
    expect(before.files.map((f) => f.path).sort()).toEqual(["one.txt", "two.txt"]);

    // Within the grace period the folder stays.
    expect((await round()).worktrees).toBe(0);
    expect(existsSync(folder)).toBe(true);

    await pastGrace(done.id, folder);
    expect((await round()).worktrees).toBe(1);
    expect(existsSync(folder)).toBe(false);
    // The session's clone let go of the objects it borrowed from the repository; its work is on the work remote.
    expect(git(repo.path, "for-each-ref", "--format=%(refname)", "refs/orchestrator/")).toBe("");
    expect(remoteRefs().get(`refs/heads/orchestrator/${short}`)).toBe(cps.at(-1)!.gitCommit);
    expect(remoteRefs().get(`refs/orchestrator/checkpoints/${short}/${cps.at(-1)!.seq}`)).toBe(cps.at(-1)!.gitCommit);
    expect(readdirSync(join(h.dataDir, "worktrees")).filter((n) => n.startsWith("."))).toEqual([]);

    // The diff recreates it from the work remote, whole.
    expect(await h.api.call("sessionDiff", { params: { id: done.id } })).toEqual(before);
    // A copy made for a read gets a grace of its own: the next round leaves it.
    expect(existsSync(folder)).toBe(true);
    expect((await round()).worktrees).toBe(0);
    expect(existsSync(folder)).toBe(true);

    // Gone again, then a retry from the first checkpoint: recreated and reset there, the new attempt runs in it.
    await pastGrace(done.id, folder);
    expect((await round()).worktrees).toBe(1);
    expect(existsSync(folder)).toBe(false);
    const retried = await h.api.call("retrySession", {
      params: { id: done.id },
      body: { fromCheckpoint: cps[0]!.seq },
    });
    // Admitted at once or a moment later (the scheduler's admission may come first on a busy machine).
    expect(["pending", "queued"]).toContain(retried.status);
    expect(existsSync(retried.workspace.path!)).toBe(true);
    const again = await waitForStatus(h.api, done.id, ["failed", "completed"], 90_000);
    expect(again.attempt).toBe(2);
    expect((await h.api.call("sessionDiff", { params: { id: done.id } })).files.map((f) => f.path).sort()).toEqual([
      "one.txt",
      "two.txt",
    ]);
  });

  it("keeps a folder whose checkpoints are not yet pushed (the remote is down) and removes it once they are", async () => {
    await daemon.stop();
    onTestFinished(() => daemon.start());
    const done = await run("unpushed", TWO_FILES);
    const folder = done.workspace.path!;
    expect(
      (await h.api.call("listCheckpoints", { params: { id: done.id } })).items.every((c) => c.pushed === null),
    ).toBe(true);
    await pastGrace(done.id, folder);
    expect((await round()).worktrees).toBe(0);
    expect(existsSync(folder)).toBe(true);

    await daemon.start();
    await allPushed(done.id, 45_000);
    expect((await round()).worktrees).toBe(1);
    expect(existsSync(folder)).toBe(false);
    expect((await h.api.call("sessionDiff", { params: { id: done.id } })).files.map((f) => f.path).sort()).toEqual([
      "one.txt",
      "two.txt",
    ]);
  });

  it("removes a scratch session's folder alike, and never touches a directory worked in place", async () => {
    const own = tempDir("orch-in-place-");
    onTestFinished(() => own.remove());
    const inPlace = await run("in place", TWO_FILES, { directory: own.path });
    expect(inPlace.workspace.path).toBe(own.path);
    const scratch = await run("scratch", TWO_FILES);
    expect(scratch.workspace.path!.startsWith(join(h.dataDir, "workspaces"))).toBe(true);
    for (const s of [inPlace, scratch]) {
      await allPushed(s.id);
      await pastGrace(s.id, s.workspace.path);
    }
    expect((await round()).worktrees).toBe(1);
    expect(existsSync(scratch.workspace.path!)).toBe(false);
    expect(readdirSync(own.path).sort()).toEqual([".git", "one.txt", "two.txt"]);
    expect(git(own.path, "status", "--porcelain")).toBe("");
    expect((await h.api.call("sessionDiff", { params: { id: scratch.id } })).files.map((f) => f.path).sort()).toEqual([
      "one.txt",
      "two.txt",
    ]);
  });
});

describe(`a deleted session's refs on its remote (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  const cleanup = async (id: string) =>
    (
      await sql<{ branch: unknown; refs: unknown; tried: unknown }>(
        "SELECT remote_branch_removed_at AS branch, remote_refs_removed_at AS refs, remote_cleanup_tried_at AS tried FROM sessions WHERE id = $1",
        [id],
      )
    )[0]!;

  it("removes the branch at the next round (its folder too, without grace), the checkpoint refs after the tenant's retention", async () => {
    const done = await run("deleted", TWO_FILES);
    const cps = await allPushed(done.id);
    const short = sessionShortId(done.id);
    expect(remoteRefs().has(`refs/heads/orchestrator/${short}`)).toBe(true);
    await h.api.call("deleteSession", { params: { id: done.id } });

    const r = await round();
    expect(r).toMatchObject({ remoteBranches: 1, checkpointRefs: 0 });
    expect(r.worktrees).toBeGreaterThanOrEqual(1);
    expect(existsSync(done.workspace.path!)).toBe(false);
    const refs = remoteRefs();
    expect(refs.has(`refs/heads/orchestrator/${short}`)).toBe(false);
    for (const c of cps) expect(refs.get(`refs/orchestrator/checkpoints/${short}/${c.seq}`)).toBe(c.gitCommit);
    expect(await cleanup(done.id)).toMatchObject({ refs: null });
    expect((await cleanup(done.id)).branch).not.toBeNull();
    // Nothing more to do until the retention: the next round leaves it alone.
    expect(await round()).toMatchObject({ remoteBranches: 0, checkpointRefs: 0 });

    await sql("UPDATE sessions SET deleted_at = now() - interval '91 days' WHERE id = $1", [done.id]);
    expect(await round()).toMatchObject({ remoteBranches: 0, checkpointRefs: cps.length });
    expect([...remoteRefs().keys()].filter((ref) => ref.includes(short))).toEqual([]);
    expect((await cleanup(done.id)).refs).not.toBeNull();
  });

  it("tries again when the remote was down, and leaves a branch someone moved to a commit the session never had", async () => {
    const downed = await run("deleted while down", TWO_FILES);
    await allPushed(downed.id);
    const moved = await run("moved by someone", TWO_FILES);
    await allPushed(moved.id);
    const [downShort, movedShort] = [sessionShortId(downed.id), sessionShortId(moved.id)];
    // Someone pushes their own commit onto the second session's branch.
    const other = tempDir("orch-someone-");
    onTestFinished(() => other.remove());
    git(other.path, "init", "--quiet");
    git(other.path, "fetch", "--quiet", daemon.url("work.git"), `refs/heads/orchestrator/${movedShort}`);
    const foreign = git(
      other.path,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@t",
      "commit-tree",
      "-p",
      "FETCH_HEAD",
      "-m",
      "someone's work",
      "FETCH_HEAD^{tree}",
    );
    git(
      other.path,
      "push",
      "--quiet",
      "--force",
      daemon.url("work.git"),
      `${foreign}:refs/heads/orchestrator/${movedShort}`,
    );

    await daemon.stop();
    onTestFinished(() => daemon.start());
    await h.api.call("deleteSession", { params: { id: downed.id } });
    await h.api.call("deleteSession", { params: { id: moved.id } });
    expect(await round()).toMatchObject({ remoteBranches: 0 });
    expect(await cleanup(downed.id)).toMatchObject({ branch: null });
    expect((await cleanup(downed.id)).tried).not.toBeNull();

    await daemon.start();
    expect(await round()).toMatchObject({ remoteBranches: 1 });
    const refs = remoteRefs();
    expect(refs.has(`refs/heads/orchestrator/${downShort}`)).toBe(false);
    expect(refs.get(`refs/heads/orchestrator/${movedShort}`)).toBe(foreign);
    // Both are done: the moved branch is left for good, not tried every round.
    expect((await cleanup(downed.id)).branch).not.toBeNull();
    expect((await cleanup(moved.id)).branch).not.toBeNull();
  });
});

describe(`a session on a repository by URL: its origin is its remote (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("removes its clone (letting go of the mirror), recreates it from the origin for the diff, and deletes its branch there once the session is deleted", async () => {
    const { path: origin, head: main } = seedServedRepository(daemon, "person.git", {
      "README.md": "# the person's repository\n",
    });

    const done = await run("by URL", TWO_FILES, { repository: daemon.url("person.git") });
    expect(done.workspace.pushTo).toBe("origin");
    const cps = await allPushed(done.id);
    expect(cps.every((c) => c.gitCommit === null || c.pushed?.remote === daemon.url("person.git"))).toBe(true);
    const short = sessionShortId(done.id);
    const folder = done.workspace.path!;
    // The session's clone borrows the objects of this replica's mirror of the repository.
    const mirror = dirname(readFileSync(join(folder, ".git", "objects", "info", "alternates"), "utf8").trim());
    expect(mirror.startsWith(join(h.dataDir, "mirrors"))).toBe(true);
    expect(git(mirror, "for-each-ref", "--format=%(refname)", "refs/orchestrator/borrowed/")).toBe(
      `refs/orchestrator/borrowed/${short}`,
    );
    const before = await h.api.call("sessionDiff", { params: { id: done.id } });

    await pastGrace(done.id, folder);
    expect((await round()).worktrees).toBe(1);
    expect(existsSync(folder)).toBe(false);
    expect(git(mirror, "for-each-ref", "--format=%(refname)", "refs/orchestrator/borrowed/")).toBe("");
    expect((await h.api.call("sessionDiff", { params: { id: done.id } })).files).toEqual(before.files);

    const originBranch = () =>
      git(dir.path, "--git-dir", origin, "for-each-ref", "--format=%(refname)", `refs/heads/orchestrator/${short}`);
    expect(originBranch()).toBe(`refs/heads/orchestrator/${short}`);
    await h.api.call("deleteSession", { params: { id: done.id } });
    expect(await round()).toMatchObject({ remoteBranches: 1 });
    expect(originBranch()).toBe("");
    // The person's own branch is untouched; the work remote never had the session.
    expect(git(dir.path, "--git-dir", origin, "rev-parse", "refs/heads/main")).toBe(main);
    expect([...remoteRefs().keys()].filter((ref) => ref.includes(short))).toEqual([]);
  });
});
