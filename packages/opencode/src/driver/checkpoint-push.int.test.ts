import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Workspace } from "@industrial/core";
import { tempDir } from "@industrial/testkit";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCheckpointPusher, type CheckpointPusher } from "../work-remote";
import {
  createWorkRemote,
  listWorkRemoteRefs,
  prepareWorkspace,
  runGit,
  snapshotWorkspace,
  type WorkRemote,
} from "../workspace";
import { landCheckpoints } from "./checkpoint-push";

// Real git: a bare repository as the work remote whose pre-receive hook refuses pushes while a marker file exists.
let dir: { path: string; remove(): void };
let root: string;
let remote: WorkRemote;
let ws: Workspace;
const pushers: CheckpointPusher[] = [];
const refusing = () => join(root, "refusing");
const BRANCH = "refs/heads/orchestrator/beef0001";
const branchOnRemote = async () => (await listWorkRemoteRefs(remote, [BRANCH])).get(BRANCH);

beforeEach(async () => {
  dir = tempDir("land-checkpoints-");
  root = dir.path;
  await mkdir(join(root, "remote.git"));
  await runGit(["init", "--quiet", "--bare"], { cwd: join(root, "remote.git") });
  await writeFile(
    join(root, "remote.git", "hooks", "pre-receive"),
    `#!/bin/sh\n[ -e '${refusing()}' ] && exit 1\nexit 0\n`,
    { mode: 0o755 },
  );
  remote = createWorkRemote(join(root, "remote.git"));
  ws = await prepareWorkspace({
    sessionShortId: "beef0001",
    worktreesDir: join(root, "worktrees"),
    scratchDir: join(root, "scratch"),
  });
});
afterEach(async () => {
  await Promise.all(pushers.splice(0).map((p) => p.stop()));
  dir.remove();
});

/** The background retry waits a minute unless told otherwise: what lands in a test, the test made land. */
function pusherFor(r: WorkRemote = remote, baseMs = 60_000) {
  let stale = 0;
  const pusher = createCheckpointPusher({
    remote: r,
    recordPushed: async () => undefined,
    staleWrite: () => stale++,
    log: () => undefined,
    backoff: { baseMs, maxMs: baseMs, jitter: 0 },
  });
  pushers.push(pusher);
  return { pusher, stale: () => stale };
}

/** A checkpoint of the scratch workspace (a file written, committed) queued on `pusher` by writer 1. */
async function queueCheckpoint(pusher: CheckpointPusher, seq: number, lost: string[] = []): Promise<string> {
  await writeFile(join(ws.path!, `f${seq}.txt`), `${seq}\n`);
  const { commit } = await snapshotWorkspace(ws, `step ${seq}`);
  const history = { commits: [], lastPushedCommit: null };
  pusher.push({
    tenantId: "t",
    sessionId: "s",
    shortId: "beef0001",
    dirs: [ws.path!],
    seq,
    commit,
    fencingToken: 1,
    history,
    onLeaseLost: (r) => lost.push(r),
  });
  return commit;
}

describe("landCheckpoints (the wait before a session's outcome)", () => {
  it("tries again while the remote refuses, and answers true once the checkpoints landed", async () => {
    const { pusher } = pusherFor();
    await writeFile(refusing(), "");
    const commit = await queueCheckpoint(pusher, 1);
    setTimeout(() => void rm(refusing()), 600);
    expect(await landCheckpoints(pusher, "s", 10_000, 200)).toBe(true);
    expect(await branchOnRemote()).toBe(commit);
  });

  it("gives up after its wait when the remote keeps refusing, or at once when told to stop, leaving the checkpoint pending", async () => {
    const { pusher } = pusherFor();
    await writeFile(refusing(), "");
    await queueCheckpoint(pusher, 1);
    const started = Date.now();
    expect(await landCheckpoints(pusher, "s", 1000, 200)).toBe(false);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await landCheckpoints(pusher, "s", 60_000, 200, () => true)).toBe(false);
    expect(Date.now() - started).toBeLessThan(6000);
    expect(pusher.pending("s")).toEqual([1]);
  });

  it("answers true at once for a session with nothing pending", async () => {
    expect(await landCheckpoints(pusherFor().pusher, "nothing", 1000)).toBe(true);
  });
});

describe("the branch lease and pushes whose answer never came", () => {
  it("takes a push of its own that landed unseen (the answer never came) for what it is, not for a lost lease", async () => {
    // The remote takes the refs, then its hook keeps the answer back past the pusher's timeout.
    const hook = join(remote.url, "hooks", "post-receive");
    const answered = join(root, "hook-done");
    await writeFile(hook, `#!/bin/sh\nsleep 2\ntouch '${answered}'\n`, { mode: 0o755 });
    const { pusher, stale } = pusherFor(createWorkRemote(remote.url, { timeoutMs: 700 }));
    const lost: string[] = [];
    const c1 = await queueCheckpoint(pusher, 1, lost);
    expect(await pusher.flush()).toBe(false);
    expect(await branchOnRemote()).toBe(c1);
    for (
      let i = 0;
      i < 100 &&
      !(await readFile(answered).then(
        () => true,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    await rm(hook);
    // The next checkpoint comes before the pusher looks again.
    const c2 = await queueCheckpoint(pusher, 2, lost);
    expect(await pusher.flush()).toBe(true);
    expect(lost).toEqual([]);
    expect(stale()).toBe(0);
    expect(await branchOnRemote()).toBe(c2);
  });

  it("never pushes over a branch moved back to one of its own commits that had landed (a restore made elsewhere)", async () => {
    const { pusher, stale } = pusherFor(remote, 50);
    const lost: string[] = [];
    const c1 = await queueCheckpoint(pusher, 1, lost);
    await pusher.flush();
    await queueCheckpoint(pusher, 2, lost);
    await pusher.flush();
    await runGit(["update-ref", BRANCH, c1], { cwd: remote.url });
    await queueCheckpoint(pusher, 3, lost);
    await pusher.flush();
    expect(lost).toHaveLength(1);
    expect(stale()).toBe(1);
    expect(await branchOnRemote()).toBe(c1);
  });
});
