import { isSessionsRoomEventType } from "@industrial/contracts";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestGitRepo } from "./testing/git-fixture";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { TestWsClient } from "./testing/ws-client";

let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_WS_STATS_INTERVAL_MS: "200" } });
});
afterAll(async () => h?.close());

async function connect(path: string): Promise<TestWsClient> {
  const c = await TestWsClient.connect(`${h.orc.url}${path}`);
  onTestFinished(async () => void (await c.close()));
  await c.waitFor("hello");
  return c;
}

describe(`a real session over WebSocket (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("is watched live from creation to completed: the frames are the event log, in order, once each", async () => {
    const repo = createTestGitRepo();
    onTestFinished(() => repo.remove());
    const s = await h.api.call("createSession", {
      body: {
        title: "write hello over the wire",
        prompt: scripted("Create hello.txt", [
          { tool: "write", input: { filePath: "hello.txt", content: "hello, glass box\n" } },
          { text: "Wrote hello.txt." },
        ]),
        repository: repo.path,
        baseRef: "main",
        retry: { maxAttempts: 1 },
        start: false,
      },
    });
    const replaying = await connect(`/ws/sessions/${s.id}?after=0`);
    const live = await connect(`/ws/sessions/${s.id}`);
    const feed = await connect("/ws/sessions");
    const agents = await connect("/ws/agents");
    await replaying.waitFor("replayed");

    await h.api.call("startSession", { params: { id: s.id } });
    // Sized for a busy 2-core machine: the managed runner starts on demand.
    expect((await waitForStatus(h.api, s.id, ["completed", "failed"], 150_000)).status).toBe("completed");
    const completed = await replaying.waitFor("session.completed", () => true, { timeoutMs: 5_000 });
    await live.waitFor("session.completed");

    const log = await allEvents(h.api, s.id);
    const seqs = log.map((e) => e.seq);
    const statusFrame = replaying.frames[replaying.frames.indexOf(completed) - 1]!;
    expect(statusFrame.type === "session.status_changed" && statusFrame.payload.to).toBe("completed");
    expect(completed.payload).toMatchObject({ sessionId: s.id, status: "completed", atSeq: statusFrame.seq });

    // Every event of the log, in order, exactly once (the derived session.completed carries no seq).
    await replaying.until(() => (replaying.lastSeq >= seqs.at(-1)! ? true : null), "the last event");
    expect(replaying.seqs()).toEqual(seqs);
    expect(replaying.frames.filter((f) => f.seq !== undefined).map((f) => f.type)).toEqual(log.map((e) => e.type));
    // The live-only client starts after seq 1 (session.created was before it came).
    await live.until(() => (live.lastSeq >= seqs.at(-1)! ? true : null), "the last event");
    expect(live.seqs()).toEqual(seqs.slice(1));
    const statuses = replaying.of("session.status_changed").map((f) => f.payload.to);
    expect(statuses).toEqual(["queued", "running", "completed"]);
    expect(
      replaying.of("session.tool").some((f) => f.payload.tool === "write" && f.payload.status === "completed"),
    ).toBe(true);
    expect(replaying.of("session.file_edited").map((f) => f.payload.path)).toContain("hello.txt");
    expect(replaying.of("session.checkpoint").length).toBeGreaterThanOrEqual(1);

    // The all-sessions feed saw the same run at status level (it joined after session.created): no log line, no tool call.
    const statusLevel = log.filter((e) => e.seq > 1 && isSessionsRoomEventType(e.type)).map((e) => e.seq);
    await feed.until(
      () => (feed.lastSeq >= statusLevel.at(-1)! ? true : null),
      "the last status-level event on /ws/sessions",
    );
    expect(feed.seqs()).toEqual(statusLevel);
    expect(feed.of("session.completed").map((f) => f.payload.sessionId)).toEqual([s.id]);

    // The agent that ran it was seen busy, then free again.
    const agentId = replaying.of("session.attempt")[0]!.payload.agentId!;
    await agents.waitFor("agent.updated", (f) => f.payload.id === agentId && f.payload.running === 1, {
      timeoutMs: 10_000,
    });
    await agents.waitFor("agent.updated", (f) => f.payload.id === agentId && f.payload.running === 0, {
      timeoutMs: 10_000,
    });

    // A late client replays the whole run and says where it ended.
    const late = await connect(`/ws/sessions/${s.id}?after=0`);
    expect((await late.waitFor("replayed")).payload.lastSeq).toBe(seqs.at(-1));
    expect(late.seqs()).toEqual(seqs);
  }, 240_000);
});
