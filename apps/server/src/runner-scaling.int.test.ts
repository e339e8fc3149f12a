import { isProcessAlive } from "@industrial/opencode";
import { waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { latestAttemptRunner } from "./testing/latest-attempt";

// Two managed runners at most, a process idle for 2 s is stopped, and a fast
// check loop: the pool grows with two sessions at once and shrinks back after.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({
    env: {
      ORCHESTRATOR_MANAGED_RUNNERS: "2",
      ORCHESTRATOR_RUNNER_IDLE_SECONDS: "2",
      ORCHESTRATOR_RUNNER_CHECK_INTERVAL_MS: "200",
    },
  });
});
afterAll(async () => h?.close());

const runnerOf = (sessionId: string) => latestAttemptRunner(h.orc, sessionId);
const running = () => h.orc.runners.managedProcesses().filter((p) => p.state === "running" && !p.draining);
const slowly = (title: string) =>
  scripted(title, [
    { tool: "write", input: { filePath: `${title}.txt`, content: "x\n" } },
    { sleep_ms: 4000 },
    { text: "done" },
  ]);

describe(`the managed runner count follows the load (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("starts a second process while the first is busy, stops the one left idle after the load went, keeps the last", async () => {
    const a = await h.api.call("createSession", { body: { prompt: slowly("first"), retry: { maxAttempts: 1 } } });
    await waitForStatus(h.api, a.id, ["running"], 60_000);
    const b = await h.api.call("createSession", { body: { prompt: slowly("second"), retry: { maxAttempts: 1 } } });
    await waitForStatus(h.api, b.id, ["running"], 120_000);
    // Both run at once, each on a process of its own: the second was started for it.
    const ra = await waitFor(() => runnerOf(a.id), "the first session's runner", { timeoutMs: 60_000 });
    const rb = await waitFor(() => runnerOf(b.id), "the second session's runner", { timeoutMs: 60_000 });
    expect(ra).not.toBe(rb);
    const pids = h.orc.runners.managedProcesses().map((p) => p.pid!);
    expect(pids).toHaveLength(2);
    for (const s of [a, b])
      expect((await waitForStatus(h.api, s.id, ["completed", "failed"], 120_000)).status).toBe("completed");

    // No session for 2 s: one process is stopped (its row retired), never the last.
    await waitFor(() => running().length === 1 && h.orc.runners.managedProcesses().length === 1, "one process left", {
      timeoutMs: 30_000,
    });
    const stopped = pids.filter((pid) => !h.orc.runners.managedProcesses().some((p) => p.pid === pid));
    expect(stopped).toHaveLength(1);
    await waitFor(() => !isProcessAlive(stopped[0]!), "the stopped process to exit", { timeoutMs: 20_000 });
    const rows = await h.orc.db.query<{ id: string; deleted_at: unknown }>(
      "SELECT id, deleted_at FROM runners WHERE kind = 'managed' AND id = ANY($1)",
      [[ra, rb]],
    );
    expect(rows.filter((r) => r.deleted_at !== null)).toHaveLength(1);
    // Well past the idle time: the last one stays, and serves the next session at once.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(running()).toHaveLength(1);
    const c = await h.api.call("createSession", {
      body: { prompt: scripted("after the load", [{ text: "done" }]), retry: { maxAttempts: 1 } },
    });
    expect((await waitForStatus(h.api, c.id, ["completed", "failed"], 60_000)).status).toBe("completed");
    expect(await runnerOf(c.id)).toBe(running()[0]!.runnerId);
    // Two OpenCode processes start during it, which takes minutes when CI runs other suites beside it.
  }, 300_000);
});
