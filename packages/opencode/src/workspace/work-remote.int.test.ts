import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PreconditionError, type Workspace } from "@industrial/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBranchPusher, createCheckpointPusher, type CheckpointPush, type CheckpointPusher } from "../work-remote";
import {
  createWorkRemote,
  diffWorkspace,
  fetchSessionBranch,
  headCommit,
  listWorkRemoteRefs,
  mergeIntoIntegration,
  prepareIntegration,
  prepareWorkspace,
  recreateWorkspace,
  restoreWorkspace,
  runGit,
  snapshotWorkspace,
  type WorkRemote,
} from ".";

// Real git in temporary folders, a bare repository as the work remote; no mocks.
const SHORT = "abcd1234";
let root: string;
let dirs: { worktreesDir: string; scratchDir: string };
let remote: WorkRemote;
let pushers: Pick<CheckpointPusher, "stop">[];

const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();

async function makeRepo(): Promise<string> {
  const repo = join(root, "repo");
  await mkdir(repo);
  await git(repo, "init", "--quiet", "--initial-branch=main");
  await writeFile(join(repo, "a.txt"), "one\n");
  await git(repo, "add", "--all");
  await git(repo, "commit", "--quiet", "-m", "v1");
  return repo;
}

/** A pusher whose records and lease losses land in arrays; retries after 50–200 ms. */
function pusherFor(r: WorkRemote = remote) {
  const recorded: number[] = [];
  const lost: string[] = [];
  let stale = 0;
  const pusher = createCheckpointPusher({
    remote: r,
    recordPushed: async ({ seqs, remote: shown }) => {
      expect(shown).toBe(r.display);
      recorded.push(...seqs);
    },
    staleWrite: () => stale++,
    log: () => undefined,
    backoff: { baseMs: 50, maxMs: 200, jitter: 0 },
  });
  pushers.push(pusher);
  return { pusher, recorded, lost, stale: () => stale };
}

function job(ws: Workspace, seq: number, commit: string, extra: Partial<CheckpointPush> = {}): CheckpointPush {
  return {
    tenantId: "t",
    sessionId: "s-1",
    shortId: SHORT,
    dirs: [ws.path!],
    seq,
    commit,
    fencingToken: 1,
    history: { commits: [], lastPushedCommit: null },
    ...extra,
  };
}

async function checkpoint(ws: Workspace, file: string, content: string): Promise<string> {
  await writeFile(join(ws.path!, file), content);
  return (await snapshotWorkspace(ws, `checkpoint ${file}`)).commit;
}

const remoteRefs = () => listWorkRemoteRefs(remote, ["refs/heads/orchestrator/*", "refs/orchestrator/checkpoints/*"]);
const showOnRemote = (ref: string, file: string) => git(remote.url, "show", `${ref}:${file}`);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "work-remote-test-"));
  dirs = { worktreesDir: join(root, "worktrees"), scratchDir: join(root, "scratch") };
  await mkdir(join(root, "remote.git"));
  await git(join(root, "remote.git"), "init", "--quiet", "--bare");
  remote = createWorkRemote(join(root, "remote.git"));
  pushers = [];
});
afterEach(async () => {
  await Promise.all(pushers.map((p) => p.stop()));
  await rm(root, { recursive: true, force: true });
});

describe("pushing checkpoints", () => {
  it("puts the branch at the latest checkpoint and every checkpoint under its own ref, for a worktree and a scratch workspace", async () => {
    const repo = await makeRepo();
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const { pusher, recorded } = pusherFor();
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    pusher.push(job(ws, 1, c1));
    const c2 = await checkpoint(ws, "two.txt", "2\n");
    pusher.push(job(ws, 2, c2));
    expect(await pusher.flush()).toBe(true);
    const refs = await remoteRefs();
    expect(refs.get(`refs/heads/orchestrator/${SHORT}`)).toBe(c2);
    expect(refs.get(`refs/orchestrator/checkpoints/${SHORT}/1`)).toBe(c1);
    expect(refs.get(`refs/orchestrator/checkpoints/${SHORT}/2`)).toBe(c2);
    expect(await showOnRemote(`orchestrator/${SHORT}`, "two.txt")).toBe("2");
    expect(recorded.sort()).toEqual([1, 2]);

    // A scratch workspace (worked in place, on its own default branch): HEAD goes to the session's refs all the same.
    const scratch = await prepareWorkspace({ sessionShortId: "feed0001", ...dirs });
    const s1 = await checkpoint(scratch, "s.txt", "scratch\n");
    pusher.push({ ...job(scratch, 1, s1), sessionId: "s-2", shortId: "feed0001" });
    expect(await pusher.flush("s-2")).toBe(true);
    expect(await showOnRemote("orchestrator/feed0001", "s.txt")).toBe("scratch");
    expect((await remoteRefs()).get("refs/orchestrator/checkpoints/feed0001/1")).toBe(s1);
  });

  it("refuses the branch to a holder whose lease is stale, stops it, and still keeps its checkpoint under its ref", async () => {
    const repo = await makeRepo();
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const old = pusherFor();
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    old.pusher.push(job(ws, 1, c1));
    await old.pusher.flush();

    // Another holder (another replica: its own pusher) moves the branch on from c1.
    const other = await mkdtemp(join(root, "other-"));
    await git(other, "init", "--quiet");
    await git(other, "fetch", "--quiet", remote.url, `refs/heads/orchestrator/${SHORT}`);
    await git(other, "checkout", "--quiet", "-b", "work", "FETCH_HEAD");
    await writeFile(join(other, "newer.txt"), "newer\n");
    await git(other, "add", "--all");
    await git(other, "commit", "--quiet", "-m", "newer holder");
    const newer = await headCommit(other);
    const next = pusherFor();
    next.pusher.push({
      ...job({ ...ws, path: other }, 2, newer),
      fencingToken: 2,
      history: { commits: [c1], lastPushedCommit: c1 },
    });
    expect(await next.pusher.flush()).toBe(true);

    // The old holder's next checkpoint: its lease (c1) no longer holds.
    const c3 = await checkpoint(ws, "three.txt", "3\n");
    const lost: string[] = [];
    old.pusher.push(job(ws, 3, c3, { onLeaseLost: (reason) => lost.push(reason) }));
    await old.pusher.flush();
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain("another holder moved it");
    expect(old.stale()).toBe(1);
    const refs = await remoteRefs();
    expect(refs.get(`refs/heads/orchestrator/${SHORT}`)).toBe(newer);
    expect(refs.get(`refs/orchestrator/checkpoints/${SHORT}/3`)).toBe(c3);
    expect(old.recorded).toContain(3);

    // Lost for good: its later checkpoints never move the branch, and it is told only once.
    const c4 = await checkpoint(ws, "four.txt", "4\n");
    old.pusher.push(job(ws, 4, c4, { onLeaseLost: (reason) => lost.push(reason) }));
    await old.pusher.flush();
    expect(lost).toHaveLength(1);
    expect((await remoteRefs()).get(`refs/heads/orchestrator/${SHORT}`)).toBe(newer);
  });

  it("takes over from an earlier holder's late push of a recorded checkpoint without calling the lease lost", async () => {
    const repo = await makeRepo();
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    const c2 = await checkpoint(ws, "two.txt", "2\n");
    // The earlier holder pushed c1 and recorded it; it recorded c2 but its push lands only now, after the next holder began.
    const earlier = pusherFor();
    earlier.pusher.push(job(ws, 1, c1));
    await earlier.pusher.flush();
    const { pusher, stale } = pusherFor();
    const c3 = await checkpoint(ws, "three.txt", "3\n");
    earlier.pusher.push(job(ws, 2, c2));
    await earlier.pusher.flush();
    const lost: string[] = [];
    pusher.push(
      job(ws, 3, c3, {
        fencingToken: 2,
        history: { commits: [c1, c2], lastPushedCommit: c1 },
        onLeaseLost: (r) => lost.push(r),
      }),
    );
    expect(await pusher.flush()).toBe(true);
    expect(lost).toEqual([]);
    expect(stale()).toBe(0);
    expect((await remoteRefs()).get(`refs/heads/orchestrator/${SHORT}`)).toBe(c3);
  });

  it("keeps every checkpoint ref when a restore moves the branch back", async () => {
    const repo = await makeRepo();
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const { pusher } = pusherFor();
    const commits = [
      await checkpoint(ws, "one.txt", "1\n"),
      await checkpoint(ws, "two.txt", "2\n"),
      await checkpoint(ws, "three.txt", "3\n"),
    ];
    commits.forEach((c, i) => pusher.push(job(ws, i + 1, c)));
    await pusher.flush();
    await restoreWorkspace(ws, commits[0]!);
    const c4 = await checkpoint(ws, "four.txt", "4\n");
    pusher.push(job(ws, 4, c4));
    expect(await pusher.flush()).toBe(true);
    const refs = await remoteRefs();
    expect(refs.get(`refs/heads/orchestrator/${SHORT}`)).toBe(c4);
    expect(await git(remote.url, "rev-parse", `${c4}^`)).toBe(commits[0]);
    for (const [i, c] of [...commits, c4].entries())
      expect(refs.get(`refs/orchestrator/checkpoints/${SHORT}/${i + 1}`)).toBe(c);
    // The commits the branch no longer holds are still there, files and all.
    expect(await showOnRemote(`refs/orchestrator/checkpoints/${SHORT}/3`, "three.txt")).toBe("3");
    await expect(showOnRemote(`orchestrator/${SHORT}`, "three.txt")).rejects.toThrow();
  });

  it("retries with backoff while the remote is down, and lands once it is up", async () => {
    const repo = await makeRepo();
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const down = createWorkRemote(join(root, "later.git"));
    const { pusher, recorded } = pusherFor(down);
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    pusher.push(job(ws, 1, c1));
    expect(await pusher.flush()).toBe(false);
    const c2 = await checkpoint(ws, "two.txt", "2\n");
    pusher.push(job(ws, 2, c2));
    expect(pusher.pending("s-1")).toEqual([1, 2]);
    expect(recorded).toEqual([]);
    await mkdir(join(root, "later.git"));
    await git(join(root, "later.git"), "init", "--quiet", "--bare");
    // No flush: the backoff timer brings the pushes in.
    for (let i = 0; i < 100 && recorded.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(recorded.sort()).toEqual([1, 2]);
    expect(pusher.pending("s-1")).toEqual([]);
    const refs = await listWorkRemoteRefs(down, [
      `refs/heads/orchestrator/${SHORT}`,
      `refs/orchestrator/checkpoints/${SHORT}/*`,
    ]);
    expect(refs.get(`refs/heads/orchestrator/${SHORT}`)).toBe(c2);
    expect(refs.size).toBe(3);
  });

  it("never shows a URL's credentials in its errors", async () => {
    const secret = createWorkRemote("http://bot:s3cr3t-token@127.0.0.1:1/work.git", { timeoutMs: 10_000 });
    const e = await listWorkRemoteRefs(secret, ["refs/heads/*"]).then(
      () => new Error("listed an unreachable remote"),
      (err: unknown) => err as Error,
    );
    expect(e.name).toBe("WorkRemoteUnavailableError");
    expect(e.message).toContain("http://***:***@127.0.0.1:1/work.git");
    expect(e.message).not.toContain("s3cr3t");
    expect(JSON.stringify(e, Object.getOwnPropertyNames(e))).not.toContain("s3cr3t");
  });
});

describe("recreateWorkspace", () => {
  it("rebuilds a removed worktree of a local repository from the work remote, diff and all", async () => {
    const repo = await makeRepo();
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const { pusher } = pusherFor();
    const c1 = await checkpoint(ws, "one.txt", "1\n");
    const c2 = await checkpoint(ws, "two.txt", "2\n");
    pusher.push(job(ws, 1, c1));
    pusher.push(job(ws, 2, c2));
    await pusher.flush();
    const before = await diffWorkspace(ws);
    await rm(ws.path!, { recursive: true, force: true });

    const back = await recreateWorkspace(ws, {
      sessionShortId: SHORT,
      workRemote: remote,
      worktreesDir: dirs.worktreesDir,
    });
    expect(back).toEqual(ws);
    expect(await headCommit(back.path!)).toBe(c2);
    expect(await diffWorkspace(back)).toEqual(before);
    // Idempotent: a second call finds it in place and leaves it alone.
    await writeFile(join(back.path!, "local.txt"), "not committed\n");
    expect(
      await recreateWorkspace(ws, { sessionShortId: SHORT, workRemote: remote, worktreesDir: dirs.worktreesDir }),
    ).toEqual(ws);
    expect(await readFile(join(back.path!, "local.txt"), "utf8")).toBe("not committed\n");
  });

  it("clones into this replica's worktrees dir when the repository is not here, at a chosen checkpoint", async () => {
    const scratch = await prepareWorkspace({ sessionShortId: SHORT, ...dirs });
    const { pusher } = pusherFor();
    const c1 = await checkpoint(scratch, "one.txt", "1\n");
    const c2 = await checkpoint(scratch, "two.txt", "2\n");
    pusher.push(job(scratch, 1, c1));
    pusher.push(job(scratch, 2, c2));
    await pusher.flush();
    await rm(scratch.path!, { recursive: true, force: true });

    const elsewhere = join(root, "replica-b", "worktrees");
    const back = await recreateWorkspace(scratch, {
      sessionShortId: SHORT,
      workRemote: remote,
      worktreesDir: elsewhere,
    });
    expect(back).toMatchObject({
      repository: null,
      directory: null,
      branch: `orchestrator/${SHORT}`,
      baseCommit: scratch.baseCommit,
      path: join(elsewhere, SHORT),
    });
    expect(await headCommit(back.path!)).toBe(c2);
    expect((await diffWorkspace(back)).files.map((f) => f.path).sort()).toEqual(["one.txt", "two.txt"]);

    const atOne = await recreateWorkspace(scratch, {
      sessionShortId: SHORT,
      workRemote: remote,
      worktreesDir: join(root, "replica-c"),
      commit: c1,
    });
    expect(await headCommit(atOne.path!)).toBe(c1);
    expect((await diffWorkspace(atOne)).files.map((f) => f.path)).toEqual(["one.txt"]);
  });

  it("says so when the work remote holds nothing of the session", async () => {
    const scratch = await prepareWorkspace({ sessionShortId: SHORT, ...dirs });
    await expect(
      recreateWorkspace(scratch, { sessionShortId: SHORT, workRemote: remote, worktreesDir: join(root, "b") }),
    ).rejects.toThrow(/holds nothing of session abcd1234/);
    // Nothing half-made is left in the way of the next try (the copy is built beside its folder).
    expect(await readdir(join(root, "b"))).toEqual([]);
  });
});

describe("integration branches", () => {
  it("pushes a task tree's integration branch forward as merges land, never rewinding it", async () => {
    const repo = await makeRepo();
    const integration = await prepareIntegration(repo, "tree0001", "HEAD", join(root, "integration"));
    const pusher = createBranchPusher({ remote, log: () => undefined, backoff: { baseMs: 50, maxMs: 200, jitter: 0 } });
    pushers.push(pusher);
    const ref = "refs/heads/orchestrator/tree-tree0001";
    pusher.push({ ref, commit: await headCommit(integration.path), dirs: [integration.path] });
    expect(await pusher.flush()).toBe(true);

    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const feature = await checkpoint(ws, "feature.txt", "feature\n");
    // The session's commits are in its own clone: its branch comes into the repository, then is merged.
    await fetchSessionBranch(integration.path, {
      path: ws.path,
      branch: `orchestrator/${SHORT}`,
      commit: feature,
      remote: null,
    });
    const merged = await mergeIntoIntegration(integration.path, `orchestrator/${SHORT}`, "Merge task");
    expect(merged.merged).toBe(true);
    const head = await headCommit(integration.path);
    pusher.push({ ref, commit: head, dirs: [integration.path] });
    expect(await pusher.flush()).toBe(true);
    expect((await listWorkRemoteRefs(remote, [ref])).get(ref)).toBe(head);
    expect(await showOnRemote(ref, "feature.txt")).toBe("feature");

    // A late push of the older head is already contained: nothing moves back.
    pusher.push({ ref, commit: integration.baseCommit, dirs: [integration.path] });
    expect(await pusher.flush()).toBe(true);
    expect((await listWorkRemoteRefs(remote, [ref])).get(ref)).toBe(head);
  });

  it("brings a session's branch for a merge from its remote when its folder here is behind, and says so when neither has it", async () => {
    const repo = await makeRepo();
    const integration = await prepareIntegration(repo, "tree0002", "HEAD", join(root, "integration"));
    const ws = await prepareWorkspace({ sessionShortId: SHORT, repository: repo, ...dirs });
    const branch = `orchestrator/${SHORT}`;
    const first = await checkpoint(ws, "a.txt", "a\n");
    const second = await checkpoint(ws, "b.txt", "b\n");
    await git(ws.path!, "push", "--quiet", remote.url, `${second}:refs/heads/${branch}`);
    // This replica's copy is an older one (another replica carried the session on): the remote's is taken.
    await git(ws.path!, "reset", "--quiet", "--hard", first);
    await fetchSessionBranch(integration.path, { path: ws.path, branch, commit: second, remote });
    expect(await git(integration.path, "rev-parse", `refs/heads/${branch}`)).toBe(second);
    const missing = fetchSessionBranch(integration.path, {
      path: null,
      branch: "orchestrator/ffff0000",
      commit: second,
      remote,
    });
    await expect(missing).rejects.toBeInstanceOf(PreconditionError);
    await expect(missing).rejects.toThrow(/neither in the session's folder on this replica nor on its remote/);
  });
});
