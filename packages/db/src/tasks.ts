import { randomUUID } from "node:crypto";
import {
  NotFoundError,
  type DependencyType,
  type Task,
  type TaskDependency,
  type TaskExecution,
} from "@industrial/core";
import type { Queryable } from "./database";
import { conditionAdder, readNewestFirst } from "./keyset-cursor";
import { dependencyFromRow, taskFromRow } from "./rows";
import type { CrossTenantDatabase } from "./tenant-wall";

export type NewTask = Omit<
  Task,
  "createdAt" | "updatedAt" | "startedAt" | "completedAt" | "result" | "error" | "sessionId" | "execution"
> & {
  rootTaskId: string;
  position: number;
};

/** Inserts tasks in one statement (a decomposition's whole plan), in the given order. */
export async function insertTasks(q: Queryable, tasks: readonly NewTask[]): Promise<void> {
  if (tasks.length === 0) return;
  const cols = 15;
  const values: unknown[] = [];
  const rows = tasks.map((t, i) => {
    values.push(
      t.id,
      t.tenantId,
      t.parentTaskId,
      t.rootTaskId,
      t.position,
      t.title,
      t.description,
      t.type,
      t.status,
      t.priority,
      t.requiredCapabilities,
      JSON.stringify(t.estimate),
      t.complexity,
      new Date().toISOString(),
      t.createdBy,
    );
    const p = (k: number) => `$${i * cols + k}`;
    return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}, ${p(11)}::text[], ${p(12)}::jsonb, ${p(13)}, ${p(14)}::timestamptz, ${p(14)}::timestamptz, ${p(15)})`;
  });
  await q.query(
    `INSERT INTO tasks (id, tenant_id, parent_task_id, root_task_id, position, title, description, type, status, priority,
       required_capabilities, estimate, complexity, created_at, updated_at, created_by) VALUES ${rows.join(", ")}`,
    values,
  );
}

export async function findTask(q: Queryable, tenantId: string, id: string): Promise<Task | null> {
  const rows = await q.query("SELECT * FROM tasks WHERE id = $1 AND tenant_id = $2 AND deleted_at IS NULL", [
    id,
    tenantId,
  ]);
  return rows[0] ? taskFromRow(rows[0]) : null;
}

export async function getTask(q: Queryable, tenantId: string, id: string): Promise<Task> {
  const t = await findTask(q, tenantId, id);
  if (!t) throw new NotFoundError("task", id);
  return t;
}

export interface TaskTree {
  tasks: Task[];
  dependencies: TaskDependency[];
}

/** Every live task of the tree `rootTaskId` heads, by position, and the edges between them. */
export async function loadTree(q: Queryable, tenantId: string, rootTaskId: string): Promise<TaskTree> {
  const tasks = (
    await q.query(
      "SELECT * FROM tasks WHERE root_task_id = $1 AND tenant_id = $2 AND deleted_at IS NULL ORDER BY position, created_at, id",
      [rootTaskId, tenantId],
    )
  ).map(taskFromRow);
  const dependencies = (
    await q.query(
      `SELECT d.* FROM task_dependencies d JOIN tasks t ON t.id = d.task_id
       WHERE t.root_task_id = $1 AND t.tenant_id = $2 AND d.tenant_id = $2 AND t.deleted_at IS NULL ORDER BY d.created_at, d.id`,
      [rootTaskId, tenantId],
    )
  ).map(dependencyFromRow);
  return { tasks, dependencies };
}

export interface TaskFilter {
  tenantId: string;
  status?: readonly string[];
  complexity?: readonly string[];
  parentTaskId?: string;
  root?: boolean;
}

export async function listTasks(
  q: Queryable,
  f: TaskFilter,
  page: { limit: number; cursor?: string },
): Promise<{ items: Task[]; nextCursor: string | null; total: number }> {
  const where = ["tenant_id = $1", "deleted_at IS NULL"];
  const params: unknown[] = [f.tenantId];
  const add = conditionAdder(where, params);
  if (f.status) add((n) => `status = ANY($${n}::text[])`, f.status);
  if (f.complexity) add((n) => `complexity = ANY($${n}::text[])`, f.complexity);
  if (f.parentTaskId) add((n) => `parent_task_id = $${n}`, f.parentTaskId);
  if (f.root === true) where.push("parent_task_id IS NULL");
  if (f.root === false) where.push("parent_task_id IS NOT NULL");
  return readNewestFirst(q, {
    table: "tasks",
    where,
    params,
    limit: page.limit,
    cursor: page.cursor,
    fromRow: taskFromRow,
  });
}

export type TaskPatch = Partial<
  Pick<
    Task,
    | "title"
    | "description"
    | "type"
    | "priority"
    | "requiredCapabilities"
    | "estimate"
    | "complexity"
    | "status"
    | "sessionId"
    | "result"
    | "error"
    | "startedAt"
    | "completedAt"
    | "execution"
  >
>;

const COLUMNS: Record<keyof TaskPatch, { col: string; cast?: string; json?: boolean }> = {
  title: { col: "title" },
  description: { col: "description" },
  type: { col: "type" },
  priority: { col: "priority" },
  requiredCapabilities: { col: "required_capabilities", cast: "text[]" },
  estimate: { col: "estimate", cast: "jsonb", json: true },
  complexity: { col: "complexity" },
  status: { col: "status" },
  sessionId: { col: "session_id", cast: "uuid" },
  result: { col: "result", cast: "jsonb", json: true },
  error: { col: "error", cast: "jsonb", json: true },
  startedAt: { col: "started_at", cast: "timestamptz" },
  completedAt: { col: "completed_at", cast: "timestamptz" },
  execution: { col: "execution", cast: "jsonb", json: true },
};

export async function updateTask(q: Queryable, tenantId: string, id: string, patch: TaskPatch): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [id, tenantId];
  for (const [key, value] of Object.entries(patch) as [keyof TaskPatch, unknown][]) {
    if (value === undefined) continue;
    const c = COLUMNS[key];
    params.push(c.json && value !== null ? JSON.stringify(value) : value);
    sets.push(`${c.col} = $${params.length}${c.cast ? `::${c.cast}` : ""}`);
  }
  if (sets.length === 0) return;
  await q.query(`UPDATE tasks SET ${sets.join(", ")}, updated_at = now() WHERE id = $1 AND tenant_id = $2`, params);
}

/** Soft-deletes a task and everything below it; edges touching them go. */
export async function softDeleteSubtree(q: Queryable, tenantId: string, id: string): Promise<string[]> {
  const rows = await q.query<{ id: string }>(
    `WITH RECURSIVE sub AS (
       SELECT id FROM tasks WHERE id = $1 AND tenant_id = $2
       UNION ALL SELECT t.id FROM tasks t JOIN sub ON t.parent_task_id = sub.id WHERE t.tenant_id = $2 AND t.deleted_at IS NULL)
     UPDATE tasks SET deleted_at = now(), updated_at = now() WHERE id IN (SELECT id FROM sub) AND tenant_id = $2 RETURNING id`,
    [id, tenantId],
  );
  const ids = rows.map((r) => r.id);
  await q.query(
    "DELETE FROM task_dependencies WHERE tenant_id = $2 AND (task_id = ANY($1::uuid[]) OR depends_on_task_id = ANY($1::uuid[]))",
    [ids, tenantId],
  );
  return ids;
}

export async function insertDependency(
  q: Queryable,
  d: { tenantId: string; taskId: string; dependsOnTaskId: string; type: DependencyType },
): Promise<TaskDependency> {
  const rows = await q.query(
    `INSERT INTO task_dependencies (id, tenant_id, task_id, depends_on_task_id, type) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (task_id, depends_on_task_id) DO UPDATE SET type = EXCLUDED.type RETURNING *`,
    [randomUUID(), d.tenantId, d.taskId, d.dependsOnTaskId, d.type],
  );
  return dependencyFromRow(rows[0]!);
}

export async function insertDependencies(
  q: Queryable,
  tenantId: string,
  edges: readonly { taskId: string; dependsOnTaskId: string; type: DependencyType }[],
): Promise<void> {
  for (const e of edges) await insertDependency(q, { tenantId, ...e });
}

export async function deleteDependency(
  q: Queryable,
  tenantId: string,
  taskId: string,
  depId: string,
): Promise<boolean> {
  const rows = await q.query(
    "DELETE FROM task_dependencies WHERE id = $1 AND task_id = $2 AND tenant_id = $3 RETURNING id",
    [depId, taskId, tenantId],
  );
  return rows.length > 0;
}

/** Every edge among the tenant's live tasks (cycle checks span trees: an edge may join two of them). */
export async function tenantDependencies(q: Queryable, tenantId: string): Promise<TaskDependency[]> {
  return (
    await q.query(
      `SELECT d.* FROM task_dependencies d JOIN tasks t ON t.id = d.task_id WHERE d.tenant_id = $1 AND t.deleted_at IS NULL`,
      [tenantId],
    )
  ).map(dependencyFromRow);
}

/** Roots whose execution is under way, every tenant's (the executor runs them all), for the executor's tick. */
export async function listExecutingRoots(
  db: CrossTenantDatabase,
  limit: number,
): Promise<{ id: string; tenantId: string }[]> {
  const rows = await db.query<{ id: string; tenant_id: string }>(
    `SELECT id, tenant_id FROM tasks WHERE parent_task_id IS NULL AND execution IS NOT NULL AND execution->>'state' = 'running' AND deleted_at IS NULL ORDER BY updated_at, id LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }));
}

/** Locks a root being executed for one executor step: its execution record, or null when another replica holds it (skip it) or it stopped running. */
export async function lockExecutingRoot(
  tx: Queryable,
  tenantId: string,
  rootTaskId: string,
): Promise<TaskExecution | null> {
  const rows = await tx.query(
    "SELECT execution FROM tasks WHERE id = $1 AND tenant_id = $2 AND execution->>'state' = 'running' AND deleted_at IS NULL FOR NO KEY UPDATE SKIP LOCKED",
    [rootTaskId, tenantId],
  );
  return (rows[0]?.execution as TaskExecution | undefined) ?? null;
}

/** Locks a tree's root (every writer of a tree takes it first) and returns its execution record. */
export async function lockRoot(tx: Queryable, tenantId: string, rootTaskId: string): Promise<TaskExecution | null> {
  const rows = await tx.query("SELECT execution FROM tasks WHERE id = $1 AND tenant_id = $2 FOR NO KEY UPDATE", [
    rootTaskId,
    tenantId,
  ]);
  return (rows[0]?.execution as TaskExecution | null) ?? null;
}

/** How many live children a task has: a new subtask's position among its siblings. */
export async function countChildTasks(q: Queryable, tenantId: string, parentTaskId: string): Promise<number> {
  const rows = await q.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM tasks WHERE parent_task_id = $1 AND tenant_id = $2 AND deleted_at IS NULL",
    [parentTaskId, tenantId],
  );
  return rows[0]!.n;
}
