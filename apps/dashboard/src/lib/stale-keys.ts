import type { AgentView, WsServerMessage } from "@industrial/contracts";
import { qk } from "./query-keys";
import type { StaleTarget } from "./stale-batcher";

const prefix = (queryKey: readonly unknown[]): StaleTarget => ({ queryKey });
const exact = (queryKey: readonly unknown[]): StaleTarget => ({ queryKey, exact: true });
const sessionOf = (payload: unknown) => (payload as { sessionId: string }).sessionId;

/**
 * What a frame of the app's feed (`/ws/system` with the `sessions`, `agents`,
 * `tasks` and `inbox` rooms) makes stale. The `sessions` room carries
 * status-level frames only; a session's own row is refreshed exactly (never
 * its diff, checkpoints or tree: the session page follows those over its own
 * socket). Agent and task detail pages follow their own rooms, so their
 * frames here mark lists only (and a root's tree, which the tasks list shows).
 */
export function staleKeysOf(f: WsServerMessage): StaleTarget[] {
  switch (f.type) {
    case "session.created":
      return [prefix(["sessions"])];
    case "session.status_changed":
    case "session.completed":
    case "session.failed":
      return [
        prefix(["sessions"]),
        exact(qk.session(sessionOf(f.payload))),
        prefix(["agents"]),
        prefix(qk.runners),
        prefix(["tenant-usage"]),
      ];
    case "session.tokens":
      return [prefix(["sessions", "list"]), exact(qk.session(sessionOf(f.payload))), prefix(["tenant-usage"])];
    case "session.checkpoint":
      return [prefix(["sessions", "list"]), exact(qk.session(sessionOf(f.payload)))];
    case "agent.registered":
    case "agent.removed":
    case "agent.updated":
      return [prefix(["agents"])];
    case "task.created":
    case "task.status_changed":
    case "task.progress":
      return [prefix(["tasks"]), exact(qk.taskTree(f.payload.rootTaskId))];
    case "system.stats":
      return [exact(qk.sessionStats)];
    case "system.health":
      return [exact(qk.ready), prefix(qk.runners)];
    case "inbox.request_created":
    case "inbox.request_resolved":
      return [prefix(["inbox"]), exact(qk.session(f.payload.sessionId))];
    default:
      return [];
  }
}

/** After the feed comes back from an outage, everything it announces may have moved: these refetch once. */
export const FEED_REFRESH: StaleTarget[] = [
  ["sessions"],
  ["session"],
  ["agents"],
  ["agent"],
  ["tasks"],
  ["task"],
  ["inbox"],
  ["runners"],
  ["tenant-usage"],
].map(prefix);

/**
 * An agent page's own room (`/ws/agents/{id}`). `agent.updated` brings the
 * agent whole (the page sets it as is), so only its performance is re-read,
 * and only when its load or stats moved (`before`: the agent shown until
 * now); a heartbeat alone reads nothing. `agent.removed` re-reads both (404).
 */
export function agentRoomKeysOf(id: string, f: WsServerMessage, before?: AgentView): StaleTarget[] {
  if (f.type === "agent.removed" && f.payload.id === id) return [exact(qk.agent(id)), exact(qk.agentPerformance(id))];
  if (f.type !== "agent.updated" || f.payload.id !== id) return [];
  const moved =
    !before || before.running !== f.payload.running || JSON.stringify(before.stats) !== JSON.stringify(f.payload.stats);
  return moved ? [exact(qk.agentPerformance(id))] : [];
}

/** A task page's own room (`/ws/tasks/{id}`): the task and everything under it; any change re-reads the task, its tree and its graph. */
export function taskRoomKeysOf(id: string, f: WsServerMessage): StaleTarget[] {
  if (f.type === "task.created" || f.type === "task.status_changed" || f.type === "task.progress")
    return [exact(qk.task(id)), exact(qk.taskTree(id)), exact(qk.taskGraph(id))];
  return [];
}
