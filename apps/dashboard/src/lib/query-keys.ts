/**
 * Every query key of the dashboard, in one place (mutations and live frames
 * invalidate by these prefixes). Keys name what is read, never a counter:
 * a changed counter would start another request and keep another cached
 * copy; live frames mark the one key stale instead (lib/stale-keys.ts).
 */
export const qk = {
  health: ["health"] as const,
  ready: ["ready"] as const,
  sessionStats: ["sessions", "stats"] as const,
  sessions: (q: object) => ["sessions", "list", q] as const,
  session: (id: string) => ["session", id] as const,
  sessionCheckpoints: (id: string) => ["session", id, "checkpoints"] as const,
  sessionVerify: (id: string) => ["session", id, "verify"] as const,
  sessionDiff: (id: string) => ["session", id, "diff"] as const,
  sessionTree: (id: string) => ["session", id, "tree"] as const,
  agents: (q: object) => ["agents", "list", q] as const,
  agentStats: ["agents", "stats"] as const,
  agent: (id: string) => ["agent", id] as const,
  agentPerformance: (id: string) => ["agent", id, "performance"] as const,
  runners: ["runners"] as const,
  tasks: (q: object) => ["tasks", "list", q] as const,
  task: (id: string) => ["task", id] as const,
  taskTree: (id: string) => ["task", id, "tree"] as const,
  taskGraph: (id: string) => ["task", id, "graph"] as const,
  templates: ["tasks", "templates"] as const,
  contexts: (q: object) => ["contexts", "list", q] as const,
  context: (id: string) => ["context", id] as const,
  me: ["me"] as const,
  tenants: ["tenants"] as const,
  tenant: (id: string) => ["tenant", id] as const,
  users: ["users"] as const,
  apiKeys: ["api-keys"] as const,
  audit: (q: object) => ["audit", q] as const,
  tenantUsage: (id: string) => ["tenant-usage", id] as const,
  inbox: (q: object) => ["inbox", "list", q] as const,
  inboxCount: ["inbox", "count"] as const,
};
