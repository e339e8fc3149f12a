import type {
  Agent,
  Attempt,
  Context,
  Runner,
  Session,
  SessionEvent,
  StoredCheckpoint,
  Task,
  TaskDependency,
  Tenant,
} from "@industrial/core";

// One fromRow per table: the only place snake_case columns become domain objects.

type Row = Record<string, unknown>;
export const iso = (v: unknown): string | null =>
  v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
export const isoRequired = (v: unknown): string => iso(v) ?? new Date(0).toISOString();

export function sessionFromRow(r: Row): Session {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    title: r.title as string,
    prompt: r.prompt as string,
    type: r.type as Session["type"],
    priority: r.priority as Session["priority"],
    status: r.status as Session["status"],
    statusReason: (r.status_reason as string | null) ?? null,
    requiredCapabilities: (r.required_capabilities as string[]) ?? [],
    preferredAgentId: (r.preferred_agent_id as string | null) ?? null,
    agentId: (r.agent_id as string | null) ?? null,
    workspace: r.workspace as Session["workspace"],
    model: (r.model as string | null) ?? null,
    parentSessionId: (r.parent_session_id as string | null) ?? null,
    taskId: (r.task_id as string | null) ?? null,
    maxDurationSeconds: r.max_duration_seconds as number,
    retry: r.retry_policy as Session["retry"],
    attempt: r.attempt as number,
    notBefore: iso(r.not_before),
    budget: (r.budget as Session["budget"]) ?? {},
    tags: (r.tags as string[]) ?? [],
    metadata: (r.metadata as Record<string, unknown>) ?? {},
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: isoRequired(r.created_at),
    queuedAt: iso(r.queued_at),
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    statusUpdatedAt: isoRequired(r.status_updated_at),
    metrics: r.metrics as Session["metrics"],
    result: (r.result as Session["result"]) ?? null,
    error: (r.error as Session["error"]) ?? null,
    requestedAction: (r.requested_action as Session["requestedAction"]) ?? null,
    lastEventSeq: r.last_event_seq as number,
  };
}

export function attemptFromRow(r: Row): Attempt {
  return {
    id: r.id as string,
    sessionId: r.session_id as string,
    number: r.number as number,
    fencingToken: r.fencing_token as number,
    leaseOwner: (r.lease_owner as string | null) ?? null,
    leaseExpiresAt: iso(r.lease_expires_at),
    runnerId: (r.runner_id as string | null) ?? null,
    agentId: (r.agent_id as string | null) ?? null,
    openCodeSessionId: (r.opencode_session_id as string | null) ?? null,
    usage: (r.usage as Attempt["usage"]) ?? null,
    status: r.status as Attempt["status"],
    startedAt: isoRequired(r.started_at),
    finishedAt: iso(r.finished_at),
    error: (r.error as Attempt["error"]) ?? null,
  };
}

export function eventFromRow(r: Row): SessionEvent {
  return {
    sessionId: r.session_id as string,
    seq: r.seq as number,
    type: r.type,
    payload: r.payload,
    attempt: (r.attempt as number | null) ?? null,
    ts: isoRequired(r.created_at),
    requestId: (r.request_id as string | null) ?? null,
  } as SessionEvent;
}

export function checkpointFromRow(r: Row): StoredCheckpoint {
  return {
    sessionId: r.session_id as string,
    seq: r.seq as number,
    attempt: r.attempt as number,
    trigger: r.trigger as StoredCheckpoint["trigger"],
    openCodeMessageId: (r.opencode_message_id as string | null) ?? null,
    gitCommit: (r.git_commit as string | null) ?? null,
    diffStat: r.diff_stat as StoredCheckpoint["diffStat"],
    tokens: r.tokens as StoredCheckpoint["tokens"],
    costUsd: r.cost_usd as number,
    createdAt: isoRequired(r.created_at),
    previousHash: (r.previous_hash as string | null) ?? null,
    hash: r.hash as string,
    pushed: r.pushed_at == null ? null : { remote: (r.pushed_to as string | null) ?? "", at: isoRequired(r.pushed_at) },
  };
}

export function agentFromRow(r: Row): Agent {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    name: r.name as string,
    type: r.type as Agent["type"],
    capabilities: r.capabilities as Agent["capabilities"],
    model: (r.model as string | null) ?? null,
    openCodeAgent: r.opencode_agent as string,
    systemPrompt: (r.system_prompt as string | null) ?? null,
    temperature: (r.temperature as number | null) ?? null,
    permissions: (r.permissions as Agent["permissions"]) ?? [],
    maxConcurrent: r.max_concurrent as number,
    runnerId: (r.runner_id as string | null) ?? null,
    sandbox: r.sandbox as Agent["sandbox"],
    allowQuestions: r.allow_questions as boolean,
    inputTimeoutSeconds: r.input_timeout_seconds as number,
    fallbackModels: (r.fallback_models as string[] | null) ?? [],
    status: r.status as Agent["status"],
    maintenance: r.maintenance as boolean,
    maintenanceReason: (r.maintenance_reason as string | null) ?? null,
    lastHeartbeatAt: iso(r.last_heartbeat_at),
    stats: r.stats as Agent["stats"],
    costByModel: (r.cost_by_model as Agent["costByModel"] | null) ?? {},
    tier: r.tier as Agent["tier"],
    breaker: r.breaker as Agent["breaker"],
    createdAt: isoRequired(r.created_at),
    updatedAt: isoRequired(r.updated_at),
  };
}

export function runnerFromRow(r: Row): Runner {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    name: r.name as string,
    kind: r.kind as Runner["kind"],
    url: (r.url as string | null) ?? null,
    version: (r.version as string | null) ?? null,
    health: r.health as Runner["health"],
    draining: (r.draining as boolean | null) ?? false,
    ownerReplica: (r.owner_replica as string | null) ?? null,
    lastCheckedAt: iso(r.last_checked_at),
    // bigint: the drivers return it as a string
    memoryBytes: r.memory_bytes == null ? null : Number(r.memory_bytes),
    breaker: r.breaker as Runner["breaker"],
    password: (r.password as string | null) ?? null,
    createdAt: isoRequired(r.created_at),
    deletedAt: iso(r.deleted_at),
  };
}

export function taskFromRow(r: Row): Task {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    parentTaskId: (r.parent_task_id as string | null) ?? null,
    rootTaskId: r.root_task_id as string,
    position: r.position as number,
    title: r.title as string,
    description: r.description as string,
    type: r.type as Task["type"],
    status: r.status as Task["status"],
    priority: r.priority as Task["priority"],
    requiredCapabilities: (r.required_capabilities as Task["requiredCapabilities"]) ?? [],
    estimate: r.estimate as Task["estimate"],
    complexity: r.complexity as Task["complexity"],
    sessionId: (r.session_id as string | null) ?? null,
    result: (r.result as Task["result"]) ?? null,
    error: (r.error as Task["error"]) ?? null,
    execution: (r.execution as Task["execution"]) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: isoRequired(r.created_at),
    updatedAt: isoRequired(r.updated_at),
    startedAt: iso(r.started_at),
    completedAt: iso(r.completed_at),
  };
}

export function dependencyFromRow(r: Row): TaskDependency {
  return {
    id: r.id as string,
    taskId: r.task_id as string,
    dependsOnTaskId: r.depends_on_task_id as string,
    type: r.type as TaskDependency["type"],
  };
}

export function contextFromRow(r: Row): Context {
  return {
    id: r.id as string,
    tenantId: r.tenant_id as string,
    scope: r.scope as Context["scope"],
    sessionId: (r.session_id as string | null) ?? null,
    agentId: (r.agent_id as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    data: r.data as Context["data"],
    version: r.version as number,
    createdAt: isoRequired(r.created_at),
    updatedAt: isoRequired(r.updated_at),
    expiresAt: iso(r.expires_at),
  };
}

export function tenantFromRow(r: Row): Tenant {
  return {
    id: r.id as string,
    name: r.name as string,
    slug: r.slug as string,
    maxConcurrentSessions: r.max_concurrent_sessions as number,
    weight: Number(r.weight),
    // int8 comes back as a string or a bigint depending on the driver.
    monthlyTokenBudget: r.monthly_token_budget == null ? null : Number(r.monthly_token_budget),
    monthlyCostBudgetUsd: r.monthly_cost_budget_usd == null ? null : Number(r.monthly_cost_budget_usd),
    active: r.active as boolean,
    allowedModels: (r.allowed_models as string[] | null) ?? null,
    retentionDays: r.retention_days == null ? null : Number(r.retention_days),
    allowedRepositoryPrefixes: (r.allowed_repository_prefixes as string[] | null) ?? null,
    notifyWebhookUrl: (r.notify_webhook_url as string | null) ?? null,
    // Only whether it is set: the sealed secret stays out of every Tenant (findNotifyTarget reads it to sign).
    notifyWebhookSecretSet: r.notify_webhook_secret != null,
    createdAt: isoRequired(r.created_at),
  };
}
