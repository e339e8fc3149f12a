import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@industrial/opencode";
import { waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// A managed `opencode serve` killed under a running session (found by the chaos
// suite: the attempt kept talking to the dead process's port and hung `degraded`
// for as long as its replica lived). The replica restarts the process on the same
// OpenCode store; the attempt re-attaches there and carries its turn on.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

/** Once `file` is in the session's folder, kills the managed runner as an OOM kill does (its whole process group, at once); returns the folder. */
async function killRunnerOnceThere(id: string, file: string): Promise<string> {
  const ws = await waitFor(
    async () => (await h.api.call("getSession", { params: { id } })).workspace.path,
    "workspace",
    { timeoutMs: 30_000 },
  );
  await waitFor(() => existsSync(join(ws, file)), file, { timeoutMs: 30_000 });
  const [runner] = h.orc.runners.managedProcesses();
  expect(runner?.pid).toBeTruthy();
  process.kill(-runner!.pid!, "SIGKILL");
  await waitFor(() => !isProcessAlive(runner!.pid!), "the runner to die");
  return ws;
}

describe("a managed runner killed under a running session", () => {
  it("the attempt follows the restarted process and completes: one attempt, every file, nothing counted against maxAttempts", async () => {
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("two files, the runner dies between them", [
          { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
          { sleep_ms: 4000 },
          { tool: "write", input: { filePath: "b.txt", content: "b\n" } },
          { text: "both written" },
        ]),
        retry: { maxAttempts: 1 },
      },
    });
    const ws = await killRunnerOnceThere(s.id, "a.txt");

    const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 60_000);
    expect(done.status, done.statusReason ?? "").toBe("completed");
    expect(readFileSync(join(ws, "b.txt"), "utf8")).toBe("b\n");
    const attempts = await h.orc.db.query<{ number: number }>("SELECT number FROM attempts WHERE session_id = $1", [
      s.id,
    ]);
    expect(attempts).toHaveLength(1);
    const events = await allEvents(h.api, s.id);
    const texts = events.flatMap((e) => (e.type === "session.log" ? [e.payload.text] : []));
    expect(texts.some((t) => t.includes("runner's process died under this attempt and was restarted"))).toBe(true);
    // Degraded while the process was away, running again once re-attached.
    const statuses = events.flatMap((e) => (e.type === "session.status_changed" ? [e.payload.to] : []));
    expect(statuses).toEqual(expect.arrayContaining(["degraded", "running", "completed"]));
  }, 120_000);

  it("a tool call cut off by the runner's death is played again after the re-attach (as a model would try it again)", async () => {
    // Each run of the command leaves a line; the first one then waits long enough to be killed mid-call.
    const command = "echo run >> runs.txt; test -f started || { touch started; sleep 60; }";
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("a command cut off by the runner's death", [
          { tool: "bash", input: { command, description: "run once, then wait" } },
          { tool: "write", input: { filePath: "after.txt", content: "after\n" } },
          { text: "done" },
        ]),
        retry: { maxAttempts: 1 },
      },
    });
    const ws = await killRunnerOnceThere(s.id, "started");

    const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 90_000);
    expect(done.status, done.statusReason ?? "").toBe("completed");
    expect(readFileSync(join(ws, "runs.txt"), "utf8")).toBe("run\nrun\n");
    expect(readFileSync(join(ws, "after.txt"), "utf8")).toBe("after\n");
  }, 150_000);
});
