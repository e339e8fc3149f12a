import { existsSync } from "node:fs";
import { mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseRepositoryLocation, type RepositoryUrl, type Workspace } from "@industrial/core";
import { createTestGitDaemon, freePort, tempDir, type TestGitDaemon } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareSessionWorkspace, workspaceFailure } from "../driver/session-workspace";
import { createWorkRemote, removeWorkspace, runGit, snapshotWorkspace } from "../workspace";
import {
  collectMirrorGarbage,
  createMirrorCache,
  MIRROR_USED_MARKER,
  RepositoryUnreachableError,
  type MirrorCache,
} from ".";

// Real git: a bare repository served by `git daemon` on 127.0.0.1 (its own process group), mirrors in a temp data dir.
const TENANT = "00000000-0000-4000-8000-000000000000";
const OTHER_TENANT = "11111111-1111-4111-8111-111111111111";
const git = async (cwd: string, ...args: string[]) => (await runGit(args, { cwd })).stdout.trim();

function urlOf(value: string): RepositoryUrl {
  const r = parseRepositoryLocation(value);
  if (!r.ok || r.location.kind !== "url") throw new Error(`not a URL: ${value}`);
  return r.location.url;
}

describe("mirror caches of URL repositories (git daemon)", () => {
  const dir = tempDir("orch-mirror-");
  let daemon: TestGitDaemon;
  let origin: string;
  let author: string;
  let url: string;
  const ops: string[] = [];
  let cache: MirrorCache;
  const dirs = {
    worktreesDir: join(dir.path, "data", "worktrees"),
    scratchDir: join(dir.path, "data", "workspaces"),
    selfContained: false,
  };

  /** A commit with `file` on the origin's main, pushed from the author's clone. */
  async function commitOnOrigin(file: string, content: string): Promise<string> {
    await writeFile(join(author, file), content);
    await git(author, "add", "--all");
    await git(author, "commit", "--quiet", "-m", `add ${file}`);
    await git(author, "push", "--quiet", origin, "HEAD:refs/heads/main");
    return git(author, "rev-parse", "HEAD");
  }

  const session = (id: string, repository: string, extra: Partial<Workspace> = {}, tenantId = TENANT) =>
    ({
      id,
      tenantId,
      workspace: {
        repository,
        baseRef: "HEAD",
        baseCommit: null,
        branch: null,
        path: null,
        directory: null,
        pushTo: "origin",
        ...extra,
      },
    }) as never;

  beforeAll(async () => {
    daemon = await createTestGitDaemon(join(dir.path, "served"));
    origin = daemon.initBare("repo.git");
    await git(origin, "symbolic-ref", "HEAD", "refs/heads/main");
    author = join(dir.path, "author");
    await mkdir(author);
    await git(author, "init", "--quiet", "--initial-branch=main");
    await commitOnOrigin("README.md", "# served\n");
    await daemon.start();
    url = daemon.url("repo.git");
    cache = createMirrorCache({
      dir: join(dir.path, "data", "mirrors"),
      remoteFor: (u) => createWorkRemote(u, { timeoutMs: 20_000 }),
      observe: (op, result) => ops.push(`${op}:${result}`),
    });
  });
  afterAll(async () => {
    await daemon?.stop();
    dir.remove();
  });

  it("clones a repository once per tenant, fetches it before the next session cuts its worktree, and names the mirror by the URL's hash", async () => {
    const first = await prepareSessionWorkspace(session("aaaaaaaa-0000-4000-8000-000000000001", url), {
      folders: dirs,
      mirrors: cache,
    });
    const mirror = cache.pathOf(TENANT, urlOf(url));
    expect(first).toMatchObject({
      repository: url,
      baseRef: "HEAD",
      branch: "orchestrator/aaaaaaaa",
      mirror,
      pushTo: "origin",
      directory: null,
    });
    expect(mirror).toMatch(new RegExp(`/mirrors/${TENANT}/[0-9a-f]{32}\\.git$`));
    expect(await readFile(join(first.path!, "README.md"), "utf8")).toBe("# served\n");
    expect(ops).toEqual(["clone:ok"]);
    // The mirror holds the repository's default branch under its own name, and no remote config with the URL.
    expect(await git(mirror, "symbolic-ref", "HEAD")).toBe("refs/heads/main");

    // A second session after the origin moved on: the same mirror, fetched (not cloned again), the new commit as its base.
    const marker = join(mirror, "not-cloned-again");
    await writeFile(marker, "");
    const newer = await commitOnOrigin("two.txt", "2\n");
    const second = await prepareSessionWorkspace(session("bbbbbbbb-0000-4000-8000-000000000002", url), {
      folders: dirs,
      mirrors: cache,
    });
    expect(ops).toEqual(["clone:ok", "fetch:ok"]);
    expect(existsSync(marker)).toBe(true);
    expect(second.baseCommit).toBe(newer);
    expect(existsSync(join(second.path!, "two.txt"))).toBe(true);
    // The first session's clone borrows the mirror's objects: its hold on its base is not touched by the fetch.
    expect(await git(mirror, "rev-parse", "refs/orchestrator/borrowed/aaaaaaaa")).toBe(first.baseCommit);
    expect(await git(mirror, "for-each-ref", "--format=%(refname)", "refs/heads/orchestrator/")).toBe("");

    // Its retry finds its branch: no network needed, nothing reset.
    await writeFile(join(first.path!, "work.txt"), "in progress\n");
    const again = await prepareSessionWorkspace(session("aaaaaaaa-0000-4000-8000-000000000001", url), {
      folders: dirs,
      mirrors: cache,
    });
    expect(again.path).toBe(first.path);
    expect(ops).toEqual(["clone:ok", "fetch:ok"]);
    expect(await readFile(join(first.path!, "work.txt"), "utf8")).toBe("in progress\n");

    // Another tenant has mirrors of its own.
    const other = await prepareSessionWorkspace(
      session("cccccccc-0000-4000-8000-000000000003", url, {}, OTHER_TENANT),
      { folders: dirs, mirrors: cache },
    );
    expect(other.mirror).toBe(cache.pathOf(OTHER_TENANT, urlOf(url)));
    expect(other.mirror).not.toBe(mirror);
    expect(ops.at(-1)).toBe("clone:ok");
  });

  it("lets a session commit checkpoints in its clone while a fetch moves the repository's branches, and keeps the session branches off the mirror", async () => {
    const ws = await prepareSessionWorkspace(session("dddddddd-0000-4000-8000-000000000004", url), {
      folders: dirs,
      mirrors: cache,
    });
    await writeFile(join(ws.path!, "mine.txt"), "agent work\n");
    const snap = await snapshotWorkspace(ws, "checkpoint");
    // The session's branch reaches the origin (as a push to `origin` would put it there) and the origin moves on.
    await git(ws.path!, "push", "--quiet", url, `${snap.commit}:refs/heads/orchestrator/dddddddd`);
    await git(origin, "update-ref", "refs/heads/orchestrator/dddddddd", ws.baseCommit!);
    await commitOnOrigin("three.txt", "3\n");
    await prepareSessionWorkspace(session("eeeeeeee-0000-4000-8000-000000000005", url), {
      folders: dirs,
      mirrors: cache,
    });
    // The fetch brought main, never the origin's copy of the session branch; the session's clone is where it was.
    expect(await git(ws.mirror!, "for-each-ref", "--format=%(refname)", "refs/heads/orchestrator/")).toBe("");
    expect(await git(ws.mirror!, "rev-parse", "refs/orchestrator/borrowed/dddddddd")).toBe(ws.baseCommit);
    expect(await git(ws.path!, "rev-parse", "HEAD")).toBe(snap.commit);
  });

  it("prepares two sessions of one repository at once on one mirror: one clone, then one fetch, both sessions' clones cut", async () => {
    // Spelled with a final slash, the repository gets a mirror of its own (normalised forms differ): a fresh one to race on.
    const url2 = daemon.url("repo.git/");
    const before = ops.length;
    const [a, b] = await Promise.all([
      prepareSessionWorkspace(session("f0000001-0000-4000-8000-000000000006", url2), { folders: dirs, mirrors: cache }),
      prepareSessionWorkspace(session("f0000002-0000-4000-8000-000000000007", url2), { folders: dirs, mirrors: cache }),
    ]);
    expect(a.mirror).toBe(b.mirror);
    // The second waited for the first's clone, then fetched before cutting its own worktree.
    expect(ops.slice(before)).toEqual(["clone:ok", "fetch:ok"]);
    expect(a.baseCommit).toBe(b.baseCommit);
    for (const ws of [a, b])
      expect(await readFile(join(ws.path!, ".git", "objects", "info", "alternates"), "utf8")).toBe(
        `${join(a.mirror!, "objects")}\n`,
      );
    expect(await git(a.mirror!, "for-each-ref", "--format=%(refname)", "refs/orchestrator/borrowed/")).toBe(
      "refs/orchestrator/borrowed/f0000001\nrefs/orchestrator/borrowed/f0000002",
    );
  });

  it("fails an unreachable URL retryable, naming the repository, and never shows credentials", async () => {
    const port = await freePort();
    const down = `git://127.0.0.1:${port}/nothing.git`;
    const error = await prepareSessionWorkspace(session("a1a1a1a1-0000-4000-8000-000000000008", down), {
      folders: dirs,
      mirrors: cache,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryUnreachableError);
    const failure = workspaceFailure(error);
    expect(failure.error).toMatchObject({ code: "REPOSITORY_UNREACHABLE", retryable: true });
    expect(failure.error.message).toContain(`repository ${down} could not be reached`);
    // Nothing half-made is left as a mirror.
    expect(existsSync(cache.pathOf(TENANT, urlOf(down)))).toBe(false);

    // A URL carrying credentials is refused at the API; one reaching the workspace anyway is refused there, masked.
    const secret = `http://user:s3cret-token@127.0.0.1:${port}/nothing.git`;
    const refused = await prepareSessionWorkspace(session("b2b2b2b2-0000-4000-8000-000000000009", secret), {
      folders: dirs,
      mirrors: cache,
    }).catch((e: unknown) => e);
    expect(workspaceFailure(refused).error).toMatchObject({ code: "WORKSPACE_ERROR", retryable: false });
    expect(JSON.stringify(workspaceFailure(refused))).not.toContain("s3cret-token");
    // And the cache handed one directly (say, credentials the operator's git config rewrites in) never shows them in its error.
    const unreachable = await cache
      .withMirror({ tenantId: TENANT, url: { ...urlOf(down), url: secret } }, async () => undefined)
      .catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(RepositoryUnreachableError);
    expect((unreachable as Error).message).toContain("http://***:***@127.0.0.1");
    expect(JSON.stringify(workspaceFailure(unreachable))).not.toContain("s3cret-token");
  });

  it("says which base ref is missing, of the repository (not of the mirror)", async () => {
    const error = await prepareSessionWorkspace(
      session("c3c3c3c3-0000-4000-8000-00000000000a", url, { baseRef: "no-such-branch" }),
      { folders: dirs, mirrors: cache },
    ).catch((e: unknown) => e);
    const failure = workspaceFailure(error);
    expect(failure.error).toMatchObject({ code: "WORKSPACE_ERROR", retryable: false });
    expect(failure.error.message).toContain(`base ref "no-such-branch" is not a branch, tag or commit of ${url}`);
  });

  it("garbage-collects: compacts mirrors in use, removes one unused past the retention with no session's clone left", async () => {
    const mirrorsDir = join(dir.path, "gc-mirrors");
    const gcCache = createMirrorCache({
      dir: mirrorsDir,
      remoteFor: (u) => createWorkRemote(u, { timeoutMs: 20_000 }),
    });
    const gcDirs = { worktreesDir: join(dir.path, "gc-worktrees"), scratchDir: dirs.scratchDir, selfContained: false };
    const used = await prepareSessionWorkspace(session("d4d4d4d4-0000-4000-8000-00000000000b", url), {
      folders: gcDirs,
      mirrors: gcCache,
    });
    const idle = gcCache.pathOf(OTHER_TENANT, urlOf(url));
    await gcCache.withMirror({ tenantId: OTHER_TENANT, url: urlOf(url) }, async () => undefined);
    const longAgo = new Date(Date.now() - 30 * 86_400_000);
    for (const m of [used.mirror!, idle]) await utimes(join(m, MIRROR_USED_MARKER), longAgo, longAgo);
    // A hold whose clone is not there (removed by hand, or a crash before it was made) holds nothing: it goes.
    await git(used.mirror!, "update-ref", "refs/orchestrator/borrowed/e5e5e5e5", used.baseCommit!);
    const logs: string[] = [];
    const round = await collectMirrorGarbage({
      dir: mirrorsDir,
      worktreesDir: gcDirs.worktreesDir,
      retentionDays: 14,
      now: new Date(),
      log: (_l, msg) => logs.push(msg),
    });
    // The idle one goes (and its tenant folder with it); the one a session's clone borrows from stays, however old.
    expect(round).toEqual({ removed: [idle], compacted: [used.mirror] });
    expect(existsSync(idle)).toBe(false);
    expect(existsSync(join(mirrorsDir, OTHER_TENANT))).toBe(false);
    expect(await git(used.path!, "status", "--porcelain")).toBe("");
    expect(await git(used.mirror!, "for-each-ref", "--format=%(refname)", "refs/orchestrator/borrowed/")).toBe(
      "refs/orchestrator/borrowed/d4d4d4d4",
    );
    // Once the clone is removed (and lets go of what it borrowed), it goes too at the next round.
    expect(await removeWorkspace(used)).toEqual({ removed: true });
    expect(
      (
        await collectMirrorGarbage({
          dir: mirrorsDir,
          worktreesDir: gcDirs.worktreesDir,
          retentionDays: 14,
          now: new Date(),
          log: () => undefined,
        })
      ).removed,
    ).toEqual([used.mirror]);
  });
});
