import { randomUUID } from "node:crypto";
import {
  complexityOf,
  DEFAULT_AGENT_SANDBOX,
  DEFAULT_RETRY_POLICY,
  emptyTokenTotals,
  heuristicEstimate,
} from "@industrial/core";
import { appendTierChange, insertAgent } from "../agents";
import { insertApiKey } from "../api-keys";
import { insertAuditEntry } from "../audit";
import { appendCheckpoint } from "../checkpoints";
import { insertContext } from "../contexts";
import type { Database } from "../database";
import { insertRunner } from "../runners";
import { insertSession, type NewSession } from "../sessions";
import { insertDependency, insertTasks } from "../tasks";
import { insertTenant, type NewTenant } from "../tenants";
import { insertUser } from "../users";

/** What one tenant of the fixture owns: a row (or a parent of rows) in every tenant-owned table. */
export interface TenantRows {
  tenantId: string;
  runnerId: string;
  agentId: string;
  sessionId: string;
  attemptId: string;
  contextId: string;
  /** Root, first leaf, second leaf (depends on the first). */
  taskIds: [string, string, string];
  userId: string;
}

/** A tenant named and slugged `slug`, with the defaults a new tenant gets: no budgets, every model, active. */
export const newTenant = (slug: string, over: Partial<NewTenant> = {}): NewTenant => ({
  name: slug,
  slug,
  maxConcurrentSessions: 10,
  weight: 1,
  monthlyTokenBudget: null,
  monthlyCostBudgetUsd: null,
  active: true,
  allowedModels: null,
  ...over,
});

/** A checkpoint of attempt 1 taken by hand: no message, no commit, no change, nothing spent. */
export const emptyManualCheckpoint = () => ({
  attempt: 1,
  trigger: "manual" as const,
  openCodeMessageId: null,
  gitCommit: null,
  diffStat: { files: 0, additions: 0, deletions: 0 },
  tokens: emptyTokenTotals(),
  costUsd: 0,
});

export const newSession = (tenantId: string, over: Partial<NewSession> = {}): NewSession => ({
  tenantId,
  title: "t",
  prompt: "p",
  type: "execution",
  priority: "medium",
  requiredCapabilities: [],
  preferredAgentId: null,
  workspace: { repository: null, baseRef: "HEAD", baseCommit: null, branch: null, path: null, directory: null },
  model: null,
  parentSessionId: null,
  taskId: null,
  maxDurationSeconds: 3600,
  retry: DEFAULT_RETRY_POLICY,
  budget: {},
  tags: [],
  metadata: {},
  createdBy: null,
  held: false,
  ...over,
});

/**
 * A tenant with a row in every tenant-owned table, written through the owner
 * connection: runner, agent (+ tier history), session (+ events, an attempt,
 * a checkpoint, an input request), context (+ its change log), two tasks and an edge, a user,
 * an API key and an audit entry.
 */
export async function seedTenant(db: Database, slug: string): Promise<TenantRows> {
  const tenant = await insertTenant(db, newTenant(slug));
  const tenantId = tenant.id;
  const runner = await insertRunner(db, {
    tenantId,
    name: `${slug}-remote`,
    kind: "remote",
    url: "http://127.0.0.1:9",
    ownerReplica: null,
    health: "unhealthy",
  });
  const agent = await insertAgent(
    db,
    {
      tenantId,
      name: `${slug}-agent`,
      type: "implementer",
      capabilities: [],
      model: null,
      openCodeAgent: "build",
      systemPrompt: null,
      temperature: null,
      permissions: [],
      maxConcurrent: 2,
      runnerId: runner.id,
      sandbox: DEFAULT_AGENT_SANDBOX,
    },
    60,
  );
  await appendTierChange(db, agent, { from: null, to: agent.tier, finished: 0, successRate: 0, reason: "registered" });
  const { session } = await db.transaction((tx) =>
    insertSession(tx, newSession(tenantId, { title: `${slug} session`, preferredAgentId: agent.id })),
  );
  const attemptId = randomUUID();
  await db.query(
    "INSERT INTO attempts (id, session_id, number, fencing_token, agent_id, runner_id, status) VALUES ($1, $2, 1, 1, $3, $4, 'failed')",
    [attemptId, session.id, agent.id, runner.id],
  );
  await db.transaction((tx) => appendCheckpoint(tx, session, emptyManualCheckpoint()));
  // An input request of the session's attempt, as the lease holder records one (without its event: the seed's log stays as tests expect it).
  await db.query(
    `INSERT INTO input_requests (id, tenant_id, session_id, attempt, agent_id, kind, open_code_request_id, open_code_session_id, payload)
     VALUES ($1, $2, $3, 1, $4, 'permission', $5, 'ses_seed', '{"name":"edit","patterns":["*"]}')`,
    [randomUUID(), tenantId, session.id, agent.id, `per_${slug}`],
  );
  const context = await insertContext(db, {
    tenantId,
    scope: "session",
    sessionId: session.id,
    agentId: null,
    name: null,
    data: { owner: slug },
    expiresAt: null,
  });
  // A root and two leaves, the second depending on the first.
  const taskIds: [string, string, string] = [randomUUID(), randomUUID(), randomUUID()];
  const estimate = heuristicEstimate(2);
  await insertTasks(
    db,
    taskIds.map((id, position) => ({
      id,
      tenantId,
      parentTaskId: position === 0 ? null : taskIds[0],
      rootTaskId: taskIds[0],
      position,
      title: `${slug} task ${position}`,
      description: "",
      type: "execution" as const,
      status: "pending" as const,
      priority: "medium" as const,
      requiredCapabilities: [],
      estimate,
      complexity: complexityOf(estimate.expected),
      createdBy: null,
    })),
  );
  await insertDependency(db, { tenantId, taskId: taskIds[2], dependsOnTaskId: taskIds[1], type: "finish_to_start" });
  const user = await insertUser(db, { tenantId, name: slug, email: `${slug}@example.test`, role: "member" });
  const key = await insertApiKey(db, {
    tenantId,
    userId: user.id,
    name: `${slug} key`,
    role: "member",
    prefix: `${slug}${randomUUID().slice(0, 8)}`,
    keyHash: "not-a-real-hash",
    createdBy: null,
    expiresAt: null,
  });
  await insertAuditEntry(db, {
    tenantId,
    keyId: key.id,
    userId: user.id,
    actor: `user:${user.id}`,
    action: "session.create",
    target: `session:${session.id}`,
    status: 201,
    requestId: "req-1",
  });
  return {
    tenantId,
    runnerId: runner.id,
    agentId: agent.id,
    sessionId: session.id,
    attemptId,
    contextId: context.id,
    taskIds,
    userId: user.id,
  };
}
