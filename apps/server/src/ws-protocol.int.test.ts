import { randomUUID } from "node:crypto";
import { WsCloseCode } from "@industrial/contracts";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { DEFAULT_TENANT_ID } from "./main";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { appendLogEvents, appendTestEvents, TestWsClient } from "./testing/ws-client";
import type { WsAuthenticate } from "./ws/auth";

const OTHER_TENANT = "11111111-1111-4111-8111-111111111111";
/** The seam under test: `good` is the default tenant, `other` another tenant, anything else is refused. */
const authenticate: WsAuthenticate = async ({ token }) => {
  if (token === "good") return { ok: true, principal: { tenantId: DEFAULT_TENANT_ID, role: "viewer" } };
  if (token === "other") return { ok: true, principal: { tenantId: OTHER_TENANT, role: "viewer" } };
  return { ok: false, reason: token ? "unknown API key" : "missing API key" };
};

let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({
    wsAuthenticate: authenticate,
    env: {
      ORCHESTRATOR_SCHEDULER: "off",
      ORCHESTRATOR_WS_PING_INTERVAL_MS: "100",
      ORCHESTRATOR_WS_STATS_INTERVAL_MS: "200",
    },
  });
});
afterAll(async () => h?.close());

async function connect(path: string, options: Parameters<typeof TestWsClient.connect>[1] = {}): Promise<TestWsClient> {
  // No Authorization header: the tokens of this file go through the seam above.
  const c = await TestWsClient.connect(`${h.orc.url}${path}`, { key: null, ...options });
  onTestFinished(async () => void (await c.close()));
  return c;
}

const heldSession = () => h.api.call("createSession", { body: { prompt: "wait for me", start: false } });

describe(`WebSocket protocol (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("says hello first, with the endpoint's room", async () => {
    const s = await heldSession();
    const c = await connect(`/ws/sessions/${s.id}?token=good`);
    const hello = await c.waitFor("hello");
    expect(c.frames[0]).toBe(hello);
    expect(hello.payload).toMatchObject({ rooms: [`session:${s.id}`], heartbeatIntervalMs: 100 });
    expect(hello.payload.clientId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers every bad frame with an error naming the field, and stays open", async () => {
    const c = await connect("/ws/system?token=good");
    await c.waitFor("hello");
    const cases: [unknown, string][] = [
      ["{not json", "(frame)"],
      ["[1, 2]", "(frame)"],
      [{ v: 2, type: "ping", payload: {} }, "v"],
      [{ v: 1, type: "shout", payload: {} }, "type"],
      [{ v: 1, type: "subscribe" }, "payload"],
      [{ v: 1, type: "subscribe", payload: {} }, "payload.room"],
      [{ v: 1, type: "subscribe", payload: { room: "session:nope" } }, "payload.room"],
      [{ v: 1, type: "subscribe", payload: { room: "agents", extra: 1 } }, "payload.extra"],
      [{ v: 1, type: "subscribe", payload: { room: "agents", afterSeq: 3 } }, "payload.afterSeq"],
      [{ v: 1, type: "resume", payload: { afterSeq: -1, room: `session:${randomUUID()}` } }, "payload.afterSeq"],
      [{ v: 1, type: "resume", payload: { afterSeq: 3 } }, "payload.room"],
      [{ v: 1, type: "ping", payload: {}, junk: true }, "junk"],
    ];
    for (const [sent, field] of cases) {
      const from = c.frames.length;
      c.send(sent);
      const error = await c.waitFor("error", () => true, { from });
      expect(error.payload.code, JSON.stringify(sent)).toBe("INVALID_INPUT");
      expect(error.payload.message.startsWith(`${field}: `), `${JSON.stringify(sent)} → ${error.payload.message}`).toBe(
        true,
      );
      expect(error.payload.details?.map((d) => d.path)).toContain(field);
    }
    let from = c.frames.length;
    c.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await c.waitFor("error", () => true, { from })).payload.details).toEqual([
      { path: "(frame)", reason: "binary frame" },
    ]);

    // A room that does not exist in the tenant: NOT_FOUND, and the connection carries on.
    from = c.frames.length;
    c.send({ v: 1, type: "subscribe", payload: { room: `session:${randomUUID()}` } });
    expect((await c.waitFor("error", () => true, { from })).payload.code).toBe("NOT_FOUND");
    from = c.frames.length;
    c.send({ v: 1, type: "ping", ts: new Date().toISOString(), payload: {} });
    await c.waitFor("heartbeat", () => true, { from });
    expect(c.socket.readyState).toBe(c.socket.OPEN);
  });

  it("closes a connection whose path or query is invalid (4400) or whose own room is not found (4404)", async () => {
    for (const [path, field] of [
      ["/ws/sessions/not-a-uuid?token=good", "params.id"],
      [`/ws/sessions/${randomUUID()}?token=good&after=x`, "query.after"],
      ["/ws/agents?token=good&after=3", "query.after"],
      ["/ws/system?token=good&colour=red", "query.colour"],
    ] as const) {
      const c = await connect(path);
      const closed = await c.closed;
      expect(closed.code, path).toBe(WsCloseCode.BAD_REQUEST);
      expect(c.of("error")[0]!.payload.details?.map((d) => d.path)).toContain(field);
    }
    const c = await connect(`/ws/sessions/${randomUUID()}?token=good`);
    expect((await c.closed).code).toBe(WsCloseCode.NOT_FOUND);
    expect(c.of("error")[0]!.payload.code).toBe("NOT_FOUND");
  });

  it("passes ?token= and the bearer subprotocol to the seam; a refusal closes with 1008; another tenant's session is not found", async () => {
    for (const path of ["/ws/system", "/ws/system?token=bad"]) {
      const c = await connect(path);
      expect((await c.closed).code, path).toBe(1008);
      expect(c.frames.map((f) => f.type)).toEqual(["error"]);
      expect(c.of("error")[0]!.payload.code).toBe("UNAUTHENTICATED");
    }
    const byProtocol = await connect("/ws/system", { protocols: ["orchestrator.v1", "bearer.good"] });
    await byProtocol.waitFor("hello");
    expect(byProtocol.socket.protocol).toBe("orchestrator.v1");
    expect(h.orc.ws.counters.refused).toBeGreaterThanOrEqual(2);

    const s = await heldSession();
    const stranger = await connect(`/ws/sessions/${s.id}?token=other`);
    expect((await stranger.closed).code).toBe(WsCloseCode.NOT_FOUND);
  });

  it("replays from ?after=, then says replayed; resume replays again from its afterSeq", async () => {
    const s = await heldSession();
    await appendLogEvents(h.orc, s.id, ["a", "b", "c", "d"]);
    const c = await connect(`/ws/sessions/${s.id}?token=good&after=2`);
    const replayed = await c.waitFor("replayed");
    expect(replayed.payload).toEqual({ room: `session:${s.id}`, afterSeq: 2, lastSeq: 5 });
    expect(c.seqs()).toEqual([3, 4, 5]);
    // Heartbeats come on the ping timer (100 ms here) and may fall anywhere; the stream itself opens with the replay.
    expect(
      c.frames
        .map((f) => f.type)
        .filter((t) => t !== "heartbeat")
        .slice(0, 2),
    ).toEqual(["hello", "session.log"]);
    const log = c.of("session.log")[0]!;
    expect(log.payload).toMatchObject({ sessionId: s.id, text: "b", attempt: null });

    await appendLogEvents(h.orc, s.id, ["e"]);
    await c.until(() => (c.seqs().at(-1) === 6 ? true : null), "live seq 6");
    const from = c.frames.length;
    c.send({ v: 1, type: "resume", payload: { afterSeq: 4 } });
    await c.waitFor("replayed", () => true, { from });
    expect(c.seqs()).toEqual([3, 4, 5, 6, 5, 6]);
  });

  it("a publish that never comes is read from the log at the next stats tick", async () => {
    const s = await heldSession();
    const c = await connect(`/ws/sessions/${s.id}?token=good`);
    await c.waitFor("hello");
    await appendLogEvents(h.orc, s.id, ["lost 1", "lost 2"], () => undefined);
    await c.until(() => (c.lastSeq === 3 ? true : null), "seqs 2 and 3 from the log", 5000);
    expect(c.seqs()).toEqual([2, 3]);
  });

  it("rooms: subscribe and unsubscribe; agents, sessions and system rooms hear what happens", async () => {
    const c = await connect("/ws/system?token=good");
    await c.waitFor("hello");
    const stats = await c.waitFor("system.stats");
    expect(stats.payload.connections).toBeGreaterThanOrEqual(1);
    expect((await c.waitFor("system.health")).payload.components.database?.status).toBe("up");

    c.send({ v: 1, type: "subscribe", payload: { room: "agents" } });
    c.send({ v: 1, type: "subscribe", payload: { room: "sessions" } });
    expect((await c.waitFor("subscribed", (f) => f.payload.room === "sessions")).payload.rooms).toEqual([
      "system",
      "agents",
      "sessions",
    ]);

    const agent = await h.api.call("createAgent", {
      body: { name: `ws-${randomUUID().slice(0, 8)}`, type: "implementer" },
    });
    expect((await c.waitFor("agent.registered", (f) => f.payload.id === agent.id)).payload.name).toBe(agent.name);
    await h.api.call("patchAgent", { params: { id: agent.id }, body: { maxConcurrent: 7 } });
    await c.waitFor("agent.updated", (f) => f.payload.id === agent.id && f.payload.maxConcurrent === 7);
    await h.api.call("deleteAgent", { params: { id: agent.id }, query: {} });
    await c.waitFor("agent.removed", (f) => f.payload.id === agent.id);

    const s = await heldSession();
    const created = await c.waitFor("session.created", (f) => f.payload.sessionId === s.id);
    expect(created.seq).toBe(1);

    c.send({ v: 1, type: "unsubscribe", payload: { room: "agents" } });
    expect((await c.waitFor("unsubscribed")).payload.rooms).toEqual(["system", "sessions"]);
    const quiet = await h.api.call("createAgent", {
      body: { name: `ws-${randomUUID().slice(0, 8)}`, type: "implementer" },
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(c.of("agent.registered").some((f) => f.payload.id === quiet.id)).toBe(false);

    // Another tenant hears nothing of this one.
    const stranger = await connect("/ws/sessions?token=other");
    await stranger.waitFor("hello");
    await heldSession();
    await new Promise((r) => setTimeout(r, 300));
    expect(stranger.of("session.created")).toEqual([]);
  });

  it("inbox room: a viewer on /ws/system hears requests open and close, derived from the session's input events; another tenant hears nothing", async () => {
    const c = await connect("/ws/system?token=good");
    await c.waitFor("hello");
    c.send({ v: 1, type: "subscribe", payload: { room: "inbox" } });
    expect((await c.waitFor("subscribed", (f) => f.payload.room === "inbox")).payload.rooms).toEqual([
      "system",
      "inbox",
    ]);
    const stranger = await connect("/ws/system?token=other");
    await stranger.waitFor("hello");
    stranger.send({ v: 1, type: "subscribe", payload: { room: "inbox" } });
    await stranger.waitFor("subscribed");

    const s = await heldSession();
    const item = {
      id: randomUUID(),
      openCodeRequestId: "per_ws_1",
      kind: "permission" as const,
      sessionId: s.id,
      sessionTitle: s.title,
      agentId: randomUUID(),
      createdAt: new Date().toISOString(),
      expiresAt: null,
      permission: { name: "bash", patterns: ["rm -rf build"], command: "rm -rf build" },
    };
    const actor = { actor: "key:k1", keyId: "k1", userId: null };
    const [asked, replied] = await appendTestEvents(h.orc, s.id, [
      { type: "session.input_requested", payload: item },
      {
        type: "session.input_replied",
        payload: {
          requestId: item.id,
          kind: "permission",
          outcome: "rejected",
          actor,
          reply: { reply: "reject", message: "not that" },
        },
      },
    ]);
    const created = await c.waitFor("inbox.request_created", (f) => f.payload.id === item.id);
    expect(created.payload).toEqual({ ...item, atSeq: asked!.seq });
    const resolved = await c.waitFor("inbox.request_resolved", (f) => f.payload.id === item.id);
    expect(resolved.payload).toEqual({
      id: item.id,
      sessionId: s.id,
      kind: "permission",
      status: "rejected",
      reply: { reply: "reject", message: "not that" },
      answeredBy: actor,
      resolvedAt: replied!.ts,
      atSeq: replied!.seq,
    });
    // The room carries only the inbox frames, not the session events themselves.
    expect(c.frames.some((f) => f.type === "session.input_requested")).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(stranger.frames.filter((f) => f.type.startsWith("inbox."))).toEqual([]);
  });

  it("task rooms: a tree's room hears its subtasks created, their progress and status changes", async () => {
    const root = await h.api.call("createTask", {
      body: { title: "ship the glass box", description: "websocket and dashboard" },
    });
    const c = await connect(`/ws/tasks/${root.id}?token=good`);
    await c.waitFor("hello");
    const plan = await h.api.call("decomposeTask", { params: { id: root.id }, body: { template: "crud" } });
    for (const t of plan.tasks) await c.waitFor("task.created", (f) => f.payload.id === t.id);
    await c.waitFor(
      "task.progress",
      (f) =>
        f.payload.taskId === root.id &&
        f.payload.total === plan.tasks.filter((t) => !plan.tasks.some((x) => x.parentTaskId === t.id)).length,
    );
    await h.api.call("cancelTask", { params: { id: root.id } });
    for (const t of plan.tasks)
      await c.waitFor("task.status_changed", (f) => f.payload.taskId === t.id && f.payload.to === "cancelled");
    expect(c.of("task.status_changed").find((f) => f.payload.taskId === root.id)?.payload).toMatchObject({
      from: "pending",
      to: "cancelled",
      rootTaskId: root.id,
    });
  });

  it("drops a client that stops answering pings (two missed), keeps one that answers", async () => {
    const evictedBefore = h.orc.ws.counters.evicted;
    const deaf = await connect("/ws/system?token=good", { autoPong: false });
    const alive = await connect("/ws/system?token=good");
    await deaf.waitFor("hello");
    const t0 = Date.now();
    const closed = await deaf.closed;
    expect(closed.code).toBe(1006); // cut, no close frame
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(h.orc.ws.counters.evicted).toBe(evictedBefore + 1);
    // The one that answers outlives several more ping periods.
    const beats = alive.of("heartbeat").length;
    await alive.until(() => (alive.of("heartbeat").length >= beats + 3 ? true : null), "three more heartbeats", 5000);
    expect(alive.socket.readyState).toBe(alive.socket.OPEN);
  });
});
