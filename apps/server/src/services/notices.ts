import { wsRooms, type AgentView, type WsServerPayloads } from "@industrial/contracts";
import { coerceError, type Task } from "@industrial/core";
import { loadTree, type Database } from "@industrial/db";
import type { NoticeBus } from "@industrial/scheduler";
import type { Logger } from "pino";
import { toTaskView } from "./task-view";

/**
 * What services and the task executor announce to WebSocket rooms, after the
 * change committed: agents as they stand, tasks created, and a tree's status
 * and progress changes (diffed here against what this replica last announced).
 */
export interface Notices {
  agent(type: "agent.registered" | "agent.updated", view: AgentView): void;
  agentRemoved(tenantId: string, agent: { id: string; name: string }): void;
  /** Tasks were inserted in a tree: `task.created` for each, then what moved in the rest of the tree (a parent's progress). */
  tasksCreated(tenantId: string, rootTaskId: string, taskIds: readonly string[]): void;
  /** Something in the tree may have moved: `task.status_changed` / `task.progress` for what did. */
  taskTreeChanged(tenantId: string, rootTaskId: string): void;
}

type Seen = { status: Task["status"]; progress: string };
const TREES_KEPT = 1_000;

export function createNotices(deps: { db: Database; bus: NoticeBus; log: Logger }): Notices {
  const publish = <K extends keyof WsServerPayloads>(
    tenantId: string,
    rooms: string[],
    type: K,
    payload: WsServerPayloads[K],
  ) => deps.bus.publish({ tenantId, rooms, type, payload });
  const agentRooms = (id: string) => [wsRooms.agent(id), wsRooms.agents];
  /** A task's message reaches its own room, its ancestors' rooms (a tree page watches its root) and `tasks`. */
  const taskRooms = (t: Pick<Task, "id" | "parentTaskId">, byId: Map<string, Pick<Task, "id" | "parentTaskId">>) => {
    const rooms = [wsRooms.task(t.id)];
    for (
      let p = t.parentTaskId ? byId.get(t.parentTaskId) : undefined;
      p;
      p = p.parentTaskId ? byId.get(p.parentTaskId) : undefined
    )
      rooms.push(wsRooms.task(p.id));
    return [...rooms, wsRooms.tasks];
  };

  /** Per tree: task id → status and progress last announced. */
  const trees = new Map<string, Map<string, Seen>>();
  /** One diff at a time per tree, in call order. */
  const chains = new Map<string, Promise<void>>();

  async function diffTree(tenantId: string, rootTaskId: string, created: ReadonlySet<string>): Promise<void> {
    const tree = await loadTree(deps.db, tenantId, rootTaskId);
    const byId = new Map(tree.tasks.map((t) => [t.id, t]));
    const before = trees.get(rootTaskId) ?? new Map<string, Seen>();
    const after = new Map<string, Seen>();
    for (const t of tree.tasks) {
      const { progress } = toTaskView(t, tree);
      const seen: Seen = { status: t.status, progress: JSON.stringify(progress) };
      after.set(t.id, seen);
      const prev = before.get(t.id);
      if (created.has(t.id)) {
        publish(t.tenantId, taskRooms(t, byId), "task.created", toTaskView(t, tree));
        continue;
      }
      const ids = { taskId: t.id, rootTaskId: t.rootTaskId };
      if (prev?.status !== t.status)
        publish(t.tenantId, taskRooms(t, byId), "task.status_changed", {
          ...ids,
          from: prev?.status ?? null,
          to: t.status,
        });
      if (prev?.progress !== seen.progress)
        publish(t.tenantId, taskRooms(t, byId), "task.progress", { ...ids, ...progress });
    }
    trees.delete(rootTaskId);
    if (trees.size >= TREES_KEPT) trees.delete(trees.keys().next().value!);
    trees.set(rootTaskId, after);
  }

  function enqueue(tenantId: string, rootTaskId: string, created: ReadonlySet<string>): void {
    const next = (chains.get(rootTaskId) ?? Promise.resolve())
      .then(() => diffTree(tenantId, rootTaskId, created))
      .catch((e) =>
        deps.log.warn({ rootTaskId, err: coerceError(e).message }, "task notices: reading the tree failed"),
      );
    chains.set(rootTaskId, next);
    void next.finally(() => {
      if (chains.get(rootTaskId) === next) chains.delete(rootTaskId);
    });
  }

  return {
    agent: (type, view) => publish(view.tenantId, agentRooms(view.id), type, view),
    agentRemoved: (tenantId, agent) => publish(tenantId, agentRooms(agent.id), "agent.removed", agent),
    tasksCreated: (tenantId, rootTaskId, taskIds) => enqueue(tenantId, rootTaskId, new Set(taskIds)),
    taskTreeChanged: (tenantId, rootTaskId) => enqueue(tenantId, rootTaskId, new Set()),
  };
}
