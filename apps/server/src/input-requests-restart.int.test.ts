import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createApiClient, type ApiClient } from "@industrial/contracts";
import { bearer, waitFor } from "@industrial/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { allEvents, scripted, waitForStatus } from "./testing/harness";
import { openCrashTestServers, type CrashTestServers } from "./testing/server-process";
import { createAskingAgent } from "./testing/asking-agent";

// The orchestrator killed with -9 while a person is asked, and started again
// on the same data dir (docs/input-requests.md §3, Driver): the managed
// runner died with it, so the adopter's turn starts over — the old request is
// closed `cancelled`, the agent asks again, and that request is listed and
// answered exactly once.
let servers: CrashTestServers | null = null;
afterAll(async () => servers?.close());

const openRequests = async (api: ApiClient, sessionId: string) =>
  (await api.call("listInbox", { query: { sessionId } })).items;

describe(`input requests across a crash (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("a request waiting when the server is killed -9 is asked again after the restart, listed once and answered once", async () => {
    servers = await openCrashTestServers("orch-ask-crash-");
    const first = await servers.start();
    let api = createApiClient({ baseUrl: first.url, headers: bearer() });
    const agent = await createAskingAgent(api, "asks-crash");
    const s = await api.call("createSession", {
      body: {
        prompt: scripted("write after a crash", [
          { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
          { text: "done" },
        ]),
        preferredAgentId: agent.id,
      },
    });
    const before = await waitFor(async () => (await openRequests(api, s.id))[0], "the first request", {
      timeoutMs: 90_000,
    });
    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.once("exit", r));

    const second = await servers.start();
    api = createApiClient({ baseUrl: second.url, headers: bearer() });
    // Adopted: the old request is closed, the agent's replayed step asks again.
    const again = await waitFor(
      async () => {
        const open = await openRequests(api, s.id);
        return open.length === 1 && open[0]!.id !== before.id ? open[0] : null;
      },
      "the request asked again",
      { timeoutMs: 120_000 },
    );
    expect(again).toMatchObject({ kind: "permission", permission: { name: "edit", patterns: ["a.txt"] } });
    await expect(
      api.call("replyInputRequest", { params: { requestId: before.id }, body: { reply: "once" } }),
    ).rejects.toMatchObject({ status: 409 });
    await api.call("replyInputRequest", { params: { requestId: again.id }, body: { reply: "once" } });
    await expect(
      api.call("replyInputRequest", { params: { requestId: again.id }, body: { reply: "once" } }),
    ).rejects.toMatchObject({ status: 409 });
    const done = await waitForStatus(api, s.id, ["completed", "failed"], 120_000);
    expect(done.status).toBe("completed");
    expect(readFileSync(join(done.workspace.path!, "a.txt"), "utf8")).toBe("a\n");
    const events = await allEvents(api, s.id);
    const replied = events.flatMap((e) =>
      e.type === "session.input_replied" ? [e.payload as { requestId: string; outcome: string }] : [],
    );
    expect(replied).toEqual([
      expect.objectContaining({ requestId: before.id, outcome: "cancelled" }),
      expect.objectContaining({ requestId: again.id, outcome: "answered" }),
    ]);
    expect(existsSync(join(done.workspace.path!, "a.txt"))).toBe(true);
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
    expect(second.child.exitCode).toBe(0);
  }, 360_000);
});
