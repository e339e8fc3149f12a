import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { replicaMetric, startReplicaPair, type ReplicaPair } from "./testing/replicas";
import { TestWsClient } from "./testing/ws-client";

let replicas: ReplicaPair;
let a: TestOrchestrator;
let b: TestOrchestrator;

beforeAll(async () => {
  // No tail check within the test: anything another replica did arrives through Redis or not at all.
  replicas = await startReplicaPair({ ORCHESTRATOR_WS_STATS_INTERVAL_MS: "600000" });
  ({ a, b } = replicas);
}, 120_000);

afterAll(async () => {
  await replicas?.close();
});

const transitions = (h: TestOrchestrator) =>
  replicaMetric(h, "orchestrator_session_transitions_total", { from: "running", to: "completed" });

describe("fan-out through Redis between two replicas", () => {
  it("a WebSocket client on one replica sees live what another replica runs: the sessions feed, the session's own room, agent notices", async () => {
    const feed = await TestWsClient.connect(`${b.orc.url}/ws/sessions`);
    const agents = await TestWsClient.connect(`${b.orc.url}/ws/agents`);
    await Promise.all([feed.waitFor("hello"), agents.waitFor("hello")]);

    // Created through B, run by A (B's scheduler is off); held until B's room is open.
    const session = await b.api.call("createSession", {
      body: {
        title: "across replicas",
        prompt: scripted("slowly", [{ sleep_ms: 800 }, { text: "done" }]),
        start: false,
        retry: { maxAttempts: 1 },
      },
    });
    const room = await TestWsClient.connect(`${b.orc.url}/ws/sessions/${session.id}?after=0`);
    await room.waitFor("hello");
    await a.orc.db.query("UPDATE sessions SET held = false WHERE id = $1", [session.id]);
    a.orc.scheduler!.poke();

    const done = await room.waitFor("session.status_changed", (f) => f.payload.to === "completed", {
      timeoutMs: 60_000,
    });
    expect(done.seq).toBeGreaterThan(1);
    // The room holds the whole log, in order, without a gap.
    const seqs = room.seqs();
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const started = room.of("session.attempt")[0]!;
    expect(started.payload.replica).toBe("replica-a");
    await feed.waitFor("session.completed", (f) => f.payload.sessionId === session.id, { timeoutMs: 10_000 });
    expect((await waitForStatus(b.api, session.id, ["completed"], 10_000)).status).toBe("completed");

    // A notice published by A reaches B's agents room.
    const agent = await a.api.call("createAgent", {
      body: { name: `fan-${randomUUID().slice(0, 6)}`, type: "implementer" },
    });
    expect(
      (await agents.waitFor("agent.registered", (f) => f.payload.id === agent.id, { timeoutMs: 10_000 })).payload.name,
    ).toBe(agent.name);

    // Each replica counts only its own transitions: A ran the session, B served it.
    expect(await transitions(a)).toBe(1);
    expect(await transitions(b)).toBe(0);
    for (const c of [feed, agents, room]) await c.close();
  }, 120_000);
});
