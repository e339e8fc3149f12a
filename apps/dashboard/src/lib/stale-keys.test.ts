import { SESSIONS_ROOM_EVENT_TYPES, type AgentView, type WsServerMessage } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import { qk } from "./query-keys";
import { agentRoomKeysOf, staleKeysOf, taskRoomKeysOf } from "./stale-keys";

const S = "11111111-1111-4111-8111-111111111111";
const T = "22222222-2222-4222-8222-222222222222";
const f = (type: string, payload: Record<string, unknown>) =>
  ({ v: 1, type, ts: "2026-01-01T00:00:00Z", seq: 3, payload }) as unknown as WsServerMessage;
const hasCounter = (key: readonly unknown[]) => key.some((k) => typeof k === "number");

describe("what the app's feed makes stale", () => {
  it("a session's status-level frames refresh lists and the session's row exactly, never its diff, checkpoints or tree", () => {
    for (const type of [...SESSIONS_ROOM_EVENT_TYPES, "session.completed", "session.failed"]) {
      const targets = staleKeysOf(f(type, { sessionId: S, attempt: 1 }));
      expect(targets.length, type).toBeGreaterThan(0);
      for (const t of targets) {
        expect(hasCounter(t.queryKey), type).toBe(false);
        // ["session", id] as a prefix would refetch the diff (`git diff`) on every token count.
        if (t.queryKey[0] === "session") expect(t, type).toEqual({ queryKey: qk.session(S), exact: true });
      }
    }
  });

  it("log lines and tool calls, were they to arrive, mark nothing", () => {
    for (const type of ["session.log", "session.tool", "session.file_edited", "heartbeat", "hello"])
      expect(staleKeysOf(f(type, { sessionId: S }))).toEqual([]);
  });

  it("task frames mark the lists and the root's tree, agent frames the lists: detail pages follow their own rooms", () => {
    expect(staleKeysOf(f("task.progress", { taskId: T, rootTaskId: S, done: 1, total: 2, percent: 50 }))).toEqual([
      { queryKey: ["tasks"] },
      { queryKey: qk.taskTree(S), exact: true },
    ]);
    expect(staleKeysOf(f("agent.updated", { id: T }))).toEqual([{ queryKey: ["agents"] }]);
  });
});

describe("detail pages' own rooms", () => {
  const agent = { id: T, running: 1, stats: { sessions: 3 } } as unknown as AgentView;
  it("an agent's frame re-reads its performance only when its load or stats moved", () => {
    expect(agentRoomKeysOf(T, f("agent.updated", { ...agent, lastHeartbeatAt: "later" }), agent)).toEqual([]);
    expect(agentRoomKeysOf(T, f("agent.updated", { ...agent, running: 0 }), agent)).toEqual([
      { queryKey: qk.agentPerformance(T), exact: true },
    ]);
    expect(agentRoomKeysOf(T, f("agent.updated", { ...agent, stats: { sessions: 4 } }), agent)).toHaveLength(1);
    expect(agentRoomKeysOf(T, f("agent.updated", agent))).toHaveLength(1);
    expect(agentRoomKeysOf(T, f("agent.updated", { ...agent, id: S }), agent)).toEqual([]);
    expect(agentRoomKeysOf(T, f("agent.removed", { id: T, name: "a" }))).toEqual([
      { queryKey: qk.agent(T), exact: true },
      { queryKey: qk.agentPerformance(T), exact: true },
    ]);
  });

  it("a task room's frames re-read the task, its tree and its graph, exactly", () => {
    const targets = taskRoomKeysOf(
      T,
      f("task.status_changed", { taskId: S, rootTaskId: T, from: "ready", to: "running" }),
    );
    expect(targets).toEqual(
      [qk.task(T), qk.taskTree(T), qk.taskGraph(T)].map((queryKey) => ({ queryKey, exact: true })),
    );
    expect(taskRoomKeysOf(T, f("heartbeat", { serverTime: "x" }))).toEqual([]);
  });
});
