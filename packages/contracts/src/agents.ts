import { z } from "zod";
import {
  AGENT_STATUSES,
  AGENT_TYPES,
  BREAKER_STATES,
  DEFAULT_INPUT_TIMEOUT_SECONDS,
  MAX_FALLBACK_MODELS,
  MAX_INPUT_TIMEOUT_SECONDS,
  PERMISSION_ACTIONS,
  SESSION_STATUSES,
  TIERS,
} from "@industrial/core";
import { AgentSandboxChange, AgentSandboxSchema } from "./agent-sandbox";
import { multiValue, PaginationQuery, QueryFlag, text, Uuid } from "./common";
import { CapabilitySchema, ModelRef, SessionTypeSchema } from "./sessions";

// The sandbox policy lives in its own module; re-exported here so the OpenAPI document names its schemas with the agents'.
export { AgentSandboxChange, AgentSandboxSchema, SandboxMountSchema, type AgentSandboxView } from "./agent-sandbox";

export const AgentTypeSchema = z.enum(AGENT_TYPES);
export const TierSchema = z.enum(TIERS);

const AgentName = z.string().regex(/^[A-Za-z0-9_-]{3,64}$/, { error: "must be 3–64 letters, digits, - or _" });
/** An OpenCode agent: a built-in (build, plan) or one defined in the runner's OpenCode config. */
const OpenCodeAgentName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "must be an OpenCode agent name (letters, digits, . - _)" });

export const PermissionRuleSchema = z.strictObject({
  permission: z
    .string()
    .regex(/^[a-z_*]{1,64}$/, { error: "must be an OpenCode permission (edit, bash, read, webfetch, … or *)" }),
  pattern: text(1, 512).default("*"),
  action: z.enum(PERMISSION_ACTIONS),
});

/**
 * Fallback models, tried in order when the current model keeps failing
 * (docs/input-requests.md §3, Model fallback). A model twice would only fail
 * twice: a duplicate is named by its index (body.fallbackModels.2).
 */
const FallbackModels = z
  .array(ModelRef)
  .max(MAX_FALLBACK_MODELS, { error: `at most ${MAX_FALLBACK_MODELS} fallback models` })
  .superRefine((models, ctx) => {
    models.forEach((m, i) => {
      if (models.indexOf(m) !== i) ctx.addIssue({ code: "custom", path: [i], message: `${m} is listed twice` });
    });
  });

const AgentFields = {
  name: AgentName,
  type: AgentTypeSchema,
  /** Added to the type's default capability set. */
  capabilities: z.array(CapabilitySchema).max(26),
  model: ModelRef.nullable(),
  openCodeAgent: OpenCodeAgentName,
  systemPrompt: text(1, 20_000).nullable(),
  /** A multiple of 0.05, with openCodeAgent build only (checked with the agent's other fields by the service). */
  temperature: z.number().min(0).max(2).nullable(),
  permissions: z.array(PermissionRuleSchema).max(64),
  maxConcurrent: z.number().int().min(1).max(50),
  /** A registered remote runner; null or absent: a managed runner of the replica that runs the session. */
  runnerId: Uuid.nullable(),
  /** Merged over the defaults (create) or the agent's current policy (PATCH); mounts need the admin role. */
  sandbox: AgentSandboxChange,
  /** OpenCode's question tool asks a person (an input request) instead of being denied. */
  allowQuestions: z.boolean(),
  /** Seconds an input request waits for an answer before it is rejected; 0: forever. */
  inputTimeoutSeconds: z.number().int().min(0).max(MAX_INPUT_TIMEOUT_SECONDS),
  fallbackModels: FallbackModels,
};

export const CreateAgentBody = z.strictObject({
  name: AgentFields.name,
  type: AgentFields.type,
  capabilities: AgentFields.capabilities.default([]),
  model: AgentFields.model.optional(),
  openCodeAgent: AgentFields.openCodeAgent.default("build"),
  systemPrompt: AgentFields.systemPrompt.optional(),
  temperature: AgentFields.temperature.optional(),
  permissions: AgentFields.permissions.default([]),
  maxConcurrent: AgentFields.maxConcurrent.default(2),
  runnerId: AgentFields.runnerId.optional(),
  sandbox: AgentFields.sandbox.optional(),
  allowQuestions: AgentFields.allowQuestions.default(false),
  inputTimeoutSeconds: AgentFields.inputTimeoutSeconds.default(DEFAULT_INPUT_TIMEOUT_SECONDS),
  fallbackModels: AgentFields.fallbackModels.default([]),
});
export type CreateAgentBody = z.input<typeof CreateAgentBody>;

export const PatchAgentBody = z
  .strictObject({
    ...AgentFields,
    /** Replaces the capability set (a type change keeps the set unless capabilities are given). */
    capabilities: AgentFields.capabilities,
    /** Bring a drained or offline agent back (active), or take it out (offline); draining has its own action. */
    status: z.enum(["active", "offline"]),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { error: "give at least one field to change" });
export type PatchAgentBody = z.input<typeof PatchAgentBody>;

export const MaintenanceBody = z.strictObject({ enabled: z.boolean(), reason: text(1, 500).optional() });
export const DeleteAgentQuery = z.strictObject({ force: QueryFlag.default(false) });

export const ListAgentsQuery = z.strictObject({
  ...PaginationQuery,
  type: multiValue(AgentTypeSchema),
  capability: multiValue(CapabilitySchema),
  tier: multiValue(TierSchema),
  status: multiValue(z.enum(AGENT_STATUSES)),
  available: QueryFlag.optional(),
});

export const BreakerSchema = z.object({
  /** At the time of the answer: an open breaker whose cooldown passed reads half_open. */
  state: z.enum(BREAKER_STATES),
  consecutiveFailures: z.number().int(),
  recent: z.array(z.boolean()),
  openedAt: z.string().nullable(),
  reopensAt: z.string().nullable(),
  cooldownSeconds: z.number(),
  trialInFlight: z.boolean(),
});

const CapabilityRecord = z.object({ finished: z.number().int(), succeeded: z.number().int() });
export const AgentStatsSchema = z.object({
  finished: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  successRate: z.number(),
  avgDurationSeconds: z.number(),
  avgTokens: z.number(),
  avgCostUsd: z.number(),
  perCapability: z.record(z.string(), CapabilityRecord),
});

export const AgentSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  name: z.string(),
  type: AgentTypeSchema,
  capabilities: z.array(z.string()),
  model: z.string().nullable(),
  openCodeAgent: z.string(),
  systemPrompt: z.string().nullable(),
  temperature: z.number().nullable(),
  permissions: z.array(z.object({ permission: z.string(), pattern: z.string(), action: z.enum(PERMISSION_ACTIONS) })),
  maxConcurrent: z.number().int(),
  runnerId: z.string().nullable(),
  sandbox: AgentSandboxSchema,
  allowQuestions: z.boolean(),
  /** 0: an input request waits forever. */
  inputTimeoutSeconds: z.number().int(),
  /** Tried in order after the agent's model (or the session's) keeps failing. */
  fallbackModels: z.array(z.string()),
  status: z.enum(AGENT_STATUSES),
  maintenance: z.boolean(),
  maintenanceReason: z.string().nullable(),
  lastHeartbeatAt: z.string().nullable(),
  stats: AgentStatsSchema,
  /** Per model ("provider/model"): routing's cost score prices the model a session will run on with these (README, Routing). */
  costByModel: z.record(
    z.string(),
    z.object({
      attempts: z.number().int().describe("attempts that ran to their end (succeeded or failed) on this model"),
      avgCostUsd: z.number().describe("their mean cost on this model"),
      switchedAwayAt: z
        .string()
        .nullable()
        .describe("when an attempt last switched away from this model to a fallback"),
    }),
  ),
  tier: TierSchema,
  breaker: BreakerSchema,
  /** Sessions it runs now (running or degraded). */
  running: z.number().int(),
  /** Routable now for a session its capabilities fit: active, not in maintenance, breaker admitting, a free slot. */
  available: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AgentView = z.infer<typeof AgentSchema>;

export const RouteBody = z.strictObject({
  type: SessionTypeSchema.default("execution"),
  requiredCapabilities: z.array(CapabilitySchema).max(26).default([]),
  preferredAgentId: Uuid.optional(),
  /** The session's own model: the cost score prices it (with each agent's fallbacks) instead of each agent's model. */
  model: ModelRef.optional(),
});

export const ScoreBreakdownSchema = z.object({
  tier: z.number(),
  capabilitySuccess: z.number(),
  load: z.number(),
  cost: z.number(),
  affinity: z.number(),
  /** 0.35·tier + 0.25·capabilitySuccess + 0.20·load + 0.10·cost + 0.10·affinity */
  total: z.number(),
});
const Alternative = z.object({ agentId: Uuid, agentName: z.string(), score: ScoreBreakdownSchema });
export const RouteDecisionSchema = z.object({
  agentId: Uuid.nullable(),
  agentName: z.string().nullable(),
  score: ScoreBreakdownSchema.nullable(),
  alternatives: z.array(Alternative),
  reason: z.string(),
  excluded: z.array(z.object({ agentId: Uuid, agentName: z.string(), why: z.string() })),
});

export const AgentPerformanceSchema = z.object({
  agentId: Uuid,
  name: z.string(),
  tier: TierSchema,
  stats: AgentStatsSchema,
  breaker: BreakerSchema,
  perCapability: z.array(
    z.object({
      capability: z.string(),
      finished: z.number().int(),
      succeeded: z.number().int(),
      successRate: z.number(),
    }),
  ),
  tierHistory: z.array(
    z.object({
      at: z.string(),
      from: TierSchema.nullable(),
      to: TierSchema,
      finished: z.number().int(),
      successRate: z.number(),
      reason: z.string(),
    }),
  ),
  recentSessions: z.array(
    z.object({
      sessionId: Uuid,
      title: z.string(),
      attempt: z.number().int(),
      status: z.enum(SESSION_STATUSES),
      attemptStatus: z.string(),
      startedAt: z.string(),
      finishedAt: z.string().nullable(),
      durationSeconds: z.number().nullable(),
      tokens: z.number(),
      costUsd: z.number(),
      error: z.string().nullable(),
    }),
  ),
});

export const AgentFleetStatsSchema = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byTier: z.record(z.string(), z.number().int()),
  byType: z.record(z.string(), z.number().int()),
  available: z.number().int(),
  inMaintenance: z.number().int(),
  breakersOpen: z.number().int(),
  running: z.number().int(),
  capacity: z.number().int(),
  /** running / capacity over agents that take work (0 when none do). */
  utilization: z.number(),
  finished: z.number().int(),
  succeeded: z.number().int(),
  successRate: z.number().nullable(),
});
