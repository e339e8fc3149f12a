import { rmSync } from "node:fs";
import { join } from "node:path";
import { sessionShortId } from "@industrial/core";
import { createApiClient } from "@industrial/contracts";
import {
  bearer,
  createTestGitDaemon,
  freePort,
  tempDir,
  waitFor,
  type TestGitDaemon,
  runGit as git,
} from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TENANT_ID } from "./main";
import { expectError, sendJson } from "./testing/http";
import { asOperator, uniqueName } from "./testing/principals";
import { seedServedRepository } from "./testing/git-fixture";
import {
  scripted,
  startTestOrchestrator,
  waitForPushed,
  waitForStatus,
  type TestOrchestrator,
} from "./testing/harness";

// Real git: the repository is served by `git daemon` on 127.0.0.1 (its own process group), real OpenCode, the scripted model.
const WRITE_ONE = (file: string, content: string) => [
  { tool: "write", input: { filePath: file, content } },
  { text: `Wrote ${file}.` },
];

/** The refs of a remote, ref → commit. */
function refsOf(remote: string): Map<string, string> {
  const out = git("/", "ls-remote", remote);
  return new Map(out ? out.split("\n").map((l) => l.split("\t").reverse() as [string, string]) : []);
}

describe(`repositories by URL (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  const dir = tempDir("orch-repo-urls-");
  const work = join(dir.path, "work.git");
  let daemon: TestGitDaemon;
  let origin: string;
  let url: string;
  let h: TestOrchestrator;
  const send = (method: string, path: string, body?: unknown, key?: string) =>
    sendJson(h.orc.url, method, path, body, key);
  /** A session body the API refuses: 400 INVALID_INPUT naming `field`. */
  const refusesSessionBody = (body: unknown, field: string) =>
    expectError(send("POST", "/sessions", body), 400, "INVALID_INPUT", field);

  beforeAll(async () => {
    daemon = await createTestGitDaemon(join(dir.path, "served"));
    origin = seedServedRepository(daemon, "repo.git", { "README.md": "# served over git://\n" }).path;
    await daemon.start();
    url = daemon.url("repo.git");
    git(dir.path, "init", "--quiet", "--bare", work);
    h = await startTestOrchestrator({ env: { ORCHESTRATOR_WORK_REMOTE: work } });
  });
  afterAll(async () => {
    try {
      await h?.close();
    } finally {
      await daemon?.stop();
      dir.remove();
    }
  });

  it("runs a session on a git:// repository and pushes its branch to the repository itself", async () => {
    const s = await h.api.call("createSession", {
      body: {
        title: "by URL",
        prompt: scripted("Write hello", WRITE_ONE("hello.txt", "hello from a URL\n")),
        repository: url,
        retry: { maxAttempts: 1 },
      },
    });
    expect(s.workspace).toMatchObject({ repository: url, baseRef: "HEAD", pushTo: "origin" });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 90_000);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    expect(done.workspace).toMatchObject({
      repository: url,
      branch: `orchestrator/${sessionShortId(s.id)}`,
      pushTo: "origin",
    });

    const cps = await waitForPushed(h.api, s.id, 30_000);
    expect(cps.every((c) => c.gitCommit === null || c.pushed?.remote === url)).toBe(true);
    const short = sessionShortId(s.id);
    const refs = refsOf(origin);
    const head = refs.get(`refs/heads/orchestrator/${short}`);
    expect(head).toBe(cps.filter((c) => c.gitCommit).at(-1)!.gitCommit);
    // The branch holds the agent's file on top of the repository's own.
    expect(git(origin, "show", `${head}:hello.txt`)).toBe("hello from a URL");
    expect(git(origin, "show", `${head}:README.md`)).toBe("# served over git://");
    for (const cp of cps.filter((c) => c.gitCommit))
      expect(refs.get(`refs/orchestrator/checkpoints/${short}/${cp.seq}`)).toBe(cp.gitCommit);
    // Nothing of it went to the work remote.
    expect([...refsOf(work).keys()].filter((r) => r.includes(short))).toEqual([]);

    // Verification looks where the checkpoints went; a manual checkpoint goes there too.
    const v = await h.api.call("verifyCheckpoints", { params: { id: s.id } });
    expect(v.remote).toMatchObject({
      url,
      reachable: true,
      pushed: cps.filter((c) => c.gitCommit).length,
      notYetPushed: [],
      missing: [],
    });
    const manual = await h.api.call("createCheckpoint", { params: { id: s.id }, body: {} });
    await waitForPushed(h.api, s.id, 30_000);
    expect(refsOf(origin).has(`refs/orchestrator/checkpoints/${short}/${manual.seq}`)).toBe(true);
    // A replica without the worktree (here: it was removed) serves the diff from the repository's copy of the branch.
    rmSync(done.workspace.path!, { recursive: true, force: true });
    const diff = await h.api.call("sessionDiff", { params: { id: s.id } });
    expect(diff.files.map((f) => f.path)).toContain("hello.txt");
  });

  it("pushes to the work remote instead with pushTo: work", async () => {
    const s = await h.api.call("createSession", {
      body: {
        title: "to work",
        prompt: scripted("Write two", WRITE_ONE("two.txt", "to the work remote\n")),
        repository: url,
        pushTo: "work",
        retry: { maxAttempts: 1 },
      },
    });
    expect(s.workspace.pushTo).toBe("work");
    const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 90_000);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");
    const cps = await waitForPushed(h.api, s.id, 30_000);
    expect(cps.every((c) => c.gitCommit === null || c.pushed?.remote === work)).toBe(true);
    const short = sessionShortId(s.id);
    const head = refsOf(work).get(`refs/heads/orchestrator/${short}`);
    expect(git(work, "show", `${head}:two.txt`)).toBe("to the work remote");
    expect(refsOf(origin).has(`refs/heads/orchestrator/${short}`)).toBe(false);
  });

  it("refuses, naming body.repository: credentials in the URL, a file:// URL outside the workspace roots; and pushTo origin for a path", async () => {
    const pw = await refusesSessionBody(
      { prompt: "x", repository: "https://user:pw@git.example.com/acme/app.git" },
      "body.repository",
    );
    expect(JSON.stringify(pw)).not.toContain("user:pw");
    await refusesSessionBody(
      { prompt: "x", repository: "https://ghp_secrettoken@github.com/acme/app.git" },
      "body.repository",
    );
    await refusesSessionBody({ prompt: "x", repository: "ftp://host/repo.git" }, "body.repository");
    await refusesSessionBody({ prompt: "x", repository: "https://host/org/%2e%2e/repo.git" }, "body.repository");
    const outside = await refusesSessionBody(
      { prompt: "x", repository: "file:///srv/elsewhere/repo.git" },
      "body.repository",
    );
    expect(outside.message).toContain("outside the workspace roots");
    await refusesSessionBody({ prompt: "x", repository: `file://${h.dataDir}/work-remote.git` }, "body.repository");
    await refusesSessionBody({ prompt: "x", repository: dir.path, pushTo: "origin" }, "body.pushTo");
    // A file:// URL inside the roots is taken, stored with its links resolved.
    const local = await h.api.call("createSession", {
      body: { prompt: "x", repository: `file://${origin}`, start: false },
    });
    expect(local.workspace).toMatchObject({
      repository: `file://${git(origin, "rev-parse", "--absolute-git-dir")}`,
      pushTo: "origin",
    });
  });

  it("lets a tenant use only the network URLs under its prefixes, which its lead sets", async () => {
    expect((await h.api.call("getTenant", { params: { id: DEFAULT_TENANT_ID } })).allowedRepositoryPrefixes).toBeNull();
    const t = await asOperator<{ id: string; allowedRepositoryPrefixes: string[] | null }>(h.orc.url, "createTenant", {
      body: { name: uniqueName("urls") },
    });
    expect(t.allowedRepositoryPrefixes).toEqual([]);
    const key = async (role: string) =>
      (
        await asOperator<{ key: string }>(h.orc.url, "createApiKey", {
          body: { name: uniqueName(role), role, tenantId: t.id },
        })
      ).key;
    const [lead, member] = [await key("lead"), await key("member")];
    const body = { prompt: "x", repository: url, start: false };

    const none = await expectError(send("POST", "/sessions", body, member), 400, "INVALID_INPUT", "body.repository");
    expect(none.message).toContain("allowed repository prefixes");
    await expectError(
      send("PATCH", `/tenants/${t.id}`, { allowedRepositoryPrefixes: [`git://127.0.0.1:${daemon.port}/`] }, member),
      403,
      "FORBIDDEN",
    );
    await expectError(
      send("PATCH", `/tenants/${t.id}`, { allowedRepositoryPrefixes: ["file:///srv/"] }, lead),
      400,
      "INVALID_INPUT",
      "body.allowedRepositoryPrefixes.0",
    );

    const elsewhere = await send(
      "PATCH",
      `/tenants/${t.id}`,
      { allowedRepositoryPrefixes: ["https://github.com/acme/"] },
      lead,
    );
    expect(elsewhere.status).toBe(200);
    const refused = await expectError(send("POST", "/sessions", body, member), 400, "INVALID_INPUT", "body.repository");
    expect(refused.message).toContain("allowed: https://github.com/acme/");

    const set = await send(
      "PATCH",
      `/tenants/${t.id}`,
      { allowedRepositoryPrefixes: ["https://github.com/acme/", `git://127.0.0.1:${daemon.port}/`] },
      lead,
    );
    expect(set.json).toMatchObject({
      allowedRepositoryPrefixes: ["https://github.com/acme/", `git://127.0.0.1:${daemon.port}/`],
    });
    const api = createApiClient({ baseUrl: h.orc.url, headers: bearer(member) });
    const made = await api.call("createSession", { body });
    expect(made.workspace).toMatchObject({ repository: url, pushTo: "origin" });
    // Paths still obey the workspace roots, whatever the prefixes.
    await expectError(
      send("POST", "/sessions", { prompt: "x", repository: "/srv/elsewhere", start: false }, member),
      400,
      "INVALID_INPUT",
      "body.repository",
    );
  });

  it("executes a task tree on a URL repository: its integration branch is cut from the mirror and its leaves merge there", async () => {
    const root = await h.api.call("createTask", { body: { title: "Tree by URL" } });
    await h.api.call("createTask", {
      body: {
        title: "Leaf",
        description: scripted("write leaf", WRITE_ONE("leaf.txt", "from a leaf\n")),
        parentTaskId: root.id,
      },
    });
    await expectError(
      send("POST", `/tasks/${root.id}/execute`, { repository: url, baseRef: "no-such-branch" }),
      400,
      "INVALID_INPUT",
      "body.baseRef",
    );
    const started = await h.api.call("executeTask", { params: { id: root.id }, body: { repository: url } });
    expect(started.execution).toMatchObject({ state: "running", repository: url });
    const done = await waitFor(
      async () => {
        const t = await h.api.call("getTask", { params: { id: root.id } });
        return t.execution?.state === "finished" ? t : null;
      },
      "the tree to finish",
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    expect(done.status).toBe("completed");
    // The integration branch reaches the work remote with the leaf merged over the repository's own files.
    const branch = `refs/heads/${done.execution!.branch}`;
    const merged = () =>
      (refsOf(work).has(branch) && git(work, "ls-tree", "--name-only", branch).split("\n").includes("leaf.txt")) ||
      null;
    await waitFor(async () => merged(), "the merged integration branch on the work remote", { timeoutMs: 20_000 });
    expect(git(work, "show", `${branch}:README.md`)).toBe("# served over git://");
    const unreachable = await expectError(
      send("POST", `/tasks/${(await h.api.call("createTask", { body: { title: "Nowhere" } })).id}/execute`, {
        repository: `git://127.0.0.1:${await freePort()}/gone.git`,
      }),
      503,
      "UNAVAILABLE",
    );
    expect(unreachable.message).toContain("could not be reached");
    // This replica's mirror GC keeps (and compacts) the mirror its worktrees are cut from; no half-made clone is left.
    const round = await h.orc.mirrors.collect();
    expect(round.removed).toEqual([]);
    expect(round.compacted).toEqual([
      expect.stringMatching(new RegExp(`/mirrors/${DEFAULT_TENANT_ID}/[0-9a-f]{32}\\.git$`)),
    ]);
  });

  it("fails a session whose repository cannot be reached, naming it, retryable: the retry policy tries again", async () => {
    const gone = `git://127.0.0.1:${await freePort()}/gone.git`;
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("never runs", [{ text: "x" }]),
        repository: gone,
        retry: { maxAttempts: 2, backoffBaseSeconds: 0 },
      },
    });
    const failed = await waitForStatus(h.api, s.id, ["failed", "completed"], 60_000);
    expect(failed.status).toBe("failed");
    expect(failed.attempt).toBe(2);
    expect(failed.error).toMatchObject({ code: "REPOSITORY_UNREACHABLE", retryable: true });
    expect(failed.error!.message).toContain(`repository ${gone} could not be reached`);
  });
});
