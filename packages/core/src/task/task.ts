import type { Capability } from "../agent/agent";
import { InvalidInputError, InvalidTransitionError, type ErrorDetail } from "../errors";
import type { Priority } from "../session/priority";
import type { SessionType } from "../session/session";

/**
 * Task states of docs/domain.md (Tasks). Leaves move through the table below;
 * `partially_completed` is only ever computed for a parent by `rollUp`.
 */
export const TASK_STATUSES = [
  "pending",
  "ready",
  "running",
  "completed",
  "failed",
  "blocked",
  "cancelled",
  "skipped",
  "partially_completed",
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task that has not started: it may still be changed, decomposed or cancelled without stopping anything. */
export const TASK_NOT_STARTED: readonly TaskStatus[] = ["pending", "ready"];

/**
 * States in which nothing more happens to a task on its own. `failed` and
 * `blocked` may still be retried by a person (back to `pending`).
 * `partially_completed` is here too: it is the end state of a parent, and
 * leaving it out would make a tree with one failed branch look unfinished.
 */
export const TASK_TERMINAL: readonly TaskStatus[] = [
  "completed",
  "failed",
  "blocked",
  "cancelled",
  "skipped",
  "partially_completed",
];

export function isTaskTerminal(status: TaskStatus): boolean {
  return TASK_TERMINAL.includes(status);
}

/**
 * How a prerequisite constrains its dependant (`finish_to_start` is the
 * default): the first word is the prerequisite's event, the second the
 * dependant's event it gates. See canStart/canFinish in task-graph.ts.
 */
export const DEPENDENCY_TYPES = ["finish_to_start", "start_to_start", "finish_to_finish", "start_to_finish"] as const;
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];

export const COMPLEXITIES = ["trivial", "simple", "moderate", "complex", "expert"] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export const ESTIMATE_SOURCES = ["manual", "heuristic", "historical"] as const;
export type EstimateSource = (typeof ESTIMATE_SOURCES)[number];

/** A three-point (PERT) estimate in hours. */
export interface Estimate {
  optimistic: number;
  likely: number;
  pessimistic: number;
  /** (o + 4l + p) / 6 */
  expected: number;
  /** (p − o) / 6 */
  stdDev: number;
  /** 0–1: how far the numbers can be trusted. */
  confidence: number;
  source: EstimateSource;
}

/**
 * Confidence when the caller gives none: a history of similar tasks beats a
 * person's guess, which beats keyword rules.
 */
export const DEFAULT_ESTIMATE_CONFIDENCE: Record<EstimateSource, number> = {
  historical: 0.8,
  manual: 0.7,
  heuristic: 0.5,
};

/** A PERT estimate from three points. Throws InvalidInputError unless 0 ≤ o ≤ l ≤ p (and confidence in [0, 1]). */
export function computeEstimate(input: {
  optimistic: number;
  likely: number;
  pessimistic: number;
  confidence?: number;
  source: EstimateSource;
}): Estimate {
  const { optimistic: o, likely: l, pessimistic: p, source } = input;
  const confidence = input.confidence ?? DEFAULT_ESTIMATE_CONFIDENCE[source];
  const details: ErrorDetail[] = [];
  for (const [path, v] of [
    ["optimistic", o],
    ["likely", l],
    ["pessimistic", p],
  ] as const)
    if (!Number.isFinite(v) || v < 0) details.push({ path, reason: `must be a finite number ≥ 0 (got ${v})` });
  if (details.length === 0) {
    if (o > l) details.push({ path: "likely", reason: `must be ≥ optimistic (${l} < ${o})` });
    if (l > p) details.push({ path: "pessimistic", reason: `must be ≥ likely (${p} < ${l})` });
  }
  if (!(confidence >= 0 && confidence <= 1))
    details.push({ path: "confidence", reason: `must be between 0 and 1 (got ${confidence})` });
  if (details.length > 0)
    throw new InvalidInputError("invalid estimate: need 0 ≤ optimistic ≤ likely ≤ pessimistic", details);
  return {
    optimistic: o,
    likely: l,
    pessimistic: p,
    expected: dropFloatNoise((o + 4 * l + p) / 6),
    stdDev: dropFloatNoise((p - o) / 6),
    confidence,
    source,
  };
}

/**
 * (0.01 + 4 · 1.13 + 1.47) / 6 comes out as 0.9999999999999999, and
 * complexityOf would call that 1 h task simple.
 * A result within 1e-12 of a multiple of 1e-9 is taken to be that multiple.
 */
function dropFloatNoise(x: number): number {
  const snapped = Math.round(x * 1e9) / 1e9;
  return Math.abs(x - snapped) < 1e-12 ? snapped : x;
}

/** Upper bounds (exclusive, hours) of each complexity but the last. */
export const COMPLEXITY_BOUNDS = { trivial: 0.25, simple: 1, moderate: 4, complex: 8 } as const;

/** Complexity from expected hours: <0.25 trivial, <1 simple, <4 moderate, <8 complex, else expert. */
export function complexityOf(expectedHours: number): Complexity {
  if (expectedHours < COMPLEXITY_BOUNDS.trivial) return "trivial";
  if (expectedHours < COMPLEXITY_BOUNDS.simple) return "simple";
  if (expectedHours < COMPLEXITY_BOUNDS.moderate) return "moderate";
  if (expectedHours < COMPLEXITY_BOUNDS.complex) return "complex";
  return "expert";
}

/** Orders complexities, so callers can say "above moderate" as `complexityRank(c) > complexityRank("moderate")`. */
export function complexityRank(c: Complexity): number {
  return COMPLEXITIES.indexOf(c);
}

export interface TaskResult {
  summary: string;
  filesChanged: string[];
  /** The commit that merged the task's branch into the tree's integration branch. */
  mergedCommit: string | null;
}

export interface TaskError {
  message: string;
  /** Conflicting paths, when the merge into the integration branch failed. */
  paths?: string[];
}

/** A node of a work breakdown: a tree by `parentTaskId`, a DAG by TaskDependency. Leaves run as sessions. */
/**
 * The execution record of a tree, kept on its root. The integration branch
 * is cut from `baseRef` of `repository` when execution starts; every leaf's
 * session works on a branch cut from its current head and is merged back.
 */
export interface TaskExecution {
  state: "running" | "finished" | "cancelled";
  repository: string;
  baseRef: string;
  baseCommit: string;
  /** `orchestrator/tree-<root short id>`. */
  branch: string;
  /** The orchestrator's own worktree of the integration branch, where merges happen. */
  path: string;
  startedAt: string;
  finishedAt: string | null;
}

export interface Task {
  id: string;
  tenantId: string;
  parentTaskId: string | null;
  /** The top of this task's tree (its own id for a root). */
  rootTaskId: string;
  /** Order among siblings; decomposition keeps the plan's order. */
  position: number;
  /** 1–200 characters. */
  title: string;
  description: string;
  type: SessionType;
  status: TaskStatus;
  priority: Priority;
  requiredCapabilities: Capability[];
  estimate: Estimate;
  /** Always complexityOf(estimate.expected). */
  complexity: Complexity;
  /** The session that executes this leaf (null for parents and leaves not started). */
  sessionId: string | null;
  result: TaskResult | null;
  error: TaskError | null;
  /** Set on a root once its tree is executed (see task-execution.ts). */
  execution: TaskExecution | null;
  /** Who made it (`user:<id>`, `key:<id>`): a member controls only its own tasks; sessions of its tree are made in its name. */
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  completedAt: string | null;
}

/** `taskId` (the dependant) waits on `dependsOnTaskId` (the prerequisite) as `type` says. */
export interface TaskDependency {
  id: string;
  taskId: string;
  dependsOnTaskId: string;
  type: DependencyType;
}

/**
 * Status moves of a leaf task. A parent's status is never written through
 * this table: rollUp computes it from its children.
 * - ready → pending: a prerequisite was retried and no longer satisfies the type.
 * - failed/blocked → pending: a person retries the task (or its prerequisite).
 * - running stays running while canFinish holds a finished dependant back.
 */
const TASK_TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  pending: ["ready", "blocked", "cancelled", "skipped"],
  ready: ["running", "pending", "blocked", "cancelled", "skipped"],
  running: ["completed", "failed", "cancelled"],
  failed: ["pending", "cancelled", "skipped"],
  blocked: ["pending", "ready", "cancelled", "skipped"],
  completed: [],
  cancelled: [],
  skipped: [],
  partially_completed: [],
};

export function canTaskTransition(from: TaskStatus, to: TaskStatus): boolean {
  return TASK_TRANSITIONS[from].includes(to);
}

/** Throws InvalidTransitionError (what: "task") when the leaf table forbids the move. */
export function assertTaskTransition(from: TaskStatus, to: TaskStatus): void {
  if (!canTaskTransition(from, to)) throw new InvalidTransitionError(from, to, "task");
}
