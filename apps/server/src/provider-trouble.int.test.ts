import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// A provider in trouble, on the real OpenCode binary: the scripted model's
// `scripted-unavailable` answers every call 429 (retry-after 1 s). OpenCode
// retries it; past ORCHESTRATOR_PROVIDER_RETRIES (1 in tests) the attempt
// ends, retryable, as a provider outage.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

describe(`a model whose provider keeps refusing (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("fails the attempt PROVIDER_UNAVAILABLE, retryable, after OpenCode's retries, with the retries in the event log", async () => {
    const agent = await h.api.call("createAgent", {
      body: { name: "rate-limited", type: "implementer", model: "scripted/scripted-unavailable" },
    });
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("never answered", [
          { tool: "write", input: { filePath: "x.txt", content: "x\n" } },
          { text: "done" },
        ]),
        preferredAgentId: agent.id,
        retry: { maxAttempts: 1 },
      },
    });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 120_000);
    expect(done.status).toBe("failed");
    expect(done.agentId).toBe(agent.id);
    expect(done.error).toMatchObject({ code: "PROVIDER_UNAVAILABLE", retryable: true });
    expect(done.error?.message).toContain("429");
    const events = await allEvents(h.api, s.id);
    expect(events.some((e) => e.type === "session.tool")).toBe(false);
    // The session went degraded while OpenCode retried the refused call.
    expect(
      events.some(
        (e) => e.type === "session.status_changed" && JSON.stringify(e.payload).includes("OpenCode retrying"),
      ),
    ).toBe(true);
  }, 180_000);
});
