import { existsSync } from "node:fs";
import { join } from "node:path";
import type { ApiClient, CreateAgentBody } from "@industrial/contracts";
import { waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { createAskingAgent } from "./testing/asking-agent";

// Input requests on the real OpenCode binary (docs/input-requests.md): an
// agent whose edits ask waits for a person, whose answer reaches OpenCode
// through the lease holder; nobody answering in time, pause and stop close
// the request; a question's answer lands in its tool's output.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

const agent = (name: string, extra: Partial<CreateAgentBody> = {}) => createAskingAgent(h.api, name, extra);

/** The session's one open request, once the inbox lists it. */
async function openRequest(api: ApiClient, sessionId: string) {
  return waitFor(
    async () => (await api.call("listInbox", { query: { sessionId } })).items[0],
    `an input request of ${sessionId}`,
  );
}

const WRITE_THEN_RUN = [
  { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
  { tool: "bash", input: { command: "echo next-step", description: "next" } },
  { text: "done" },
];

describe(`input requests (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("an edit waits for a person, the session still running and its time limit standing still; approved once, the file is written and the session completes", async () => {
    const a = await agent("asks-approve");
    // A 12 s limit and a 15 s wait: the waiting does not count (the limit leaves the running part room on a slow machine).
    const s = await h.api.call("createSession", {
      body: { prompt: scripted("write a", WRITE_THEN_RUN), preferredAgentId: a.id, maxDurationSeconds: 12 },
    });
    const req = await openRequest(h.api, s.id);
    expect(req).toMatchObject({
      kind: "permission",
      sessionId: s.id,
      sessionTitle: s.title,
      agentId: a.id,
      permission: { name: "edit", patterns: ["a.txt"], diff: expect.stringContaining("+a") },
    });
    // The agent's default inputTimeoutSeconds (900), from when the holder recorded it.
    expect(Math.abs(Date.parse(req.expiresAt!) - Date.parse(req.createdAt) - 900_000)).toBeLessThan(2_000);
    const waiting = await h.api.call("getSession", { params: { id: s.id } });
    expect(waiting.status).toBe("running");
    expect(waiting.pendingInput.map((p) => p.id)).toEqual([req.id]);
    await new Promise((r) => setTimeout(r, 15_000));
    expect((await h.api.call("getSession", { params: { id: s.id } })).status).toBe("running");

    const answered = await h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { reply: "once" } });
    expect(answered).toMatchObject({ id: req.id, status: "answered", reply: { reply: "once" } });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed", "timeout"]);
    expect(done.status).toBe("completed");
    expect(existsSync(join(done.workspace.path!, "a.txt"))).toBe(true);
    expect(done.pendingInput).toEqual([]);
    const events = await allEvents(h.api, s.id);
    expect(events.filter((e) => e.type === "session.input_requested")).toHaveLength(1);
    expect(events.find((e) => e.type === "session.input_replied")?.payload).toMatchObject({
      requestId: req.id,
      kind: "permission",
      outcome: "answered",
      reply: { reply: "once" },
    });
    // Answered once: a second answer is a conflict.
    await expect(
      h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { reply: "reject" } }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it("rejected, no file is written and the agent goes on to its next step", async () => {
    const a = await agent("asks-reject");
    const s = await h.api.call("createSession", {
      body: { prompt: scripted("write a", WRITE_THEN_RUN), preferredAgentId: a.id },
    });
    const req = await openRequest(h.api, s.id);
    await h.api.call("replyInputRequest", {
      params: { requestId: req.id },
      body: { reply: "reject", message: "not that file" },
    });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed", "timeout"]);
    expect(done.status).toBe("completed");
    expect(existsSync(join(done.workspace.path!, "a.txt"))).toBe(false);
    const tools = (await allEvents(h.api, s.id))
      .filter((e) => e.type === "session.tool")
      .map((e) => e.payload as { tool: string; status: string; output: string | null });
    expect(tools.find((t) => t.tool === "write" && t.status === "error")?.output).toContain("not that file");
    expect(tools.find((t) => t.tool === "bash" && t.status === "completed")?.output).toContain("next-step");
  });

  it("unanswered past the agent's inputTimeoutSeconds, the request expires, the agent is told and goes on", async () => {
    const a = await agent("asks-timeout", { inputTimeoutSeconds: 2 });
    const s = await h.api.call("createSession", {
      body: { prompt: scripted("write a", WRITE_THEN_RUN), preferredAgentId: a.id },
    });
    const req = await openRequest(h.api, s.id);
    const done = await waitForStatus(h.api, s.id, ["completed", "failed", "timeout"]);
    expect(done.status).toBe("completed");
    expect(existsSync(join(done.workspace.path!, "a.txt"))).toBe(false);
    const events = await allEvents(h.api, s.id);
    expect(events.find((e) => e.type === "session.input_replied")?.payload).toMatchObject({
      requestId: req.id,
      outcome: "expired",
    });
    const write = events
      .map((e) => e.payload as { tool?: string; status?: string; output?: string })
      .find((p) => p.tool === "write" && p.status === "error");
    expect(write?.output).toContain("Nobody answered this request in time");
    await expect(
      h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { reply: "once" } }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it("stop cancels a waiting request; OpenCode no longer holds it", async () => {
    const a = await agent("asks-stop");
    const s = await h.api.call("createSession", {
      body: { prompt: scripted("write a", WRITE_THEN_RUN), preferredAgentId: a.id },
    });
    const req = await openRequest(h.api, s.id);
    await h.api.call("stopSession", { params: { id: s.id } });
    const done = await waitForStatus(h.api, s.id, ["stopped"]);
    expect(done.pendingInput).toEqual([]);
    expect((await h.api.call("listInbox", { query: { sessionId: s.id } })).items).toEqual([]);
    const events = await allEvents(h.api, s.id);
    expect(events.find((e) => e.type === "session.input_replied")?.payload).toMatchObject({
      requestId: req.id,
      outcome: "cancelled",
    });
    await expect(
      h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { reply: "once" } }),
    ).rejects.toMatchObject({ status: 409 });
    expect(existsSync(join(done.workspace.path!, "a.txt"))).toBe(false);
  });

  it("pause cancels a waiting request; the resumed session goes on and completes", async () => {
    const a = await agent("asks-pause");
    const s = await h.api.call("createSession", {
      body: { prompt: scripted("write a", WRITE_THEN_RUN), preferredAgentId: a.id },
    });
    const req = await openRequest(h.api, s.id);
    await h.api.call("pauseSession", { params: { id: s.id } });
    const paused = await waitForStatus(h.api, s.id, ["paused"]);
    expect(paused.pendingInput).toEqual([]);
    expect((await allEvents(h.api, s.id)).find((e) => e.type === "session.input_replied")?.payload).toMatchObject({
      requestId: req.id,
      outcome: "cancelled",
    });
    await expect(
      h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { reply: "once" } }),
    ).rejects.toMatchObject({ status: 409 });
    await h.api.call("resumeSession", { params: { id: s.id }, body: {} });
    // Whatever the agent asks after resuming is answered at once.
    const done = await waitFor(async () => {
      const now = await h.api.call("getSession", { params: { id: s.id } });
      for (const p of now.pendingInput)
        await h.api
          .call("replyInputRequest", { params: { requestId: p.id }, body: { reply: "once" } })
          .catch(() => undefined);
      return ["completed", "failed", "timeout"].includes(now.status) ? now : null;
    }, "the resumed session to end");
    expect(done.status).toBe("completed");
  });

  it("a question of an agent that allows them: answered through the API, the answer is in the tool's output", async () => {
    const a = await h.api.call("createAgent", {
      body: { name: "asks-question", type: "implementer", allowQuestions: true },
    });
    const question = {
      questions: [
        {
          question: "Which colour?",
          header: "Colour",
          options: [
            { label: "Red", description: "warm" },
            { label: "Blue", description: "cold" },
          ],
        },
      ],
    };
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("ask", [{ tool: "question", input: question }, { text: "done" }]),
        preferredAgentId: a.id,
      },
    });
    const req = await openRequest(h.api, s.id);
    expect(req).toMatchObject({
      kind: "question",
      questions: [{ question: "Which colour?", header: "Colour", multiple: false, custom: true }],
    });
    // One choice only (OpenCode's question tool cannot ask for more), but free text is allowed.
    await expect(
      h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { answers: [["Red", "Blue"]] } }),
    ).rejects.toMatchObject({ status: 400 });
    await h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { answers: [["Blue"]] } });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed", "timeout"]);
    expect(done.status).toBe("completed");
    const tool = (await allEvents(h.api, s.id))
      .map((e) => e.payload as { tool?: string; status?: string; output?: string })
      .find((p) => p.tool === "question" && p.status === "completed");
    expect(tool?.output).toContain('"Which colour?"="Blue"');
  });

  it("a question dismissed: OpenCode ends its turn, the agent is told and goes on to its next step", async () => {
    const a = await h.api.call("createAgent", {
      body: { name: "asks-dismissed", type: "implementer", allowQuestions: true },
    });
    const question = {
      questions: [{ question: "Proceed?", header: "Go", options: [{ label: "Yes", description: "" }] }],
    };
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("ask", [
          { tool: "question", input: question },
          { tool: "bash", input: { command: "echo went-on", description: "on" } },
          { text: "done" },
        ]),
        preferredAgentId: a.id,
      },
    });
    const req = await openRequest(h.api, s.id);
    await h.api.call("replyInputRequest", { params: { requestId: req.id }, body: { reject: true } });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed", "timeout"]);
    expect(done.status).toBe("completed");
    const tools = (await allEvents(h.api, s.id)).map(
      (e) => e.payload as { tool?: string; status?: string; output?: string },
    );
    expect(tools.find((p) => p.tool === "bash" && p.status === "completed")?.output).toContain("went-on");
  });
});
