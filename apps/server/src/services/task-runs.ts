import type { ExecuteBody, TaskView } from "@industrial/contracts";
import { ConflictError, TASK_NOT_STARTED, type TaskExecution } from "@industrial/core";
import { getTask, loadTree, lockRoot, updateTask } from "@industrial/db";
import type { z } from "zod";
import { assertCanControl } from "./control";
import type { ServiceDeps } from "./deps";
import { actOnSession } from "./session-actions";
import { getTaskView } from "./tasks";
import { descendants } from "./task-view";
import { prepareTreeRepository } from "./tree-repository";

/*
 * Running a tree: its start (the integration branch) and its cancellation.
 * What happens in between is the task executor's (`createTaskExecutor` in @industrial/scheduler, task-executor.ts).
 */

/**
 * Starts executing a root's tree: the integration branch is cut from
 * `baseRef` (a repository of the tree's own when none is given) and the
 * executor takes it from there.
 */
export async function executeTask(
  deps: ServiceDeps,
  id: string,
  body: z.output<typeof ExecuteBody>,
): Promise<TaskView> {
  const task = await getTask(deps.db, deps.tenantId, id);
  assertCanControl(deps, task, `task ${id}`);
  if (task.parentTaskId !== null)
    throw new ConflictError(`task ${task.title} is part of a tree: execute its root`, {
      context: { rootTaskId: task.rootTaskId },
    });
  if (task.execution?.state === "running") throw new ConflictError(`task ${task.title} is already being executed`);
  if (task.execution) throw new ConflictError(`task ${task.title} was executed already (${task.execution.state})`);
  const { repository, baseRef, prepared } = await prepareTreeRepository(deps, task, body);
  // On the work remote from the start; the executor pushes it again after each merge.
  deps.workRemote.branches.push({
    ref: `refs/heads/${prepared.branch}`,
    commit: prepared.baseCommit,
    dirs: [prepared.path, repository],
  });
  const execution: TaskExecution = {
    state: "running",
    repository,
    baseRef,
    baseCommit: prepared.baseCommit,
    branch: prepared.branch,
    path: prepared.path,
    startedAt: new Date().toISOString(),
    finishedAt: null,
  };
  await deps.db.transaction(async (tx) => {
    const current = await lockRoot(tx, deps.tenantId, id);
    if (current) throw new ConflictError(`task ${task.title} is already being executed`);
    await updateTask(tx, deps.tenantId, id, { execution, startedAt: execution.startedAt });
  });
  deps.tasks?.poke();
  return getTaskView(deps, id);
}

/** Stops a tree: running sessions are stopped, what has not started is cancelled. */
export async function cancelTask(
  deps: ServiceDeps,
  id: string,
): Promise<{ task: TaskView; stoppedSessions: string[] }> {
  const task = await getTask(deps.db, deps.tenantId, id);
  assertCanControl(deps, task, `task ${id}`);
  const sessions = await deps.db.transaction(async (tx) => {
    const execution = await lockRoot(tx, deps.tenantId, task.rootTaskId);
    const tree = await loadTree(tx, deps.tenantId, task.rootTaskId);
    const scope = [task, ...descendants(task.id, tree)];
    const running = scope.filter((t) => t.status === "running" && t.sessionId);
    for (const t of scope)
      if (TASK_NOT_STARTED.includes(t.status) || t.status === "running")
        await updateTask(tx, deps.tenantId, t.id, { status: "cancelled", completedAt: new Date().toISOString() });
    if (execution?.state === "running" && task.id === task.rootTaskId)
      await updateTask(tx, deps.tenantId, task.rootTaskId, {
        execution: { ...execution, state: "cancelled", finishedAt: new Date().toISOString() },
      });
    return running.map((t) => t.sessionId!);
  });
  deps.notices.taskTreeChanged(deps.tenantId, task.rootTaskId);
  const stopped: string[] = [];
  for (const s of sessions)
    await actOnSession(deps, s, "stop").then(
      () => stopped.push(s),
      () => undefined, // already ended
    );
  deps.tasks?.poke();
  return { task: await getTaskView(deps, id), stoppedSessions: stopped };
}
