import type { RouteName } from "@industrial/contracts";
import type { ExampleContext } from "./route-examples";
import type { RouteRequest } from "./route-request";

/** What kind of row of the other tenant a reference names. */
export type ForeignKind = "session" | "task" | "agent" | "context" | "runner" | "user" | "tenant";

/**
 * A request of the own tenant that names a row by id in its body or query
 * (not its path): `build` puts `id` where the reference goes, on fresh
 * fixtures of the own tenant (`c`). Sent with another tenant's row and with an
 * id that exists nowhere, the answers must be the same.
 */
export interface ForeignReference {
  label: string;
  route: RouteName;
  names: ForeignKind;
  build(c: ExampleContext, id: string): Promise<RouteRequest> | RouteRequest;
}

const session = (id: string) => ({ body: { prompt: "refers elsewhere", start: false, parentSessionId: id } });

export const FOREIGN_REFERENCES: ForeignReference[] = [
  { label: "a session's parent", route: "createSession", names: "session", build: (_, id) => session(id) },
  {
    label: "a session's preferred agent",
    route: "createSession",
    names: "agent",
    build: (_, id) => ({ body: { prompt: "refers elsewhere", start: false, preferredAgentId: id } }),
  },
  {
    label: "a task's parent",
    route: "createTask",
    names: "task",
    build: (_, id) => ({ body: { title: "refers elsewhere", parentTaskId: id } }),
  },
  {
    label: "a dependency's prerequisite",
    route: "addDependency",
    names: "task",
    build: async (c, id) => ({ params: { id: (await c.fx.task(c.member)).id }, body: { dependsOnTaskId: id } }),
  },
  {
    label: "a session context's session",
    route: "createContext",
    names: "session",
    build: (_, id) => ({ body: { scope: "session", sessionId: id } }),
  },
  {
    label: "an agent context's agent",
    route: "createContext",
    names: "agent",
    build: (_, id) => ({ body: { scope: "agent", agentId: id } }),
  },
  {
    label: "the session a context is shared with",
    route: "shareContext",
    names: "session",
    build: async (c, id) => ({ params: { id: (await c.fx.sessionContext(c.member)).id }, body: { sessionId: id } }),
  },
  {
    label: "a merge's source",
    route: "mergeContexts",
    names: "context",
    build: async (c, id) => ({
      body: { sourceId: id, targetId: (await c.fx.context(c.member)).id, strategy: "prefer_source" },
    }),
  },
  {
    label: "the other side of a diff",
    route: "diffContexts",
    names: "context",
    build: async (c, id) => ({ params: { id: (await c.fx.context(c.member)).id, otherId: id } }),
  },
  {
    label: "a new agent's runner",
    route: "createAgent",
    names: "runner",
    build: (_, id) => ({
      body: { name: `ref-${Math.random().toString(36).slice(2, 10)}`, type: "reviewer", runnerId: id },
    }),
  },
  {
    label: "an agent's new runner",
    route: "patchAgent",
    names: "runner",
    build: async (c, id) => ({ params: { id: (await c.fx.agent(c.admin)).id }, body: { runnerId: id } }),
  },
  {
    label: "a routing dry run's preferred agent",
    route: "routeAgent",
    names: "agent",
    build: (_, id) => ({ body: { preferredAgentId: id } }),
  },
  {
    label: "a key's user",
    route: "createApiKey",
    names: "user",
    build: (_, id) => ({ body: { name: "ref", role: "viewer", userId: id } }),
  },
  {
    label: "a key's tenant",
    route: "createApiKey",
    names: "tenant",
    build: (_, id) => ({ body: { name: "ref", role: "viewer", tenantId: id } }),
  },
  {
    label: "a user's tenant",
    route: "createUser",
    names: "tenant",
    build: (_, id) => ({
      body: {
        name: "ref",
        email: `ref-${Math.random().toString(36).slice(2)}@example.test`,
        role: "viewer",
        tenantId: id,
      },
    }),
  },
  { label: "sessions by agent", route: "listSessions", names: "agent", build: (_, id) => ({ query: { agentId: id } }) },
  { label: "sessions by task", route: "listSessions", names: "task", build: (_, id) => ({ query: { taskId: id } }) },
  {
    label: "contexts by session",
    route: "listContexts",
    names: "session",
    build: (_, id) => ({ query: { sessionId: id } }),
  },
  { label: "contexts by agent", route: "listContexts", names: "agent", build: (_, id) => ({ query: { agentId: id } }) },
  { label: "tasks by parent", route: "listTasks", names: "task", build: (_, id) => ({ query: { parentTaskId: id } }) },
  {
    label: "the inbox by session",
    route: "listInbox",
    names: "session",
    build: (_, id) => ({ query: { sessionId: id } }),
  },
  { label: "the inbox by agent", route: "listInbox", names: "agent", build: (_, id) => ({ query: { agentId: id } }) },
  { label: "keys by user", route: "listApiKeys", names: "user", build: (_, id) => ({ query: { userId: id } }) },
];

/** A row of each kind in the other tenant (made by its own keys). */
export async function foreignRows(c: ExampleContext): Promise<Record<ForeignKind, string>> {
  return {
    session: (await c.fx.session(c.member)).id,
    task: (await c.fx.task(c.member)).id,
    agent: (await c.fx.agent(c.admin)).id,
    context: (await c.fx.context(c.member)).id,
    runner: (await c.fx.runner(c.admin)).id,
    user: (await c.fx.user(c.admin)).id,
    tenant: c.cast.id,
  };
}
