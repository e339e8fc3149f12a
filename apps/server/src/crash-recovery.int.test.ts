import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createApiClient } from "@industrial/contracts";
import { bearer, waitFor } from "@industrial/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { allEvents, scripted, waitForStatus } from "./testing/harness";
import { openCrashTestServers, type CrashTestServers } from "./testing/server-process";

let servers: CrashTestServers | null = null;
afterAll(async () => servers?.close());

describe(`crash recovery (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("finishes a session whose server was killed with -9 mid-run, without running it twice", async () => {
    servers = await openCrashTestServers("orch-crash-");
    const first = await servers.start();
    let api = createApiClient({ baseUrl: first.url, headers: bearer() });
    const s = await api.call("createSession", {
      body: {
        prompt: scripted("survive a crash", [
          { tool: "write", input: { filePath: "before.txt", content: "before\n" } },
          { sleep_ms: 5000 },
          { tool: "write", input: { filePath: "after.txt", content: "after\n" } },
          { text: "survived" },
        ]),
        retry: { maxAttempts: 3, backoffBaseSeconds: 0.5 },
      },
    });
    // The first session starts the runner: seconds alone, more beside the rest of the suite.
    await waitForStatus(api, s.id, ["running"], 90_000);
    const ws = await waitFor(
      async () => (await api.call("getSession", { params: { id: s.id } })).workspace.path,
      "workspace",
      { timeoutMs: 90_000 },
    );
    await waitFor(() => existsSync(join(ws, "before.txt")), "before.txt", { timeoutMs: 90_000 });
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    const second = await servers.start();
    api = createApiClient({ baseUrl: second.url, headers: bearer() });
    const done = await waitForStatus(api, s.id, ["completed", "failed"], 120_000);
    expect(done.status).toBe("completed");
    expect(readFileSync(join(ws, "before.txt"), "utf8")).toBe("before\n");
    expect(readFileSync(join(ws, "after.txt"), "utf8")).toBe("after\n");
    const events = await allEvents(api, s.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // Recovered by the restarted process: re-attached to the same attempt, or retried as a new one.
    const attemptEvents = events.flatMap((e) => (e.type === "session.attempt" ? [e.payload] : []));
    expect(attemptEvents.some((a) => a.action === "adopted")).toBe(true);
    const lastAttempt = Math.max(...attemptEvents.map((a) => a.attempt));
    if (lastAttempt === 1) {
      // Re-attached: the OpenCode session carried on, so the first step did not run again.
      const beforeWrites = events.filter(
        (e) => e.type === "session.tool" && e.payload.status === "completed" && e.payload.input?.includes("before.txt"),
      );
      expect(beforeWrites).toHaveLength(1);
    }
    // Never two attempts at once: each attempt's last event precedes the next attempt's start.
    for (let n = 2; n <= lastAttempt; n++) {
      const start = events.find(
        (e) => e.type === "session.attempt" && e.payload.attempt === n && e.payload.action === "started",
      )!;
      expect(events.filter((e) => e.attempt === n - 1).every((e) => e.seq < start.seq)).toBe(true);
    }
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
    expect(second.child.exitCode).toBe(0);
    // Two server starts, two runner starts and a 5 s script: ~20 s alone, up to a minute beside the rest of the suite.
  }, 360_000);
});
