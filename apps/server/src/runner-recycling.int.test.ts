import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "@industrial/opencode";
import { waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { latestAttemptRunner } from "./testing/latest-attempt";

// A memory limit every OpenCode process is over (1 MiB) and a fast check loop:
// the managed runner is recycled as soon as it has served work, while that
// work is still running on it.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({
    env: { ORCHESTRATOR_RUNNER_MAX_RSS_MB: "1", ORCHESTRATOR_RUNNER_CHECK_INTERVAL_MS: "200" },
  });
});
afterAll(async () => h?.close());

const runnerOf = (sessionId: string) => latestAttemptRunner(h.orc, sessionId);

describe(`recycling a managed runner (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("drains a runner over its memory limit while a session runs on it: the session completes there, a new process serves the next one, the old one exits", async () => {
    const a = await h.api.call("createSession", {
      body: {
        prompt: scripted("two files, slowly", [
          { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
          { sleep_ms: 5000 },
          { tool: "write", input: { filePath: "b.txt", content: "b\n" } },
          { text: "both written" },
        ]),
        retry: { maxAttempts: 1 },
      },
    });
    // Mid-run: the first step is done, the second model call is sleeping.
    const ws = await waitFor(
      async () => (await h.api.call("getSession", { params: { id: a.id } })).workspace.path,
      "workspace",
      { timeoutMs: 30_000 },
    );
    await waitFor(() => existsSync(join(ws, "a.txt")), "a.txt", { timeoutMs: 30_000 });
    const firstId = (await runnerOf(a.id))!;
    const first = h.orc.runners.managedProcesses().find((p) => p.runnerId === firstId)!;
    expect(first.pid).not.toBeNull();

    // The loop saw its memory over the limit: it drains (no new work) but keeps serving the running session.
    const draining = await waitFor(
      async () =>
        (await h.api.call("listRunners", { query: { kind: "managed" } })).items.find(
          (r) => r.id === firstId && r.draining,
        ) ?? null,
      "the runner to be draining",
      { timeoutMs: 10_000 },
    );
    expect(draining.sessions).toBe(1);
    expect((await h.api.call("getSession", { params: { id: a.id } })).status).toBe("running");
    expect(isProcessAlive(first.pid!)).toBe(true);
    // Its replacement was started at once.
    await waitFor(
      () => h.orc.runners.managedProcesses().some((p) => p.runnerId !== firstId && p.state === "running"),
      "the replacement process",
      { timeoutMs: 30_000 },
    );

    const doneA = await waitForStatus(h.api, a.id, ["completed", "failed"], 30_000);
    expect(doneA.status).toBe("completed");
    expect(readFileSync(join(ws, "b.txt"), "utf8")).toBe("b\n");
    expect(await runnerOf(a.id)).toBe(firstId);

    // Its last session ended: the old process exits and its row is retired.
    await waitFor(() => !isProcessAlive(first.pid!), "the old process to exit", { timeoutMs: 20_000 });
    await waitFor(
      async () => !(await h.api.call("listRunners", {})).items.some((r) => r.id === firstId),
      "the old runner to leave the list",
      { timeoutMs: 10_000 },
    );
    const [row] = await h.orc.db.query<{ health: string; deleted_at: unknown }>(
      "SELECT health, deleted_at FROM runners WHERE id = $1",
      [firstId],
    );
    expect(row!.health).toBe("stopped");
    expect(row!.deleted_at).not.toBeNull();

    // The next session runs on the new process.
    const b = await h.api.call("createSession", {
      body: { prompt: scripted("one more", [{ text: "done" }]), retry: { maxAttempts: 1 } },
    });
    expect((await waitForStatus(h.api, b.id, ["completed", "failed"], 30_000)).status).toBe("completed");
    const secondId = await runnerOf(b.id);
    expect(secondId).not.toBeNull();
    expect(secondId).not.toBe(firstId);
    const [second] = await h.orc.db.query<{ name: string; kind: string; owner_replica: string }>(
      "SELECT name, kind, owner_replica FROM runners WHERE id = $1",
      [secondId],
    );
    expect(second).toEqual({ name: `managed-${h.orc.replica}-2`, kind: "managed", owner_replica: h.orc.replica });
    // 14 s alone; two OpenCode processes start during it, which takes minutes when CI runs other suites beside it.
  }, 240_000);
});
