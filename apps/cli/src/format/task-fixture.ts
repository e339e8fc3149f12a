import type { GraphSchema, TaskTreeNode, TaskView } from "@industrial/contracts";
import type { z } from "zod";
import type { Dependency } from "./task-tree";

type Graph = z.output<typeof GraphSchema>;
type GraphNode = Graph["nodes"][number];

/** Ids whose first 8 hex digits name the task in the tests: `a0000000` is A, and so on. */
export const taskIds = {
  root: "00000000-0000-4000-8000-00000000000f",
  a: "a0000000-0000-4000-8000-000000000001",
  b: "b0000000-0000-4000-8000-000000000002",
  c: "c0000000-0000-4000-8000-000000000003",
  d: "d0000000-0000-4000-8000-000000000004",
  e: "e0000000-0000-4000-8000-000000000005",
} as const;

/** A pending leaf task as the API returns it, for the formatter tests: 2 h expected (1 / 2 / 3). */
export function taskFixture(over: Partial<TaskView> = {}): TaskView {
  return {
    id: taskIds.a,
    tenantId: "00000000-0000-4000-8000-000000000000",
    parentTaskId: null,
    rootTaskId: over.id ?? taskIds.a,
    position: 0,
    title: "Design the schema",
    description: "",
    type: "execution",
    status: "pending",
    priority: "medium",
    requiredCapabilities: ["code_generation"],
    estimate: {
      optimistic: 1,
      likely: 2,
      pessimistic: 3,
      expected: 2,
      stdDev: 1 / 3,
      confidence: 0.7,
      source: "manual",
    },
    complexity: "moderate",
    sessionId: null,
    result: null,
    error: null,
    execution: null,
    createdBy: null,
    createdAt: "2026-11-22T03:23:23.393Z",
    updatedAt: "2026-11-22T03:23:23.393Z",
    startedAt: null,
    completedAt: null,
    progress: { done: 0, total: 1, percent: 0 },
    ...over,
  };
}

const hoursEstimate = (h: number) => ({
  optimistic: h,
  likely: h,
  pessimistic: h,
  expected: h,
  stdDev: 0,
  confidence: 0.7,
  source: "manual" as const,
});

/** A leaf of the hand-made tree below. */
function leaf(id: string, title: string, hours: number, position: number, over: Partial<TaskView> = {}): TaskTreeNode {
  return {
    ...taskFixture({
      id,
      title,
      parentTaskId: taskIds.root,
      rootTaskId: taskIds.root,
      position,
      estimate: hoursEstimate(hours),
      ...over,
    }),
    children: [],
  };
}

/**
 * The hand-made DAG under a root "Build the users API" (5 leaves):
 *   A Design the schema 2 h ─┬─▶ B Create endpoint 1 h ─┐
 *                            └─▶ C Read endpoint 3 h ───┴─▶ E Tests 2 h
 *   D Write the docs 1 h (no dependencies)
 * Earliest starts A 0, D 0, B 2, C 2, E 5; the end is 7 h. The critical
 * path is A → C → E (slack 0); B can slip 2 h, D 6 h.
 */
export function treeFixture(): { root: TaskTreeNode; dependencies: Dependency[] } {
  const children = [
    leaf(taskIds.a, "Design the schema", 2, 0, { status: "completed", progress: { done: 1, total: 1, percent: 100 } }),
    leaf(taskIds.b, "Create endpoint", 1, 1, { status: "running" }),
    leaf(taskIds.c, "Read endpoint", 3, 2, {
      status: "failed",
      error: { message: "merge conflict", paths: ["src/users.ts"] },
    }),
    leaf(taskIds.d, "Write the docs", 1, 3, { status: "ready" }),
    leaf(taskIds.e, "Tests", 2, 4, { status: "blocked" }),
  ];
  const root: TaskTreeNode = {
    ...taskFixture({
      id: taskIds.root,
      title: "Build the users API",
      status: "running",
      estimate: hoursEstimate(9),
      complexity: "expert",
      progress: { done: 1, total: 5, percent: 20 },
    }),
    children,
  };
  const dep = (n: number, taskId: string, dependsOnTaskId: string): Dependency => ({
    id: `f000000${n}-0000-4000-8000-000000000000`,
    taskId,
    dependsOnTaskId,
    type: "finish_to_start",
  });
  return {
    root,
    dependencies: [
      dep(1, taskIds.b, taskIds.a),
      dep(2, taskIds.c, taskIds.a),
      dep(3, taskIds.e, taskIds.b),
      dep(4, taskIds.e, taskIds.c),
    ],
  };
}

/** The graph the server computes for treeFixture(): the schedule of each leaf, the root spanning them. */
export function graphFixture(): Graph {
  const { root, dependencies } = treeFixture();
  const schedule: Record<string, [es: number, slack: number]> = {
    [taskIds.a]: [0, 0],
    [taskIds.b]: [2, 2],
    [taskIds.c]: [2, 0],
    [taskIds.d]: [0, 6],
    [taskIds.e]: [5, 0],
  };
  const node = (t: TaskTreeNode): GraphNode => {
    const leaf = t.children.length === 0;
    const [es, slack] = leaf ? schedule[t.id]! : [0, 0];
    const hours = leaf ? t.estimate.expected : 7;
    return {
      id: t.id,
      title: t.title,
      status: t.status,
      parentTaskId: t.parentTaskId,
      leaf,
      hours,
      complexity: t.complexity,
      earliestStart: es,
      earliestFinish: es + hours,
      latestStart: es + slack,
      latestFinish: es + slack + hours,
      slack,
      critical: slack === 0,
    };
  };
  return {
    nodes: [node(root), ...root.children.map(node)],
    // a → c → e is the critical path (each edge binds); the edges through b have slack.
    edges: dependencies.map((d) => ({ ...d, critical: d.taskId !== taskIds.b && d.dependsOnTaskId !== taskIds.b })),
    criticalPath: [taskIds.a, taskIds.c, taskIds.e],
    totalHours: 7,
  };
}
