import { mkdirSync, realpathSync, symlinkSync } from "node:fs";
import { basename, join } from "node:path";
import { ApiError, type CreateSessionBody } from "@industrial/contracts";
import {
  createGitRepo,
  createTestDatabase,
  tempDir,
  testBackend,
  waitFor,
  type TestDatabase,
} from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";

// The workspace root holds the data dir, as the default does (the server's folder and its ./.orchestrator).
const root = tempDir("orch-roots-");
const outside = tempDir("orch-outside-");
const laterRoot = tempDir("orch-later-root-");
const dataDir = join(root.path, ".orchestrator");
let db: TestDatabase | null = null;
let h: TestOrchestrator | null = null;

const start = (env: Record<string, string>) => startTestOrchestrator({ dataDir, dbUrl: db?.url ?? null, env });
const createSession = (body: Partial<CreateSessionBody>) =>
  h!.api.call("createSession", { body: { prompt: "hold", start: false, ...body } });
const executeTask = (id: string, repository: string) =>
  h!.api.call("executeTask", { params: { id }, body: { repository } });

/** The call's 400 INVALID_INPUT naming `field`; its error for a closer look. */
async function expectRefused(call: Promise<unknown>, field: string): Promise<ApiError["envelope"]> {
  const e = await call.then(
    (ok) => expect.fail(`expected a 400 naming ${field}, got ${JSON.stringify(ok)}`),
    (err: unknown) => err,
  );
  if (!(e instanceof ApiError)) throw e;
  expect([e.status, e.code], e.message).toEqual([400, "INVALID_INPUT"]);
  expect(e.envelope.details?.map((d) => d.path)).toContain(field);
  return e.envelope;
}

beforeAll(async () => {
  if (testBackend() === "postgres") db = await createTestDatabase("postgres");
  // The root is a repository (a checkout the server was started in); work/ is a plain folder in it.
  createGitRepo(root.path);
  mkdirSync(join(root.path, "work"));
  createGitRepo(outside.path);
  symlinkSync(outside.path, join(root.path, "escape"));
  symlinkSync(join(root.path, "work"), join(root.path, "alias"));
  // No session runs in the first test: the scheduler (and the task executor) stay off.
  h = await start({ ORCHESTRATOR_WORKSPACE_ROOTS: root.path, ORCHESTRATOR_SCHEDULER: "off" });
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  for (const d of [root, outside, laterRoot]) d.remove();
});

describe(`workspace roots (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("admits only paths under the roots, resolved through links, and never the data dir", async () => {
    // Outside the root: 400 naming the field and the allowed roots — before any look at whether it exists.
    for (const directory of [
      outside.path,
      join(outside.path, "missing"),
      join(root.path, "work", "..", "..", basename(outside.path)),
    ]) {
      const e = await expectRefused(createSession({ directory }), "body.directory");
      expect(e.message).toContain(`allowed: ${root.path}`);
      expect(e.message).not.toContain("not an existing directory");
    }
    await expectRefused(createSession({ repository: outside.path }), "body.repository");

    // A link inside the root that points outside is refused, and says where it leads.
    const viaLink = await expectRefused(createSession({ directory: join(root.path, "escape") }), "body.directory");
    expect(viaLink.message).toContain(`resolves to ${realpathSync(outside.path)}`);
    await expectRefused(createSession({ repository: join(root.path, "escape") }), "body.repository");

    // The data dir is inside the root, and refused whatever the roots say.
    for (const directory of [dataDir, join(dataDir, "worktrees"), join(dataDir, "worktrees", "0123abcd")]) {
      const e = await expectRefused(createSession({ directory }), "body.directory");
      expect(e.message).toContain("data directory");
    }
    await expectRefused(createSession({ repository: dataDir }), "body.repository");
    // A directory holding it would be worked in place (committed, cleaned); the same folder as a repository only has worktrees cut from it.
    const holds = await expectRefused(createSession({ directory: root.path }), "body.directory");
    expect(holds.message).toContain("holds the orchestrator's data directory");
    expect((await createSession({ repository: root.path })).workspace.repository).toBe(realpathSync(root.path));

    // Inside the root: created (201), and stored resolved (what was checked is what is used).
    expect((await createSession({ directory: join(root.path, "work") })).status).toBe("pending");
    const aliased = await createSession({ directory: join(root.path, "alias", ".") });
    expect(aliased.workspace.directory).toBe(realpathSync(join(root.path, "work")));

    // Task trees take a repository too.
    const task = await h!.api.call("createTask", { body: { title: "Refused tree" } });
    await expectRefused(executeTask(task.id, outside.path), "body.repository");
    await expectRefused(executeTask(task.id, join(dataDir, "trees")), "body.repository");
  });

  it("a tree executed on a repository the roots no longer admit starts no session: its task fails saying why", async () => {
    const tree = await h!.api.call("createTask", { body: { title: "Narrowed roots" } });
    const leaf = await h!.api.call("createTask", { body: { title: "Leaf", parentTaskId: tree.id } });
    const executed = await h!.api.call("executeTask", { params: { id: tree.id }, body: { repository: root.path } });
    expect(executed.execution?.repository).toBe(realpathSync(root.path));

    // Restarted with roots that no longer hold the repository; the task executor (scheduler on) takes the tree up.
    await h!.close();
    h = await start({ ORCHESTRATOR_WORKSPACE_ROOTS: laterRoot.path });
    const failed = await waitFor(
      async () => {
        const t = await h!.api.call("getTask", { params: { id: leaf.id } });
        return t.status === "failed" ? t : null;
      },
      "the leaf to fail",
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(failed.sessionId).toBeNull();
    expect(JSON.stringify(failed.error)).toContain(`allowed: ${laterRoot.path}`);
    const sessions = await h!.api.call("listSessions", { query: { taskId: leaf.id } });
    expect(sessions.items).toEqual([]);
  });
});
