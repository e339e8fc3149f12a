import { execFileSync } from "node:child_process";
import type { ApiClient, TaskView } from "@industrial/contracts";
import { createTestDatabase, tempDir, testBackend, waitFor, type TestDatabase } from "@industrial/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

const dataDir = tempDir("orch-tasks-restart-");
let db: TestDatabase | null = null;
let h: TestOrchestrator | null = null;
afterAll(async () => {
  await h?.close();
  await db?.drop();
  dataDir.remove();
});

const start = async () => startTestOrchestrator({ dataDir: dataDir.path, dbUrl: db?.url ?? null });
const waitForState = (api: ApiClient, id: string, state: string) =>
  waitFor(
    async () => {
      const t = await api.call("getTask", { params: { id } });
      return t.execution?.state === state ? t : null;
    },
    `task ${id} execution ${state}`,
    { timeoutMs: 120_000, intervalMs: 250 },
  );

describe(`task trees across a restart (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("a restarted orchestrator carries a tree on without losing or repeating a task; cancel stops what runs", async () => {
    if (testBackend() === "postgres") db = await createTestDatabase("postgres");
    h = await start();
    const root = await h.api.call("createTask", { body: { title: "Survive a restart" } });
    const leaf = (title: string, steps: unknown[]) =>
      h!.api.call("createTask", { body: { title, description: scripted(title, steps), parentTaskId: root.id } });
    const first = await leaf("First", [
      { sleep_ms: 4000 },
      { tool: "write", input: { filePath: "first.txt", content: "first\n" } },
      { text: "first done" },
    ]);
    const second = await leaf("Second", [
      { tool: "write", input: { filePath: "second.txt", content: "second\n" } },
      { text: "second done" },
    ]);
    await h.api.call("addDependency", { params: { id: second.id }, body: { dependsOnTaskId: first.id } });
    await h.api.call("executeTask", { params: { id: root.id } });
    const running = await waitFor(
      async () => (await h!.api.call("getTask", { params: { id: first.id } })).sessionId,
      "the first task's session",
    );
    await waitForStatus(h.api, running, ["running"], 60_000);

    // A graceful stop mid-tree (the session's lease is handed back), then a new process on the same storage.
    await h.orc.stop();
    h = await start();
    const done: TaskView = await waitForState(h.api, root.id, "finished");
    expect(done.status).toBe("completed");
    const tree = await h.api.call("taskTree", { params: { id: root.id } });
    expect(tree.root.children.map((t) => t.status)).toEqual(["completed", "completed"]);
    // One session per task: nothing was started twice.
    const sessions = await h.api.call("listSessions", { query: { tag: "task", limit: 50 } });
    const forTree = sessions.items.filter((s) => s.taskId === first.id || s.taskId === second.id);
    expect(forTree.map((s) => s.taskId).sort()).toEqual([first.id, second.id].sort());
    const { repository, branch } = done.execution!;
    expect(execFileSync("git", ["-C", repository, "show", `${branch}:first.txt`], { encoding: "utf8" })).toBe(
      "first\n",
    );
    expect(execFileSync("git", ["-C", repository, "show", `${branch}:second.txt`], { encoding: "utf8" })).toBe(
      "second\n",
    );
    const merges = execFileSync("git", ["-C", repository, "log", "--merges", "--oneline", branch], { encoding: "utf8" })
      .trim()
      .split("\n");
    expect(merges).toHaveLength(2);

    // Cancel: the running session stops, the waiting task is cancelled, the execution ends cancelled.
    const other = await h.api.call("createTask", { body: { title: "Cancel me" } });
    const slow = await h.api.call("createTask", {
      body: {
        title: "Slow",
        description: scripted("slow", [{ sleep_ms: 30_000 }, { text: "never" }]),
        parentTaskId: other.id,
      },
    });
    const after = await h.api.call("createTask", { body: { title: "After", parentTaskId: other.id } });
    await h.api.call("addDependency", { params: { id: after.id }, body: { dependsOnTaskId: slow.id } });
    await h.api.call("executeTask", { params: { id: other.id } });
    const slowSession = await waitFor(
      async () => (await h!.api.call("getTask", { params: { id: slow.id } })).sessionId,
      "the slow task's session",
    );
    await waitForStatus(h.api, slowSession, ["running"], 60_000);
    const cancelled = await h.api.call("cancelTask", { params: { id: other.id } });
    expect(cancelled.stoppedSessions).toEqual([slowSession]);
    expect(cancelled.task).toMatchObject({ status: "cancelled", execution: { state: "cancelled" } });
    expect((await waitForStatus(h.api, slowSession, ["stopped"], 20_000)).status).toBe("stopped");
    expect((await h.api.call("getTask", { params: { id: after.id } })).status).toBe("cancelled");
  }, 240_000);
});
