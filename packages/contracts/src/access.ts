import type { Access } from "@industrial/core";
import type { RouteName } from "./routes";

/**
 * The one table of who may call what: every route of the catalogue → the
 * least role it needs (`public`: no key). The server's auth hook, the
 * WebSocket endpoints, the OpenAPI document (security, `x-required-role`) and
 * the access-matrix test all read it; a route without a row does not compile.
 *
 * Some rows are refined by the service on the object itself (docs/security.md):
 * a member controls only the sessions and tasks it created; only an admin of
 * the default tenant reaches other tenants; name and active of a tenant are
 * the admin's.
 */
export const routeAccess = {
  health: "public",
  ready: "public",
  login: "public",
  logout: "public",
  me: "viewer",

  createSession: "member",
  listSessions: "viewer",
  sessionStats: "viewer",
  sessionTimeline: "viewer",
  getSession: "viewer",
  patchSession: "member",
  deleteSession: "member",
  startSession: "member",
  pauseSession: "member",
  resumeSession: "member",
  stopSession: "member",
  cancelSession: "member",
  retrySession: "member",
  messageSession: "member",
  sessionEvents: "viewer",
  listCheckpoints: "viewer",
  createCheckpoint: "member",
  verifyCheckpoints: "viewer",
  restoreCheckpoint: "member",
  sessionDiff: "viewer",
  sessionTree: "viewer",

  listInbox: "viewer",
  // Refined by the service: whoever may control the request's session (its creator as member, a lead, an admin).
  replyInputRequest: "member",

  createAgent: "lead",
  listAgents: "viewer",
  agentStats: "viewer",
  // A dry run: reads the fleet and changes nothing.
  routeAgent: "viewer",
  getAgent: "viewer",
  patchAgent: "lead",
  deleteAgent: "lead",
  heartbeatAgent: "lead",
  drainAgent: "lead",
  maintenanceAgent: "lead",
  agentPerformance: "viewer",

  listRunners: "viewer",
  // The server calls a registered URL every few seconds: only admins choose where.
  registerRunner: "admin",
  deleteRunner: "lead",
  recycleRunner: "lead",

  createTask: "member",
  listTasks: "viewer",
  taskTemplates: "viewer",
  getTask: "viewer",
  patchTask: "member",
  deleteTask: "member",
  decomposeTask: "member",
  addDependency: "member",
  removeDependency: "member",
  taskTree: "viewer",
  taskGraph: "viewer",
  executeTask: "member",
  cancelTask: "member",

  createContext: "member",
  listContexts: "viewer",
  mergeContexts: "member",
  getContext: "viewer",
  patchContext: "member",
  deleteContext: "member",
  getContextKey: "viewer",
  putContextKey: "member",
  deleteContextKey: "member",
  diffContexts: "viewer",
  shareContext: "member",
  promoteContext: "member",

  listTenants: "admin",
  createTenant: "admin",
  getTenant: "viewer",
  patchTenant: "lead",
  tenantUsage: "viewer",

  createApiKey: "admin",
  listApiKeys: "admin",
  revokeApiKey: "admin",
  listUsers: "admin",
  createUser: "admin",
  patchUser: "admin",
  deleteUser: "admin",
  listAudit: "lead",
} as const satisfies Record<RouteName, Access>;

/** The WebSocket endpoints and what each needs (all read: live views of the tenant). */
export const wsEndpointAccess = {
  "/ws/sessions/:id": "viewer",
  "/ws/sessions": "viewer",
  "/ws/agents/:id": "viewer",
  "/ws/agents": "viewer",
  "/ws/tasks/:id": "viewer",
  "/ws/system": "viewer",
} as const satisfies Record<string, Access>;
export type WsEndpointPath = keyof typeof wsEndpointAccess;

/** Paths outside the catalogue that need no key: the API's own description and the docs UI. */
export const PUBLIC_PATHS = ["/openapi.json", "/docs"] as const;
