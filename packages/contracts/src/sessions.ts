import { z } from "zod";
import {
  CAPABILITIES,
  CHECKPOINT_TRIGGERS,
  isRepositoryUrl,
  parseRepositoryLocation,
  PRIORITIES,
  PUSH_TARGETS,
  SESSION_ACTIONS,
  SESSION_STATUSES,
  SESSION_TYPES,
  type Session,
} from "@industrial/core";
import { IdParams, IsoDate, JsonValue, multiValue, PaginationQuery, text, TokenTotalsSchema, Uuid } from "./common";
import { InboxItemSchema } from "./inbox";

export const SessionStatusSchema = z.enum(SESSION_STATUSES);
export const PrioritySchema = z.enum(PRIORITIES);
export const SessionTypeSchema = z.enum(SESSION_TYPES);
export const CapabilitySchema = z.enum(CAPABILITIES);

const DiffStat = z.object({ files: z.number().int(), additions: z.number().int(), deletions: z.number().int() });

export const RetryPolicySchema = z.strictObject({
  maxAttempts: z.number().int().min(1).max(10),
  backoffBaseSeconds: z.number().min(0).max(86_400),
  backoffFactor: z.number().min(1).max(10),
  jitter: z.number().min(0).max(1),
});

export const BudgetSchema = z.strictObject({
  maxTokens: z.number().int().positive().optional(),
  maxCostUsd: z.number().positive().optional(),
});

const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith("/"), { error: "must be an absolute path" })
  .refine((p) => !p.includes("\0"), { error: "must not contain a NUL byte" });

/**
 * A git repository: an absolute path, or a git URL (`file://`, `git://`,
 * `http(s)://`, `ssh://`, `user@host:path`) without credentials in it.
 * Which ones a tenant may use is decided on the server (workspace roots, allowed prefixes).
 */
export const RepositoryTarget = z
  .string()
  .min(1)
  .max(4096)
  .superRefine((v, ctx) => {
    const r = parseRepositoryLocation(v);
    if (!r.ok) ctx.addIssue({ code: "custom", message: r.reason });
  });
export const PushTargetSchema = z.enum(PUSH_TARGETS);

const Tags = z.array(z.string().trim().min(1).max(64)).max(32);
const Metadata = z.record(z.string().max(128), JsonValue).refine((m) => JSON.stringify(m).length <= 16_384, {
  error: "metadata must serialise to at most 16 KiB",
});

export const ModelRef = z.string().regex(/^[\w.-]+\/[\w.:@/-]+$/, { error: "must be provider/model" });

export const CreateSessionBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    prompt: text(1, 100_000),
    type: SessionTypeSchema.default("execution"),
    priority: PrioritySchema.default("medium"),
    requiredCapabilities: z.array(CapabilitySchema).max(CAPABILITIES.length).default([]),
    preferredAgentId: Uuid.optional(),
    repository: RepositoryTarget.optional(),
    baseRef: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^\s~^:?*[\\]+$/, { error: "is not a valid git ref" })
      .optional(),
    /** Where checkpoints are pushed: `origin` (the URL repository itself; the default for URLs) or `work` (ORCHESTRATOR_WORK_REMOTE; always for paths). */
    pushTo: PushTargetSchema.optional(),
    directory: absolutePath.optional(),
    model: ModelRef.optional(),
    maxDurationSeconds: z.number().int().min(5).max(86_400).default(3600),
    retry: RetryPolicySchema.partial().optional(),
    budget: BudgetSchema.optional(),
    parentSessionId: Uuid.optional(),
    tags: Tags.default([]),
    metadata: Metadata.default({}),
    start: z.boolean().default(true),
  })
  .superRefine((b, ctx) => {
    if (b.repository && b.directory)
      ctx.addIssue({ code: "custom", path: ["directory"], message: "give either repository or directory, not both" });
    if (b.baseRef && !b.repository)
      ctx.addIssue({ code: "custom", path: ["baseRef"], message: "baseRef needs a repository" });
    if (b.pushTo === "origin" && !(b.repository && isRepositoryUrl(b.repository)))
      ctx.addIssue({
        code: "custom",
        path: ["pushTo"],
        message:
          "origin needs a repository given by URL (paths, directories and scratch sessions push to the work remote)",
      });
  });
export type CreateSessionBody = z.input<typeof CreateSessionBody>;

export const PatchSessionBody = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    priority: PrioritySchema,
    tags: Tags,
    metadata: Metadata,
    maxDurationSeconds: z.number().int().min(5).max(86_400),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { error: "give at least one field to change" });

export const SESSION_SORTS = ["-createdAt", "createdAt", "-statusUpdatedAt", "statusUpdatedAt"] as const;

export const ListSessionsQuery = z.strictObject({
  ...PaginationQuery,
  status: multiValue(SessionStatusSchema),
  priority: multiValue(PrioritySchema),
  type: multiValue(SessionTypeSchema),
  agentId: Uuid.optional(),
  taskId: Uuid.optional(),
  tag: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
  createdAfter: IsoDate.optional(),
  createdBefore: IsoDate.optional(),
  sort: z.enum(SESSION_SORTS).default("-createdAt"),
});

export const RetryBody = z
  .strictObject({
    fromCheckpoint: z.number().int().min(1).optional(),
    fresh: z.boolean().optional(),
  })
  .refine((b) => !(b.fresh && b.fromCheckpoint), { error: "fresh and fromCheckpoint exclude each other" })
  .default({});

export const MessageBody = z.strictObject({ text: text(1, 100_000) });
export const EmptyBody = z.strictObject({}).optional();

/** An event's seq is a PostgreSQL `integer`. */
const MAX_SEQ = 2_147_483_647;

export const EventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).max(MAX_SEQ).default(0),
  /** Only events before this seq (exclusive): with `order=desc`, the page before the oldest one a client holds. */
  before: z.coerce.number().int().min(1).max(MAX_SEQ).optional(),
  /** `desc`: the newest `limit` events of the range, newest first (a log's tail, then earlier pages); `asc`: from the oldest, in order. */
  order: z.enum(["asc", "desc"]).default("asc"),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const CheckpointParams = z.strictObject({ id: Uuid, seq: z.coerce.number().int().min(1) });
export { IdParams };

export const WorkspaceSchema = z.object({
  repository: z.string().nullable(),
  baseRef: z.string(),
  baseCommit: z.string().nullable(),
  branch: z.string().nullable(),
  path: z.string().nullable(),
  directory: z.string().nullable(),
  /** Where its checkpoints are pushed: the URL repository itself, or the work remote; absent on sessions made before URLs (work). */
  pushTo: PushTargetSchema.optional(),
});

/** One model's share of a session's usage (docs/input-requests.md §3, Model fallback). */
export const ModelUsageSchema = z.object({
  tokens: TokenTotalsSchema,
  costUsd: z.number(),
  modelCalls: z.number().int(),
});

export const SessionMetricsSchema = z.object({
  tokens: TokenTotalsSchema,
  costUsd: z.number(),
  modelCalls: z.number().int(),
  byModel: z
    .record(z.string(), ModelUsageSchema)
    .optional()
    .describe(
      'tokens, cost and model calls per model that answered, keyed "provider/model"; they add up to the totals (absent on sessions that ran before models were told apart)',
    ),
  toolCalls: z.record(z.string(), z.number().int()),
  toolErrors: z.number().int(),
  filesChanged: z.number().int(),
  linesAdded: z.number().int(),
  linesRemoved: z.number().int(),
  queueWaitSeconds: z.number(),
  runSeconds: z.number(),
  checkpoints: z.number().int(),
  attempts: z.number().int(),
});

export const SessionSchema = z.object({
  id: Uuid,
  tenantId: Uuid,
  title: z.string(),
  prompt: z.string(),
  type: SessionTypeSchema,
  priority: PrioritySchema,
  status: SessionStatusSchema,
  statusReason: z.string().nullable(),
  requiredCapabilities: z.array(z.string()),
  preferredAgentId: z.string().nullable(),
  agentId: z.string().nullable(),
  workspace: WorkspaceSchema,
  model: z.string().nullable(),
  parentSessionId: z.string().nullable(),
  taskId: z.string().nullable(),
  maxDurationSeconds: z.number().int(),
  retry: RetryPolicySchema,
  attempt: z.number().int(),
  notBefore: z.string().nullable(),
  budget: z.object({ maxTokens: z.number().optional(), maxCostUsd: z.number().optional() }),
  tags: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  queuedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  statusUpdatedAt: z.string(),
  metrics: SessionMetricsSchema,
  result: z.object({ summary: z.string(), filesChanged: z.array(z.string()), diffStat: DiffStat }).nullable(),
  error: z.object({ code: z.string(), message: z.string(), retryable: z.boolean() }).nullable(),
  requestedAction: z.enum(SESSION_ACTIONS).nullable(),
  lastEventSeq: z.number().int(),
  healthScore: z.number().min(0).max(1),
  /** Its open input requests, oldest first (docs/input-requests.md): what OpenCode waits for a person to answer. */
  pendingInput: z.array(InboxItemSchema),
});
export type SessionView = z.infer<typeof SessionSchema>;
// The wire shape is the domain session plus derived fields; this line fails to compile if they drift.
export const _sessionShapeCheck: (s: SessionView) => Session = (s) =>
  s as Omit<SessionView, "healthScore" | "pendingInput"> as Session;

export const CheckpointSchema = z.object({
  sessionId: Uuid,
  seq: z.number().int(),
  attempt: z.number().int(),
  trigger: z.enum(CHECKPOINT_TRIGGERS),
  openCodeMessageId: z.string().nullable(),
  gitCommit: z.string().nullable(),
  diffStat: DiffStat,
  tokens: TokenTotalsSchema,
  costUsd: z.number(),
  createdAt: z.string(),
  previousHash: z.string().nullable(),
  hash: z.string(),
  /** The checkpoint's commit is on the work remote at its checkpoint ref since `at`; null: not yet pushed. */
  pushed: z.object({ remote: z.string().describe("the work remote, credentials masked"), at: z.string() }).nullable(),
});

export const ChainVerificationSchema = z.object({
  intact: z.boolean(),
  checked: z.number().int(),
  brokenAt: z.number().int().optional(),
  reason: z.string().optional(),
  /** Each checkpoint's commit looked for at `refs/orchestrator/checkpoints/<short>/<seq>` on the work remote. */
  remote: z
    .object({
      url: z.string().describe("the work remote, credentials masked"),
      reachable: z.boolean().describe("false: it could not be listed, and the counts are what the database recorded"),
      pushed: z.number().int(),
      notYetPushed: z.array(z.number().int()).describe("seqs whose push is still to come (retried in the background)"),
      missing: z.array(z.number().int()).describe("seqs recorded as pushed that the remote does not hold at their ref"),
      error: z.string().optional(),
    })
    .optional(),
});

export const DiffSchema = z.object({
  baseCommit: z.string().nullable(),
  files: z.array(
    z.object({
      path: z.string(),
      /** The path before a rename; null otherwise. */
      oldPath: z.string().nullable(),
      status: z.enum(["added", "modified", "deleted", "renamed"]),
      additions: z.number().int(),
      deletions: z.number().int(),
      /** `git diff` of this file from its `diff --git` line; cut at the server's patch limit (`truncated`), only a note for a binary file. */
      patch: z.string(),
      binary: z.boolean(),
      truncated: z.boolean(),
    }),
  ),
  stat: DiffStat,
});

export const SessionTreeSchema = z.object({
  session: SessionSchema,
  parent: SessionSchema.nullable(),
  children: z.array(SessionSchema),
});

const Percentiles = z.object({ p50: z.number().nullable(), p95: z.number().nullable() });
export const SessionStatsSchema = z.object({
  total: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  byType: z.record(z.string(), z.number().int()),
  byPriority: z.record(z.string(), z.number().int()),
  queueDepth: z.number().int(),
  queueWaitSeconds: Percentiles,
  runSeconds: Percentiles,
  tokens: TokenTotalsSchema,
  costUsd: z.number(),
});
