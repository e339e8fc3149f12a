import {
  computeTaskNotices,
  DEFAULT_RETRY_POLICY,
  planTreeStep,
  PreconditionError,
  sessionShortId,
  type Notice,
  type SessionEvent,
  type Task,
  type TaskExecution,
  type TaskStatus,
  type TreeAction,
} from "@industrial/core";
import {
  insertSession,
  listSessionOutcomes,
  loadTree,
  updateTask,
  type Queryable,
  type SessionOutcome,
  type TaskTree,
} from "@industrial/db";
import type { Logger } from "./logger";
import type { TreeAdmission, TreeGit } from "./tree-ports";

/** A merge whose session's branch is neither here nor on its remote yet: the tree waits for the next round. */
class MergeDeferred extends Error {
  constructor(
    readonly taskId: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a tree's step uses besides the database. */
export interface StepContext {
  log: Logger;
  admission: TreeAdmission;
  git: TreeGit;
}

/** A step applies at most this many rounds of actions (a merge can make dependants ready, and so on). */
const MAX_ROUNDS = 20;

/** One tree, under its root's lock: plan, apply, and plan again until nothing moves. */
export async function advanceTree(
  tx: Queryable,
  root: { id: string; tenantId: string },
  execution: TaskExecution,
  changed: () => void,
  ctx: StepContext,
): Promise<{ events: SessionEvent[]; ended: Notice[] }> {
  const events: SessionEvent[] = [];
  let moved = false;
  // Each task's status when the step began: what it ended from.
  let before: Map<string, TaskStatus> | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const tree = await loadTree(tx, root.tenantId, root.id);
    before ??= new Map(tree.tasks.map((t) => [t.id, t.status]));
    const sessions = await sessionsOf(tx, root.tenantId, tree);
    const actions = planTreeStep(tree, new Map([...sessions].map(([id, s]) => [id, s.status])));
    if (actions.length === 0) break;
    changed();
    moved = true;
    try {
      for (const action of actions) events.push(...(await apply(tx, action, tree, execution, sessions, ctx)));
    } catch (e) {
      // What was applied before it stays; the merge is tried again at the next round.
      if (!(e instanceof MergeDeferred)) throw e;
      ctx.log.info({ taskId: e.taskId, reason: e.message }, "task merge waits for its session's branch");
      break;
    }
    if (actions.some((a) => a.kind === "finish")) break;
  }
  const ended =
    moved && before
      ? computeTaskNotices(before, (await loadTree(tx, root.tenantId, root.id)).tasks, new Date().toISOString())
      : [];
  return { events, ended };
}

async function sessionsOf(tx: Queryable, tenantId: string, tree: TaskTree): Promise<Map<string, SessionOutcome>> {
  const ids = tree.tasks.flatMap((t) => (t.sessionId ? [t.sessionId] : []));
  return new Map((await listSessionOutcomes(tx, tenantId, ids)).map((s) => [s.id, s]));
}

async function apply(
  tx: Queryable,
  action: TreeAction,
  tree: TaskTree,
  execution: TaskExecution,
  sessions: Map<string, SessionOutcome>,
  ctx: StepContext,
): Promise<SessionEvent[]> {
  const now = new Date().toISOString();
  const task = (id: string) => tree.tasks.find((t) => t.id === id)!;
  // A tree is one tenant's (planned actions mean it has tasks).
  const { tenantId } = tree.tasks[0]!;
  switch (action.kind) {
    case "start":
      return startLeaf(tx, task(action.taskId), tree, execution, ctx, now);
    case "merge": {
      const s = sessions.get(action.sessionId)!;
      await mergeLeaf(tx, task(action.taskId), s, execution, ctx, now);
      return [];
    }
    case "fail":
      await updateTask(tx, tenantId, action.taskId, {
        status: "failed",
        error: { message: action.message },
        completedAt: now,
      });
      return [];
    case "block":
      await updateTask(tx, tenantId, action.taskId, {
        status: "blocked",
        error: { message: action.message },
        completedAt: now,
      });
      return [];
    case "rollup": {
      const done = ["completed", "failed", "partially_completed", "cancelled", "skipped", "blocked"].includes(
        action.status,
      );
      await updateTask(tx, tenantId, action.taskId, {
        status: action.status,
        ...(done ? { completedAt: now } : {}),
        ...(action.status === "running" && !task(action.taskId).startedAt ? { startedAt: now } : {}),
      });
      return [];
    }
    case "finish": {
      const root = tree.tasks.find((r) => r.parentTaskId === null)!;
      await updateTask(tx, tenantId, root.id, { execution: { ...execution, state: "finished", finishedAt: now } });
      ctx.log.info({ taskId: root.id }, "task tree finished");
      return [];
    }
  }
}

/** A ready leaf gets its session, cut from the integration branch's head; or fails when its tree's repository is no longer admitted. */
async function startLeaf(
  tx: Queryable,
  t: Task,
  tree: TaskTree,
  execution: TaskExecution,
  ctx: StepContext,
  now: string,
): Promise<SessionEvent[]> {
  const { log } = ctx;
  const root = tree.tasks.find((r) => r.parentTaskId === null)!;
  const repository = await ctx.admission.repository(execution.repository, root, tx);
  if (!repository.ok) {
    await updateTask(tx, t.tenantId, t.id, {
      status: "failed",
      error: { message: `repository ${execution.repository} ${repository.reason}` },
      completedAt: now,
    });
    log.warn(
      { taskId: t.id, repository: execution.repository },
      "task failed: the workspace roots (or the tenant's repository prefixes) no longer admit its tree's repository",
    );
    return [];
  }
  const { session, events } = await insertSession(tx, {
    tenantId: t.tenantId,
    title: t.title,
    prompt: composeTaskPrompt(t, root),
    type: t.type,
    priority: t.priority,
    requiredCapabilities: t.requiredCapabilities,
    preferredAgentId: null,
    // Cut from the integration branch's head when the session's workspace is prepared.
    workspace: {
      repository: repository.path,
      baseRef: execution.branch,
      baseCommit: null,
      branch: null,
      path: null,
      directory: null,
    },
    model: null,
    parentSessionId: null,
    taskId: t.id,
    maxDurationSeconds: 3600,
    retry: DEFAULT_RETRY_POLICY,
    budget: {},
    tags: ["task"],
    metadata: { rootTaskId: root.id },
    // In the name of whoever made the tree: a member may stop its tree's sessions.
    createdBy: root.createdBy ?? "task-executor",
    held: false,
  });
  await updateTask(tx, t.tenantId, t.id, { status: "running", sessionId: session.id, startedAt: now });
  log.info({ taskId: t.id, sessionId: session.id }, "task started");
  return events;
}

/** A leaf whose session completed: its branch merged into the integration branch (completed), or failed on a conflict. */
async function mergeLeaf(
  tx: Queryable,
  t: Task,
  s: SessionOutcome,
  execution: TaskExecution,
  ctx: StepContext,
  now: string,
): Promise<void> {
  const { log, git } = ctx;
  if (!s.branch) {
    await updateTask(tx, t.tenantId, t.id, {
      status: "failed",
      error: { message: "its session has no branch to merge" },
      completedAt: now,
    });
    return;
  }
  // The session's commits are in its own clone (maybe on another replica): its branch comes into the repository first.
  try {
    await git.fetchSessionBranch(execution.path, { workspace: s.workspace, branch: s.branch, commit: s.lastCommit });
  } catch (e) {
    if (e instanceof PreconditionError) throw new MergeDeferred(t.id, e.message);
    throw e;
  }
  const outcome = await git.merge(
    execution.path,
    s.branch,
    `Merge task "${t.title}" (session ${sessionShortId(s.id)})`,
  );
  if (outcome.merged) {
    await updateTask(tx, t.tenantId, t.id, {
      status: "completed",
      result: { summary: s.summary ?? "", filesChanged: s.filesChanged, mergedCommit: outcome.commit },
      completedAt: now,
    });
    log.info({ taskId: t.id, commit: outcome.commit }, "task merged into the integration branch");
  } else {
    const message = `merge conflict with the integration branch in ${outcome.conflicts.join(", ")}`;
    await updateTask(tx, t.tenantId, t.id, {
      status: "failed",
      error: { message, paths: outcome.conflicts },
      completedAt: now,
    });
    log.warn({ taskId: t.id, conflicts: outcome.conflicts }, "task failed: merge conflict");
  }
}

/**
 * A leaf's session prompt: where it sits in the tree, then its description
 * last (a script or a person's instructions end the message).
 */
export function composeTaskPrompt(task: Task, root: Task): string {
  const where = task.id === root.id ? "" : ` It is part of "${root.title}".`;
  return [
    `Task: ${task.title}.${where} Work in this repository; your changes are merged into the tree's integration branch when you finish.`,
    task.description,
  ]
    .filter((s) => s.trim() !== "")
    .join("\n\n");
}
