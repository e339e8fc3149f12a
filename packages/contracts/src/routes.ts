import { z } from "zod";
import {
  AgentFleetStatsSchema,
  AgentPerformanceSchema,
  AgentSchema,
  CreateAgentBody,
  DeleteAgentQuery,
  ListAgentsQuery,
  MaintenanceBody,
  PatchAgentBody,
  RouteBody,
  RouteDecisionSchema,
} from "./agents";
import {
  ApiKeyCreatedSchema,
  ApiKeySchema,
  AuditEntrySchema,
  CreateApiKeyBody,
  CreateUserBody,
  ListApiKeysQuery,
  ListAuditQuery,
  ListUsersQuery,
  LoginBody,
  LogoutSchema,
  MeSchema,
  PatchUserBody,
  UserSchema,
} from "./auth";
import { ErrorEnvelope, IdParams, pageOf } from "./common";
import {
  ContextDiffSchema,
  ContextKeyParams,
  ContextKeySchema,
  ContextSchema,
  CreateContextBody,
  DeletedContextSchema,
  DiffParams,
  ListContextsQuery,
  MergeContextsBody,
  PatchContextBody,
  PromoteContextBody,
  PutContextKeyBody,
  ShareContextBody,
  VersionQuery,
} from "./contexts";
import { EventsPageSchema } from "./events";
import { HealthSchema, ReadinessSchema } from "./health";
import { InboxItemSchema, InboxParams, InputReplyBody, InputRequestSchema, ListInboxQuery } from "./inbox";
import { DeleteRunnerQuery, ListRunnersQuery, RegisterRunnerBody, RunnerSchema } from "./runners";
import {
  AddDependencyBody,
  CancelTaskResponse,
  CreateTaskBody,
  DecomposeBody,
  DecompositionSchema,
  DependencyParams,
  DependencySchema,
  ExecuteBody,
  GraphSchema,
  ListTasksQuery,
  PatchTaskBody,
  TaskSchema,
  TaskTreeResponse,
  TemplateSchema,
} from "./tasks";
import { SessionTimelineSchema, TimelineQuery } from "./session-timeline";
import { CreateTenantBody, ListTenantsQuery, PatchTenantBody, TenantSchema, TenantUsageSchema } from "./tenants";
import {
  ChainVerificationSchema,
  CheckpointParams,
  CheckpointSchema,
  CreateSessionBody,
  DiffSchema,
  EmptyBody,
  EventsQuery,
  ListSessionsQuery,
  MessageBody,
  PatchSessionBody,
  RetryBody,
  SessionSchema,
  SessionStatsSchema,
  SessionTreeSchema,
} from "./sessions";

export interface RouteDef {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  path: string;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status?: number;
}

const route = <const R extends RouteDef>(r: R) => r;
const sessionAction = (action: string, summary: string, body: z.ZodType = EmptyBody) =>
  route({ method: "POST", path: `/api/v1/sessions/:id/${action}`, summary, tag: "Sessions", params: IdParams, body, response: SessionSchema });

/**
 * Every route of the API, declared once: the server validates with these
 * schemas, the client parses responses with them, and /openapi.json is
 * generated from them.
 */
export const routes = {
  health: route({ method: "GET", path: "/health", summary: "Liveness: the process is up", tag: "Operations", response: HealthSchema }),
  ready: route({ method: "GET", path: "/health/ready", summary: "Readiness: database, runners", tag: "Operations", response: ReadinessSchema }),

  createSession: route({ method: "POST", path: "/api/v1/sessions", summary: "Create a session (queued at once unless start=false)", tag: "Sessions", body: CreateSessionBody, response: SessionSchema, status: 201 }),
  listSessions: route({ method: "GET", path: "/api/v1/sessions", summary: "List sessions with filters and cursor pagination", tag: "Sessions", query: ListSessionsQuery, response: pageOf(SessionSchema) }),
  sessionStats: route({ method: "GET", path: "/api/v1/sessions/stats", summary: "Counts, queue depth, wait and run percentiles, tokens and cost", tag: "Sessions", response: SessionStatsSchema }),
  sessionTimeline: route({
    method: "GET",
    path: "/api/v1/sessions/stats/timeline",
    summary: "Sessions finished (by status) and tokens and cost spent per bucket of [from, to); every bucket, zeros included (at most 2000)",
    tag: "Sessions",
    query: TimelineQuery,
    response: SessionTimelineSchema,
  }),
  getSession: route({ method: "GET", path: "/api/v1/sessions/:id", summary: "One session", tag: "Sessions", params: IdParams, response: SessionSchema }),
  patchSession: route({ method: "PATCH", path: "/api/v1/sessions/:id", summary: "Change title, priority, tags, metadata, or the time limit while not running", tag: "Sessions", params: IdParams, body: PatchSessionBody, response: SessionSchema }),
  deleteSession: route({ method: "DELETE", path: "/api/v1/sessions/:id", summary: "Soft-delete a session in a terminal state", tag: "Sessions", params: IdParams, response: z.object({ deleted: z.literal(true), id: z.string() }) }),
  startSession: sessionAction("start", "Queue a session created with start=false"),
  pauseSession: sessionAction("pause", "Pause: abort the current turn, keep the worktree and OpenCode session"),
  resumeSession: sessionAction("resume", "Resume a paused session with a continuation prompt"),
  stopSession: sessionAction("stop", "Stop: abort the turn; nothing retries it automatically"),
  cancelSession: sessionAction("cancel", "Withdraw a session that has not run, or is paused"),
  retrySession: sessionAction("retry", "Retry a failed, timed-out or stopped session (from the latest checkpoint, a given one, or fresh)", RetryBody),
  messageSession: route({ method: "POST", path: "/api/v1/sessions/:id/messages", summary: "Send a follow-up instruction to a running or paused session", tag: "Sessions", params: IdParams, body: MessageBody, response: SessionSchema, status: 202 }),
  sessionEvents: route({ method: "GET", path: "/api/v1/sessions/:id/events", summary: "The event log after a seq (replay)", tag: "Sessions", params: IdParams, query: EventsQuery, response: EventsPageSchema }),
  listCheckpoints: route({ method: "GET", path: "/api/v1/sessions/:id/checkpoints", summary: "The checkpoint chain", tag: "Checkpoints", params: IdParams, response: z.object({ items: z.array(CheckpointSchema) }) }),
  createCheckpoint: route({ method: "POST", path: "/api/v1/sessions/:id/checkpoints", summary: "Write a manual checkpoint now", tag: "Checkpoints", params: IdParams, body: EmptyBody, response: CheckpointSchema, status: 201 }),
  verifyCheckpoints: route({ method: "GET", path: "/api/v1/sessions/:id/checkpoints/verify", summary: "Recompute the hash chain and name the first broken link", tag: "Checkpoints", params: IdParams, response: ChainVerificationSchema }),
  restoreCheckpoint: route({ method: "POST", path: "/api/v1/sessions/:id/checkpoints/:seq/restore", summary: "Rewind OpenCode and the worktree to a checkpoint", tag: "Checkpoints", params: CheckpointParams, body: EmptyBody, response: SessionSchema }),
  sessionDiff: route({ method: "GET", path: "/api/v1/sessions/:id/diff", summary: "The worktree's diff against its base", tag: "Sessions", params: IdParams, response: DiffSchema }),
  sessionTree: route({ method: "GET", path: "/api/v1/sessions/:id/tree", summary: "Parent and child sessions", tag: "Sessions", params: IdParams, response: SessionTreeSchema }),

  listInbox: route({ method: "GET", path: "/api/v1/inbox", summary: "The tenant's open permission and question requests, oldest first, by session, agent or kind", tag: "Inbox", query: ListInboxQuery, response: pageOf(InboxItemSchema) }),
  replyInputRequest: route({
    method: "POST",
    path: "/api/v1/inbox/:requestId/reply",
    summary: "Answer a request: {reply: once|always|reject, message?} for a permission, {answers} or {reject: true} for a question (409 when it is no longer open; 400 names the field that does not fit)",
    tag: "Inbox",
    params: InboxParams,
    body: InputReplyBody,
    response: InputRequestSchema,
  }),

  createAgent: route({ method: "POST", path: "/api/v1/agents", summary: "Register an agent (capabilities add to its type's defaults)", tag: "Agents", body: CreateAgentBody, response: AgentSchema, status: 201 }),
  listAgents: route({ method: "GET", path: "/api/v1/agents", summary: "List agents by type, capability, tier, status, availability", tag: "Agents", query: ListAgentsQuery, response: pageOf(AgentSchema) }),
  agentStats: route({ method: "GET", path: "/api/v1/agents/stats", summary: "The fleet: counts by status, tier and type, load, capacity, open breakers", tag: "Agents", response: AgentFleetStatsSchema }),
  routeAgent: route({ method: "POST", path: "/api/v1/agents/route", summary: "Dry-run routing: the choice, its score breakdown, alternatives and why (no side effects)", tag: "Agents", body: RouteBody, response: RouteDecisionSchema }),
  getAgent: route({ method: "GET", path: "/api/v1/agents/:id", summary: "One agent with its stats, tier, breaker and load", tag: "Agents", params: IdParams, response: AgentSchema }),
  patchAgent: route({ method: "PATCH", path: "/api/v1/agents/:id", summary: "Change an agent's profile, capacity, runner or status", tag: "Agents", params: IdParams, body: PatchAgentBody, response: AgentSchema }),
  deleteAgent: route({ method: "DELETE", path: "/api/v1/agents/:id", summary: "Remove an idle agent (force: stop its running sessions first)", tag: "Agents", params: IdParams, query: DeleteAgentQuery, response: z.object({ deleted: z.literal(true), id: z.string(), stoppedSessions: z.array(z.string()) }) }),
  heartbeatAgent: route({ method: "POST", path: "/api/v1/agents/:id/heartbeat", summary: "Record that the agent is alive", tag: "Agents", params: IdParams, body: EmptyBody, response: AgentSchema }),
  drainAgent: route({ method: "POST", path: "/api/v1/agents/:id/drain", summary: "Finish running sessions, take no new ones", tag: "Agents", params: IdParams, body: EmptyBody, response: AgentSchema }),
  maintenanceAgent: route({ method: "POST", path: "/api/v1/agents/:id/maintenance", summary: "Switch maintenance mode on or off (no new sessions while on)", tag: "Agents", params: IdParams, body: MaintenanceBody, response: AgentSchema }),
  agentPerformance: route({ method: "GET", path: "/api/v1/agents/:id/performance", summary: "Stats, per-capability success, tier history and recent sessions", tag: "Agents", params: IdParams, response: AgentPerformanceSchema }),

  listRunners: route({ method: "GET", path: "/api/v1/runners", summary: "Managed and remote OpenCode servers: url, version, health, running sessions, memory, breaker", tag: "Runners", query: ListRunnersQuery, response: pageOf(RunnerSchema) }),
  registerRunner: route({ method: "POST", path: "/api/v1/runners", summary: "Register a remote OpenCode server (checked at once, then every few seconds)", tag: "Runners", body: RegisterRunnerBody, response: RunnerSchema, status: 201 }),
  deleteRunner: route({ method: "DELETE", path: "/api/v1/runners/:id", summary: "Remove a remote runner no agent is bound to and no session runs on (force: anyway)", tag: "Runners", params: IdParams, query: DeleteRunnerQuery, response: z.object({ deleted: z.literal(true), id: z.string() }) }),
  recycleRunner: route({ method: "POST", path: "/api/v1/runners/:id/recycle", summary: "Drain a managed runner and replace its process; its running sessions finish on it", tag: "Runners", params: IdParams, body: EmptyBody, response: RunnerSchema, status: 202 }),

  createTask: route({ method: "POST", path: "/api/v1/tasks", summary: "Create a task (a root, or a subtask with parentTaskId); estimate and capabilities inferred when absent", tag: "Tasks", body: CreateTaskBody, response: TaskSchema, status: 201 }),
  listTasks: route({ method: "GET", path: "/api/v1/tasks", summary: "List tasks by status, complexity, parent, roots only", tag: "Tasks", query: ListTasksQuery, response: pageOf(TaskSchema) }),
  taskTemplates: route({ method: "GET", path: "/api/v1/tasks/templates", summary: "The decomposition templates: phases, hour shares, capabilities, edges", tag: "Tasks", response: z.object({ items: z.array(TemplateSchema) }) }),
  getTask: route({ method: "GET", path: "/api/v1/tasks/:id", summary: "One task with its progress", tag: "Tasks", params: IdParams, response: TaskSchema }),
  patchTask: route({ method: "PATCH", path: "/api/v1/tasks/:id", summary: "Change a task, or skip or cancel one that has not started", tag: "Tasks", params: IdParams, body: PatchTaskBody, response: TaskSchema }),
  deleteTask: route({ method: "DELETE", path: "/api/v1/tasks/:id", summary: "Delete a task and its subtasks (not while they run)", tag: "Tasks", params: IdParams, response: z.object({ deleted: z.literal(true), ids: z.array(z.string()) }) }),
  decomposeTask: route({ method: "POST", path: "/api/v1/tasks/:id/decompose", summary: "Break a task into subtasks and dependencies: a template, heuristics, or an LLM planner session (one transaction)", tag: "Tasks", params: IdParams, body: DecomposeBody, response: DecompositionSchema, status: 201 }),
  addDependency: route({ method: "POST", path: "/api/v1/tasks/:id/dependencies", summary: "Make the task wait for another (refused with the cycle named when it would close one)", tag: "Tasks", params: IdParams, body: AddDependencyBody, response: DependencySchema, status: 201 }),
  removeDependency: route({ method: "DELETE", path: "/api/v1/tasks/:id/dependencies/:depId", summary: "Remove a dependency", tag: "Tasks", params: DependencyParams, response: z.object({ deleted: z.literal(true), id: z.string() }) }),
  taskTree: route({ method: "GET", path: "/api/v1/tasks/:id/tree", summary: "The task and its subtasks, nested, with progress and the edges among them", tag: "Tasks", params: IdParams, response: TaskTreeResponse }),
  taskGraph: route({ method: "GET", path: "/api/v1/tasks/:id/graph", summary: "Nodes, edges, the critical path by expected hours, each task's slack, total hours", tag: "Tasks", params: IdParams, response: GraphSchema }),
  executeTask: route({ method: "POST", path: "/api/v1/tasks/:id/execute", summary: "Run a root's tree: ready leaves become sessions, finished ones merge into the integration branch", tag: "Tasks", params: IdParams, body: ExecuteBody, response: TaskSchema, status: 202 }),
  cancelTask: route({ method: "POST", path: "/api/v1/tasks/:id/cancel", summary: "Stop a tree: running sessions stop, what has not started is cancelled", tag: "Tasks", params: IdParams, body: EmptyBody, response: CancelTaskResponse }),

  createContext: route({ method: "POST", path: "/api/v1/contexts", summary: "Create a context (session, agent, global or temporary), version 1", tag: "Contexts", body: CreateContextBody, response: ContextSchema, status: 201 }),
  listContexts: route({ method: "GET", path: "/api/v1/contexts", summary: "List contexts by scope, session, agent or name, newest first", tag: "Contexts", query: ListContextsQuery, response: pageOf(ContextSchema) }),
  mergeContexts: route({ method: "POST", path: "/api/v1/contexts/merge", summary: "Merge a source context into a target (last_write_wins, deep_merge, prefer_source, prefer_target, manual): the target's next version, or 409 with the conflicting keys", tag: "Contexts", body: MergeContextsBody, response: ContextSchema }),
  getContext: route({ method: "GET", path: "/api/v1/contexts/:id", summary: "One context with its data and version", tag: "Contexts", params: IdParams, response: ContextSchema }),
  patchContext: route({ method: "PATCH", path: "/api/v1/contexts/:id", summary: "Replace or deep-merge the data, or rename; with expectedVersion, 409 (both versions, changed keys) when it moved on", tag: "Contexts", params: IdParams, body: PatchContextBody, response: ContextSchema }),
  deleteContext: route({ method: "DELETE", path: "/api/v1/contexts/:id", summary: "Delete a context", tag: "Contexts", params: IdParams, query: VersionQuery, response: DeletedContextSchema }),
  getContextKey: route({ method: "GET", path: "/api/v1/contexts/:id/keys/:path", summary: "The value at a dot path (a.b.0.c; \\. is a literal dot)", tag: "Contexts", params: ContextKeyParams, response: ContextKeySchema }),
  putContextKey: route({ method: "PUT", path: "/api/v1/contexts/:id/keys/:path", summary: "Set the value at a dot path (missing objects are created), version + 1", tag: "Contexts", params: ContextKeyParams, body: PutContextKeyBody, response: ContextSchema }),
  deleteContextKey: route({ method: "DELETE", path: "/api/v1/contexts/:id/keys/:path", summary: "Remove the value at a dot path, version + 1", tag: "Contexts", params: ContextKeyParams, query: VersionQuery, response: ContextSchema }),
  diffContexts: route({ method: "GET", path: "/api/v1/contexts/:id/diff/:otherId", summary: "What changes from the first context to the second: added, modified, deleted dot paths with values", tag: "Contexts", params: DiffParams, response: ContextDiffSchema }),
  shareContext: route({ method: "POST", path: "/api/v1/contexts/:id/share", summary: "Copy a session's context into another session", tag: "Contexts", params: IdParams, body: ShareContextBody, response: ContextSchema, status: 201 }),
  promoteContext: route({ method: "POST", path: "/api/v1/contexts/:id/promote", summary: "Make a context global (in place, version + 1)", tag: "Contexts", params: IdParams, body: PromoteContextBody, response: ContextSchema }),

  listTenants: route({ method: "GET", path: "/api/v1/tenants", summary: "List tenants, oldest first (admin; authentication is off: every caller is)", tag: "Tenants", query: ListTenantsQuery, response: pageOf(TenantSchema) }),
  createTenant: route({ method: "POST", path: "/api/v1/tenants", summary: "Create a tenant (slug made from the name when absent; 409 when taken)", tag: "Tenants", body: CreateTenantBody, response: TenantSchema, status: 201 }),
  getTenant: route({ method: "GET", path: "/api/v1/tenants/:id", summary: "One tenant with its quota and budgets", tag: "Tenants", params: IdParams, response: TenantSchema }),
  patchTenant: route({ method: "PATCH", path: "/api/v1/tenants/:id", summary: "Change name, concurrent-session quota, monthly token and cost budgets (null: none), active; admission applies it at once", tag: "Tenants", params: IdParams, body: PatchTenantBody, response: TenantSchema }),
  tenantUsage: route({ method: "GET", path: "/api/v1/tenants/:id/usage", summary: "This month's tokens and cost, running/queued/pending sessions against the quota, and whether admission is open (and why not)", tag: "Tenants", params: IdParams, response: TenantUsageSchema }),

  me: route({ method: "GET", path: "/api/v1/me", summary: "The caller: the tenant it acts in, its role, key and user", tag: "Access", response: MeSchema }),
  login: route({ method: "POST", path: "/api/v1/auth/login", summary: "Sign in to the dashboard with an API key: sets the HttpOnly session cookie and answers /me", tag: "Access", body: LoginBody, response: MeSchema }),
  logout: route({ method: "POST", path: "/api/v1/auth/logout", summary: "Sign out: clears the session cookie", tag: "Access", body: EmptyBody, response: LogoutSchema }),
  createApiKey: route({ method: "POST", path: "/api/v1/api-keys", summary: "Create an API key; the key itself is in this answer only", tag: "Access", body: CreateApiKeyBody, response: ApiKeyCreatedSchema, status: 201 }),
  listApiKeys: route({ method: "GET", path: "/api/v1/api-keys", summary: "The tenant's API keys (prefix, role, last use; never the key)", tag: "Access", query: ListApiKeysQuery, response: pageOf(ApiKeySchema) }),
  revokeApiKey: route({ method: "DELETE", path: "/api/v1/api-keys/:id", summary: "Revoke a key at once, on every replica (its open WebSockets are closed)", tag: "Access", params: IdParams, response: ApiKeySchema }),
  listUsers: route({ method: "GET", path: "/api/v1/users", summary: "The tenant's users", tag: "Access", query: ListUsersQuery, response: pageOf(UserSchema) }),
  createUser: route({ method: "POST", path: "/api/v1/users", summary: "Add a user (keys made for the user act with its role unless narrower)", tag: "Access", body: CreateUserBody, response: UserSchema, status: 201 }),
  patchUser: route({ method: "PATCH", path: "/api/v1/users/:id", summary: "Change a user's name, email or role (its keys follow at once)", tag: "Access", params: IdParams, body: PatchUserBody, response: UserSchema }),
  deleteUser: route({ method: "DELETE", path: "/api/v1/users/:id", summary: "Remove a user and revoke every key of it", tag: "Access", params: IdParams, response: z.object({ deleted: z.literal(true), id: z.string(), revokedKeys: z.number().int() }) }),
  listAudit: route({ method: "GET", path: "/api/v1/audit", summary: "Who did what: every mutating request and session action, newest first", tag: "Access", query: ListAuditQuery, response: pageOf(AuditEntrySchema) }),
} as const satisfies Record<string, RouteDef>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
export { ErrorEnvelope };
