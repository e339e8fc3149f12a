import { z } from "zod";
import { COMPLEXITIES, DEPENDENCY_TYPES, ESTIMATE_SOURCES, TASK_STATUSES, TEMPLATE_NAMES } from "@industrial/core";
import { multiValue, PaginationQuery, QueryFlag, text, Uuid } from "./common";
import { CapabilitySchema, PrioritySchema, RepositoryTarget, SessionTypeSchema } from "./sessions";

export const TaskStatusSchema = z.enum(TASK_STATUSES);
export const DependencyTypeSchema = z.enum(DEPENDENCY_TYPES);
export const ComplexitySchema = z.enum(COMPLEXITIES);
export const TemplateNameSchema = z.enum(TEMPLATE_NAMES);

const hours = z.number().min(0).max(10_000);
/** PERT hours; expected, σ and complexity are derived. */
export const EstimateInput = z
  .strictObject({
    optimistic: hours,
    likely: hours,
    pessimistic: hours,
    confidence: z.number().min(0).max(1).optional(),
  })
  .refine((e) => e.optimistic <= e.likely && e.likely <= e.pessimistic, {
    error: "must satisfy optimistic ≤ likely ≤ pessimistic",
    path: ["likely"],
  });

export const CreateTaskBody = z.strictObject({
  title: text(1, 200),
  description: text(0, 100_000).default(""),
  type: SessionTypeSchema.default("execution"),
  priority: PrioritySchema.default("medium"),
  /** Absent: inferred from the title and description (heuristics). */
  requiredCapabilities: z.array(CapabilitySchema).max(26).optional(),
  /** Absent: estimated from the text (source `heuristic`). */
  estimate: EstimateInput.optional(),
  parentTaskId: Uuid.optional(),
});
export type CreateTaskBody = z.input<typeof CreateTaskBody>;

export const PatchTaskBody = z
  .strictObject({
    title: text(1, 200),
    description: text(0, 100_000),
    type: SessionTypeSchema,
    priority: PrioritySchema,
    requiredCapabilities: z.array(CapabilitySchema).max(26),
    estimate: EstimateInput,
    /** A person may skip a task that has not started (dependants then treat it as done) or cancel it. */
    status: z.enum(["skipped", "cancelled"]),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { error: "give at least one field to change" });
export type PatchTaskBody = z.input<typeof PatchTaskBody>;

export const ListTasksQuery = z.strictObject({
  ...PaginationQuery,
  status: multiValue(TaskStatusSchema),
  complexity: multiValue(ComplexitySchema),
  parentTaskId: Uuid.optional(),
  /** true: roots only; false: subtasks only. */
  root: QueryFlag.optional(),
});

export const AddDependencyBody = z.strictObject({
  /** The prerequisite: this task waits for it as `type` says. */
  dependsOnTaskId: Uuid,
  type: DependencyTypeSchema.default("finish_to_start"),
});
export const DependencyParams = z.strictObject({ id: Uuid, depId: Uuid });

export const DecomposeBody = z.strictObject({
  /** A template by name; absent: the first whose trigger words match, else heuristics. */
  template: TemplateNameSchema.optional(),
  /** Skip templates: split the text into steps. */
  heuristics: z.boolean().optional(),
  /** `llm`: an architect agent plans through a real OpenCode session. */
  planner: z.enum(["llm"]).optional(),
  /** The planner agent; absent: routed by capability (task_decomposition). */
  agentId: Uuid.optional(),
  maxDepth: z.number().int().min(1).max(5).default(3),
});

export const ExecuteBody = z
  .strictObject({
    /** A git repository (a path or a git URL); absent: a fresh repository for the tree under the data directory. */
    repository: RepositoryTarget.optional(),
    baseRef: text(1, 256).default("HEAD"),
  })
  .optional();

export const EstimateSchema = z.object({
  optimistic: z.number(),
  likely: z.number(),
  pessimistic: z.number(),
  expected: z.number(),
  stdDev: z.number(),
  confidence: z.number(),
  source: z.enum(ESTIMATE_SOURCES),
});

export const ProgressSchema = z.object({ done: z.number().int(), total: z.number().int(), percent: z.number().int() });

export const TaskExecutionSchema = z.object({
  state: z.enum(["running", "finished", "cancelled"]),
  repository: z.string(),
  baseRef: z.string(),
  baseCommit: z.string(),
  branch: z.string(),
  path: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});

export const TaskSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  parentTaskId: z.string().nullable(),
  rootTaskId: z.string(),
  position: z.number().int(),
  title: z.string(),
  description: z.string(),
  type: SessionTypeSchema,
  status: TaskStatusSchema,
  priority: PrioritySchema,
  requiredCapabilities: z.array(CapabilitySchema),
  estimate: EstimateSchema,
  complexity: ComplexitySchema,
  sessionId: z.string().nullable(),
  result: z
    .object({ summary: z.string(), filesChanged: z.array(z.string()), mergedCommit: z.string().nullable() })
    .nullable(),
  error: z.object({ message: z.string(), paths: z.array(z.string()).optional() }).nullable(),
  execution: TaskExecutionSchema.nullable(),
  /** Who made it (`user:<id>`, `key:<id>`): a member controls only its own tasks. */
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  /** Leaves: 1 of 1 when completed or skipped; parents: their leaves. */
  progress: ProgressSchema,
});
export type TaskView = z.infer<typeof TaskSchema>;

export const DependencySchema = z.object({
  id: z.string(),
  taskId: z.string(),
  dependsOnTaskId: z.string(),
  type: DependencyTypeSchema,
});

export type TaskTreeNode = TaskView & { children: TaskTreeNode[] };
export const TaskTreeSchema: z.ZodType<TaskTreeNode> = TaskSchema.extend({
  children: z.array(z.lazy(() => TaskTreeSchema)),
}) as z.ZodType<TaskTreeNode>;
export const TaskTreeResponse = z.object({ root: TaskTreeSchema, dependencies: z.array(DependencySchema) });

export const GraphSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      status: TaskStatusSchema,
      parentTaskId: z.string().nullable(),
      /** Leaves carry the schedule; parents span their leaves. */
      leaf: z.boolean(),
      hours: z.number(),
      complexity: ComplexitySchema,
      earliestStart: z.number(),
      earliestFinish: z.number(),
      latestStart: z.number(),
      latestFinish: z.number(),
      slack: z.number(),
      critical: z.boolean(),
    }),
  ),
  /**
   * The dependencies among the nodes. `critical`: the critical path runs
   * along it — both ends have zero slack and it binds (for finish_to_start,
   * the prerequisite's earliest finish is the dependant's earliest start); on a
   * parent, true when it binds for some pair of their leaves.
   */
  edges: z.array(DependencySchema.extend({ critical: z.boolean() })),
  /** Every zero-slack leaf by earliest start (tasks side by side are not joined by an edge: see `edges[].critical`). */
  criticalPath: z.array(z.string()),
  totalHours: z.number(),
});

export const DecompositionSchema = z.object({
  taskId: z.string(),
  template: TemplateNameSchema.nullable(),
  planner: z.enum(["template", "heuristics", "llm"]),
  /** The planning session when the LLM planner was used. */
  sessionId: z.string().nullable(),
  tasks: z.array(TaskSchema),
  dependencies: z.array(DependencySchema),
});

export const TemplateSchema = z.object({
  name: TemplateNameSchema,
  description: z.string(),
  triggers: z.array(z.string()),
  phases: z.array(
    z.object({
      key: z.string(),
      title: z.string(),
      share: z.number(),
      capabilities: z.array(CapabilitySchema),
      type: SessionTypeSchema,
    }),
  ),
  edges: z.array(z.object({ from: z.string(), to: z.string(), type: DependencyTypeSchema })),
});

export const CancelTaskResponse = z.object({ task: TaskSchema, stoppedSessions: z.array(z.string()) });
