import { rmSync } from "node:fs";
import { join } from "node:path";
import { sessionShortId } from "@industrial/core";
import type { ApiClient } from "@industrial/contracts";
import {
  createTestDatabase,
  createTestGitDaemon,
  tempDir,
  testBackend,
  waitFor,
  type TestDatabase,
  type TestGitDaemon,
  runGit as git,
} from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestGitRepo } from "./testing/git-fixture";
import {
  scripted,
  startTestOrchestrator,
  waitForPushed,
  waitForStatus,
  type TestOrchestrator,
} from "./testing/harness";

// Real git remotes (a bare repository on disk, and one behind `git daemon`), real OpenCode, the scripted model.
/** Three files over three steps, each step its own checkpoint. */
const THREE_FILES = [
  { tool: "write", input: { filePath: "one.txt", content: "first\n" } },
  { tool: "write", input: { filePath: "two.txt", content: "second\n" } },
  { tool: "write", input: { filePath: "three.txt", content: "third\n" } },
  { text: "Wrote three files." },
];

async function runSession(api: ApiClient, body: { repository?: string } = {}) {
  const s = await api.call("createSession", {
    body: {
      title: "three files",
      prompt: scripted("Write three files", THREE_FILES),
      retry: { maxAttempts: 1 },
      ...body,
    },
  });
  const done = await waitForStatus(api, s.id, ["completed", "failed"], 60_000);
  expect(done.status, JSON.stringify(done.error)).toBe("completed");
  return done;
}

/** The remote holds the branch with every file, and every checkpoint at its ref. */
function expectOnRemote(remote: string, id: string, checkpoints: { seq: number; gitCommit: string | null }[]) {
  const short = sessionShortId(id);
  const refs = new Map(
    git("/", "ls-remote", remote)
      .split("\n")
      .map((l) => l.split("\t").reverse() as [string, string]),
  );
  for (const cp of checkpoints.filter((c) => c.gitCommit))
    expect(refs.get(`refs/orchestrator/checkpoints/${short}/${cp.seq}`), `checkpoint ${cp.seq}`).toBe(cp.gitCommit);
  const branchHead = refs.get(`refs/heads/orchestrator/${short}`);
  expect(branchHead).toBe(checkpoints.at(-1)!.gitCommit);
  return branchHead!;
}

describe(`the work remote: a bare repository on disk (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  const dir = tempDir("orch-work-remote-");
  const remote = join(dir.path, "work.git");
  let h: TestOrchestrator;
  beforeAll(async () => {
    git(dir.path, "init", "--quiet", "--bare", remote);
    h = await startTestOrchestrator({ env: { ORCHESTRATOR_WORK_REMOTE: remote } });
  });
  afterAll(async () => {
    await h?.close();
    dir.remove();
  });

  it("receives the session branch and every checkpoint ref, with the files; verify finds them all", async () => {
    const repo = createTestGitRepo();
    onTestFinished(() => repo.remove());
    const done = await runSession(h.api, { repository: repo.path });
    // Read at once: the session ended only after its checkpoints reached the remote (a replica killed
    // before that has not finished it), so the branch already holds its last file, with no wait.
    const short = sessionShortId(done.id);
    expect(git(remote, "show", `refs/heads/orchestrator/${short}:three.txt`)).toBe("third");
    const cps = await waitForPushed(h.api, done.id);
    expect(cps.length).toBeGreaterThanOrEqual(4);
    expect(cps.every((c) => c.pushed?.remote === remote)).toBe(true);
    const head = expectOnRemote(remote, done.id, cps);
    expect(git(remote, "show", `${head}:three.txt`)).toBe("third");
    expect(git(remote, "show", `${head}:one.txt`)).toBe("first");
    // The first step's checkpoint holds the first file (on a busy machine maybe later ones too: a
    // checkpoint is taken after its step while the agent goes on; the refs above pin each one).
    expect(git(remote, "ls-tree", "--name-only", cps[0]!.gitCommit!).split("\n")).toContain("one.txt");

    const v = await h.api.call("verifyCheckpoints", { params: { id: done.id } });
    expect(v).toMatchObject({
      intact: true,
      checked: cps.length,
      remote: { url: remote, reachable: true, pushed: cps.length, notYetPushed: [], missing: [] },
    });

    // A manual checkpoint after the end is pushed too, on top of the branch.
    const manual = await h.api.call("createCheckpoint", { params: { id: done.id }, body: {} });
    const after = await waitForPushed(h.api, done.id);
    expect(after.at(-1)!.seq).toBe(manual.seq);
    expectOnRemote(remote, done.id, after);
    expect(
      (await h.orc.metrics.staleWrites.get()).values
        .filter((v) => v.labels.kind === "git")
        .reduce((n, v) => n + v.value, 0),
    ).toBe(0);
  });

  it("stops the attempt when the work remote refuses its branch lease (another holder moved it), and counts the stale write", async () => {
    const steps = [
      { tool: "write", input: { filePath: "one.txt", content: "first\n" } },
      { sleep_ms: 4000 },
      { tool: "write", input: { filePath: "two.txt", content: "second\n" } },
      { sleep_ms: 4000 },
      { tool: "write", input: { filePath: "three.txt", content: "third\n" } },
      { text: "done" },
    ];
    const s = await h.api.call("createSession", {
      body: { title: "moved under it", prompt: scripted("Write slowly", steps), retry: { maxAttempts: 1 } },
    });
    const short = sessionShortId(s.id);
    const first = await waitForPushed(h.api, s.id);
    // Another holder moves the branch on (as a replica that took the session over would).
    const other = tempDir("orch-other-holder-");
    onTestFinished(() => other.remove());
    git(other.path, "init", "--quiet");
    git(other.path, "fetch", "--quiet", remote, `refs/heads/orchestrator/${short}`);
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
      "newer holder",
      `FETCH_HEAD^{tree}`,
    );
    git(other.path, "push", "--quiet", "--force", remote, `${foreign}:refs/heads/orchestrator/${short}`);

    const staleGit = async () =>
      (await h.orc.metrics.staleWrites.get()).values.find((v) => v.labels.kind === "git")?.value ?? 0;
    await waitFor(async () => (await staleGit()) >= 1 || null, "the git stale write", {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    const { items } = await h.api.call("listCheckpoints", { params: { id: s.id } });
    const second = items.find((c) => c.seq === first.length + 1)!;
    // The refused holder wrote nothing more: no checkpoint after the refused one, and the branch is the other holder's.
    await new Promise((r) => setTimeout(r, 5000));
    expect((await h.api.call("listCheckpoints", { params: { id: s.id } })).items.map((c) => c.seq)).toEqual(
      items.map((c) => c.seq),
    );
    expect(git("/", "ls-remote", remote, `refs/heads/orchestrator/${short}`).split("\t")[0]).toBe(foreign);
    // Its checkpoint is still kept under its own ref: nothing committed at a checkpoint is lost.
    expect(git("/", "ls-remote", remote, `refs/orchestrator/checkpoints/${short}/${second.seq}`).split("\t")[0]).toBe(
      second.gitCommit,
    );
    expect(await staleGit()).toBe(1);
  });

  it("recreates a deleted worktree from the work remote and still serves the full diff", async () => {
    const repo = createTestGitRepo();
    onTestFinished(() => repo.remove());
    const done = await runSession(h.api, { repository: repo.path });
    await waitForPushed(h.api, done.id);
    const before = await h.api.call("sessionDiff", { params: { id: done.id } });
    expect(before.files.map((f) => f.path).sort()).toEqual(["one.txt", "three.txt", "two.txt"]);

    rmSync(done.workspace.path!, { recursive: true, force: true });
    const after = await h.api.call("sessionDiff", { params: { id: done.id } });
    expect(after).toEqual(before);

    // A scratch session (no repository): its folder gone, the diff comes from a clone of the work remote.
    const scratch = await runSession(h.api);
    await waitForPushed(h.api, scratch.id);
    const scratchBefore = await h.api.call("sessionDiff", { params: { id: scratch.id } });
    rmSync(scratch.workspace.path!, { recursive: true, force: true });
    const scratchAfter = await h.api.call("sessionDiff", { params: { id: scratch.id } });
    expect(scratchAfter.files.map((f) => [f.path, f.patch])).toEqual(scratchBefore.files.map((f) => [f.path, f.patch]));
    expect(scratchAfter.files.map((f) => f.path).sort()).toEqual(["one.txt", "three.txt", "two.txt"]);
  });
});

describe(`the work remote over git:// (git daemon), down and back (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  const dir = tempDir("orch-git-daemon-");
  let daemon: TestGitDaemon;
  let h: TestOrchestrator;
  beforeAll(async () => {
    daemon = await createTestGitDaemon(dir.path);
    daemon.initBare("work.git");
    // Nothing listens on the daemon's port yet: the work remote is down (a session's end waits 2 s for it, not 15).
    h = await startTestOrchestrator({
      env: { ORCHESTRATOR_WORK_REMOTE: daemon.url("work.git"), ORCHESTRATOR_CHECKPOINT_LAND_SECONDS: "2" },
    });
  });
  afterAll(async () => {
    await h?.close();
    await daemon?.stop();
    dir.remove();
  });

  it("completes the session while the remote is down, says 'not yet pushed', and pushes once the daemon answers", async () => {
    const done = await runSession(h.api);
    const { items } = await h.api.call("listCheckpoints", { params: { id: done.id } });
    expect(items.length).toBeGreaterThanOrEqual(4);
    expect(items.every((c) => c.pushed === null)).toBe(true);
    const down = await h.api.call("verifyCheckpoints", { params: { id: done.id } });
    expect(down.intact).toBe(true);
    expect(down.remote).toMatchObject({
      url: daemon.url("work.git"),
      reachable: false,
      pushed: 0,
      notYetPushed: items.map((c) => c.seq),
    });
    expect(
      (await h.orc.metrics.workRemotePushes.get()).values.find((v) => v.labels.result === "unreachable")?.value ?? 0,
    ).toBeGreaterThan(0);

    await daemon.start();
    // No nudge: the pusher's backoff brings the pushes in (its longest wait is 15 s).
    const cps = await waitForPushed(h.api, done.id, 45_000);
    const head = expectOnRemote(daemon.url("work.git"), done.id, cps);
    expect(git(dir.path, "--git-dir", join(dir.path, "work.git"), "show", `${head}:two.txt`)).toBe("second");
    const up = await h.api.call("verifyCheckpoints", { params: { id: done.id } });
    expect(up.remote).toMatchObject({ reachable: true, pushed: cps.length, notYetPushed: [], missing: [] });
  });

  it("pushes over git:// as the session goes", async () => {
    if (!daemon.running) await daemon.start();
    const repo = createTestGitRepo();
    onTestFinished(() => repo.remove());
    const done = await runSession(h.api, { repository: repo.path });
    const cps = await waitForPushed(h.api, done.id);
    expect(cps.every((c) => c.pushed?.remote === daemon.url("work.git"))).toBe(true);
    const head = expectOnRemote(daemon.url("work.git"), done.id, cps);
    expect(git(dir.path, "--git-dir", join(dir.path, "work.git"), "show", `${head}:three.txt`)).toBe("third");
  });
});

describe(`a restarted replica pushes what its predecessor left unpushed (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  const dir = tempDir("orch-sweep-");
  const dataDir = tempDir("orch-sweep-data-");
  let daemon: TestGitDaemon;
  let db: TestDatabase | null = null;
  let h: TestOrchestrator | null = null;
  const start = () =>
    startTestOrchestrator({
      dataDir: dataDir.path,
      dbUrl: db?.url ?? null,
      env: { ORCHESTRATOR_WORK_REMOTE: daemon.url("work.git"), ORCHESTRATOR_CHECKPOINT_LAND_SECONDS: "2" },
    });
  beforeAll(async () => {
    if (testBackend() === "postgres") db = await createTestDatabase("postgres");
    daemon = await createTestGitDaemon(dir.path);
    daemon.initBare("work.git");
  });
  afterAll(async () => {
    await h?.close();
    await daemon?.stop();
    await db?.drop();
    dir.remove();
    dataDir.remove();
  });

  it("hands the checkpoints left 'not yet pushed' to the pusher at start; their refs land and a lost workspace comes back from them", async () => {
    h = await start();
    const done = await runSession(h.api);
    const short = sessionShortId(done.id);
    expect(
      (await h.api.call("listCheckpoints", { params: { id: done.id } })).items.every((c) => c.pushed === null),
    ).toBe(true);
    await h.close();
    h = null;

    await daemon.start();
    h = await start();
    const cps = await waitForPushed(h.api, done.id);
    const refs = git("/", "ls-remote", daemon.url("work.git"));
    for (const c of cps) expect(refs).toContain(`${c.gitCommit}\trefs/orchestrator/checkpoints/${short}/${c.seq}`);
    // Only the refs: the branch is left to the session's next lease holder.
    expect(refs).not.toContain(`refs/heads/orchestrator/${short}`);

    const before = await h.api.call("sessionDiff", { params: { id: done.id } });
    rmSync(done.workspace.path!, { recursive: true, force: true });
    expect(await h.api.call("sessionDiff", { params: { id: done.id } })).toEqual(before);
  });
});
