import type { RouteName } from "@industrial/contracts";
import type { Role } from "@industrial/core";
import type { Fixtures, Maker } from "./fixtures";
import type { TenantCast } from "./principals";
import type { RouteRequest } from "./route-request";

/** What an example builds its request from: fixtures made in one tenant. */
export interface ExampleContext {
  fx: Fixtures;
  /** The tenant the fixtures land in (the caller's own, or the other one). */
  cast: TenantCast;
  /** That tenant's member: sessions, tasks and contexts are its own (the matrix's member acts on what it created). */
  member: Maker;
  /** That tenant's admin: agents, runners, users and keys. */
  admin: Maker;
}

export interface RouteExample {
  /** A valid request on fixtures of `c`'s tenant. */
  request(c: ExampleContext): Promise<RouteRequest> | RouteRequest;
  /** The request changes its fixture for good, or makes a row with a unique name: every allowed call gets a fresh request. */
  destructive?: true;
  /** What an allowed call answers when it is not the catalogue's status (503 readiness; 409 where no fixture reaches 2xx). */
  allowed?: number | readonly number[];
  /** Refused by the service for who the caller is although its role passes the table (docs/security.md refinements). */
  refine?: (role: Role) => number | null;
  /** The request names a row by id (params, or the body of a merge): another tenant's answers 404. */
  names?: "params" | "body";
  /** A member may do it only to sessions and tasks it created (lead and admin to any). */
  owned?: true;
}

const ctrl = { names: "params", owned: true, destructive: true } as const;
const read = { names: "params" } as const;

const session = async (c: ExampleContext, opts: Parameters<Fixtures["session"]>[1] = {}) => ({
  params: { id: (await c.fx.session(c.member, opts)).id },
});
const task = async (c: ExampleContext) => ({ params: { id: (await c.fx.task(c.member)).id } });
const context = async (c: ExampleContext) => ({ params: { id: (await c.fx.context(c.member)).id } });
const agent = async (c: ExampleContext) => ({ params: { id: (await c.fx.agent(c.admin)).id } });

/**
 * One example request per route of the catalogue. Typed as a record of
 * every route name: a route added to the catalogue without its row here
 * does not compile (and the matrix test checks the keys at run time too).
 */
export const routeExamples = {
  health: { request: () => ({}) },
  ready: { request: () => ({}), allowed: [200, 503] },
  login: { request: (c) => ({ body: { key: c.cast.keys.viewer } }) },
  logout: { request: () => ({ body: {} }) },
  me: { request: () => ({}) },

  createSession: { request: () => ({ body: { title: "matrix", prompt: "never runs", start: false } }) },
  listSessions: { request: () => ({ query: { limit: "5" } }) },
  sessionStats: { request: () => ({}) },
  sessionTimeline: {
    request: () => ({ query: { from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z", bucket: "1h" } }),
  },
  getSession: { ...read, request: (c) => session(c) },
  patchSession: { ...ctrl, request: async (c) => ({ ...(await session(c)), body: { title: "renamed" } }) },
  deleteSession: { ...ctrl, request: (c) => session(c, { status: "cancelled" }) },
  startSession: { ...ctrl, request: async (c) => ({ ...(await session(c)), body: {} }) },
  pauseSession: { ...ctrl, request: async (c) => ({ ...(await session(c, { status: "running" })), body: {} }) },
  resumeSession: { ...ctrl, request: async (c) => ({ ...(await session(c, { status: "paused" })), body: {} }) },
  stopSession: { ...ctrl, request: async (c) => ({ ...(await session(c, { status: "running" })), body: {} }) },
  cancelSession: { ...ctrl, request: async (c) => ({ ...(await session(c)), body: {} }) },
  retrySession: { ...ctrl, request: async (c) => ({ ...(await session(c, { status: "failed" })), body: {} }) },
  messageSession: {
    ...ctrl,
    request: async (c) => ({ ...(await session(c, { status: "running" })), body: { text: "and one more thing" } }),
  },
  sessionEvents: { ...read, request: async (c) => ({ ...(await session(c)), query: { after: "0" } }) },
  listCheckpoints: { ...read, request: (c) => session(c, { checkpoint: true, status: "paused" }) },
  createCheckpoint: {
    ...ctrl,
    request: async (c) => ({ ...(await session(c, { workspace: true, status: "paused" })), body: {} }),
  },
  verifyCheckpoints: { ...read, request: (c) => session(c) },
  restoreCheckpoint: {
    ...ctrl,
    request: async (c) => {
      const { params } = await session(c, { checkpoint: true, status: "paused" });
      return { params: { ...params, seq: 1 }, body: {} };
    },
  },
  sessionDiff: { ...read, request: (c) => session(c, { workspace: true }) },
  sessionTree: { ...read, request: (c) => session(c) },

  listInbox: { request: () => ({ query: { limit: "5" } }) },
  replyInputRequest: {
    ...ctrl,
    request: async (c) => {
      const r = await c.fx.inputRequest(c.member, (await c.fx.agent(c.admin)).id);
      return { params: { requestId: r.id }, body: { reply: "once" } };
    },
  },

  createAgent: {
    destructive: true,
    request: () => ({ body: { name: `matrix-${Math.random().toString(36).slice(2, 12)}`, type: "reviewer" } }),
  },
  listAgents: { request: () => ({}) },
  agentStats: { request: () => ({}) },
  routeAgent: { request: () => ({ body: { requiredCapabilities: ["code_generation"] } }) },
  getAgent: { ...read, request: agent },
  patchAgent: { ...read, request: async (c) => ({ ...(await agent(c)), body: { maxConcurrent: 3 } }) },
  deleteAgent: { ...read, destructive: true, request: agent },
  heartbeatAgent: { ...read, request: async (c) => ({ ...(await agent(c)), body: {} }) },
  drainAgent: { ...read, destructive: true, request: async (c) => ({ ...(await agent(c)), body: {} }) },
  maintenanceAgent: {
    ...read,
    request: async (c) => ({ ...(await agent(c)), body: { enabled: true, reason: "matrix" } }),
  },
  agentPerformance: { ...read, request: agent },

  listRunners: { request: () => ({}) },
  registerRunner: {
    destructive: true,
    request: () => ({ body: { name: `matrix-${Math.random().toString(36).slice(2, 12)}`, url: "http://127.0.0.1:9" } }),
  },
  deleteRunner: {
    ...read,
    destructive: true,
    request: async (c) => ({ params: { id: (await c.fx.runner(c.admin)).id } }),
  },
  // Only managed runners recycle, and they belong to the replica, not to a tenant: a tenant's remote runner gets 409.
  recycleRunner: {
    ...read,
    allowed: 409,
    request: async (c) => ({ params: { id: (await c.fx.runner(c.admin)).id }, body: {} }),
  },

  createTask: { request: () => ({ body: { title: "matrix task", description: "write the tests" } }) },
  listTasks: { request: () => ({ query: { root: "true" } }) },
  taskTemplates: { request: () => ({}) },
  getTask: { ...read, request: task },
  patchTask: { ...ctrl, request: async (c) => ({ ...(await task(c)), body: { title: "renamed task" } }) },
  deleteTask: { ...ctrl, request: task },
  decomposeTask: { ...ctrl, request: async (c) => ({ ...(await task(c)), body: { template: "crud" } }) },
  addDependency: {
    ...ctrl,
    request: async (c) => {
      const [a, b] = [await c.fx.task(c.member), await c.fx.task(c.member)];
      return { params: { id: a.id }, body: { dependsOnTaskId: b.id } };
    },
  },
  removeDependency: {
    ...ctrl,
    request: async (c) => {
      const d = await c.fx.dependency(c.member);
      return { params: { id: d.taskId, depId: d.depId } };
    },
  },
  taskTree: { ...read, request: task },
  taskGraph: { ...read, request: task },
  executeTask: { ...ctrl, request: async (c) => ({ ...(await task(c)), body: {} }) },
  cancelTask: { ...ctrl, request: async (c) => ({ ...(await task(c)), body: {} }) },

  createContext: {
    destructive: true,
    request: () => ({
      body: { scope: "global", name: `matrix-${Math.random().toString(36).slice(2, 12)}`, data: { x: 1 } },
    }),
  },
  listContexts: { request: () => ({ query: { scope: "global" } }) },
  mergeContexts: {
    names: "body",
    destructive: true,
    request: async (c) => {
      const [s, t] = [await c.fx.context(c.member), await c.fx.context(c.member)];
      return { body: { sourceId: s.id, targetId: t.id, strategy: "last_write_wins" } };
    },
  },
  getContext: { ...read, request: context },
  patchContext: { ...read, request: async (c) => ({ ...(await context(c)), body: { merge: { y: 2 } } }) },
  deleteContext: { ...read, destructive: true, request: context },
  getContextKey: { ...read, request: async (c) => ({ params: { ...(await context(c)).params, path: "a.b" } }) },
  putContextKey: {
    ...read,
    request: async (c) => ({ params: { ...(await context(c)).params, path: "a.c" }, body: { value: [1, 2] } }),
  },
  deleteContextKey: {
    ...read,
    destructive: true,
    request: async (c) => ({ params: { ...(await context(c)).params, path: "a.b" } }),
  },
  diffContexts: {
    ...read,
    request: async (c) => {
      const [a, b] = [await c.fx.context(c.member), await c.fx.context(c.member, { data: { a: { b: 2 } } })];
      return { params: { id: a.id, otherId: b.id } };
    },
  },
  shareContext: {
    ...read,
    destructive: true,
    request: async (c) => {
      const ctx = await c.fx.sessionContext(c.member);
      return { params: { id: ctx.id }, body: { sessionId: (await c.fx.session(c.member)).id } };
    },
  },
  promoteContext: {
    ...read,
    destructive: true,
    request: async (c) => ({ params: { id: (await c.fx.sessionContext(c.member)).id }, body: {} }),
  },

  // A tenant's own admin sees its own tenant only; making tenants is the operator's (an admin of the default tenant).
  listTenants: { request: () => ({}) },
  createTenant: {
    destructive: true,
    request: () => ({ body: { name: `matrix ${Math.random().toString(36).slice(2, 12)}` } }),
    refine: (r) => (r === "admin" ? 403 : null),
  },
  getTenant: { ...read, request: (c) => ({ params: { id: c.cast.id } }) },
  patchTenant: { ...read, request: (c) => ({ params: { id: c.cast.id }, body: { maxConcurrentSessions: 1000 } }) },
  tenantUsage: { ...read, request: (c) => ({ params: { id: c.cast.id } }) },

  createApiKey: { request: () => ({ body: { name: "matrix key", role: "viewer" } }) },
  listApiKeys: { request: () => ({}) },
  revokeApiKey: {
    ...read,
    destructive: true,
    request: async (c) => ({ params: { id: (await c.fx.apiKey(c.admin)).id } }),
  },
  listUsers: { request: () => ({}) },
  createUser: {
    destructive: true,
    request: () => ({
      body: { name: "matrix user", email: `m-${Math.random().toString(36).slice(2, 12)}@example.test`, role: "member" },
    }),
  },
  patchUser: {
    ...read,
    request: async (c) => ({ params: { id: (await c.fx.user(c.admin)).id }, body: { name: "renamed user" } }),
  },
  deleteUser: { ...read, destructive: true, request: async (c) => ({ params: { id: (await c.fx.user(c.admin)).id } }) },
  listAudit: { request: () => ({ query: { limit: "10" } }) },
} satisfies Record<RouteName, RouteExample>;
