import { coerceError, computeTaskNotices, DEFAULT_RETRY_POLICY, isOutageError, planTreeStep, PreconditionError, sessionShortId, type Notice, type SessionEvent, type Task, type TaskExecution, type TaskStatus, type TreeAction, type Workspace } from "@industrial/core";
import {
  bypassTenantWall,
  detachedFromRequest,
  insertSession,
  listExecutingRoots,
  listSessionOutcomes,
  loadTree,
  lockExecutingRoot,
  updateTask,
  type Database,
  type Queryable,
  type SessionOutcome,
  type TaskTree,
} from "@industrial/db";
import { fetchSessionBranch, headCommit, mergeIntoIntegration, type BranchPusher, type WorkRemote } from "@industrial/opencode";
import type { Logger } from "pino";
import { checkRepository } from "../services/repository-admission";
import { ownTreeRepository, type WorkspaceCheck, type WorkspacePolicy } from "../services/workspace-admission";

export interface TaskExecutorDeps {
  db: Database;
  log: Logger;
  /** Called with the events of sessions the executor created, after their transaction committed. */
  published: (events: readonly SessionEvent[]) => void;
  /** Called after a step that changed a tree committed (task.status_changed / task.progress notices). */
  treeChanged?: (tenantId: string, rootTaskId: string) => void;
  /** Called with the tasks a step brought to an end (core's computeTaskNotices), after it committed: the notify webhook. */
  tasksEnded?: (tenantId: string, notices: Notice[]) => void;
  intervalMs: number;
  /** The workspace roots, checked again for every session a tree starts (they may have narrowed since it was executed). */
  workspaces: WorkspacePolicy;
  /** Pushes each tree's integration branch to the work remote after its merges (absent: not pushed). */
  integrationPusher?: BranchPusher;
  /** Where a session's checkpoints went (the work remote, or a URL's origin): a merge fetches its branch from there when its folder is not here. */
  remoteOf?: (ws: Workspace) => WorkRemote | null;
}

/** The tree's repository as its next session may use it: the tree's own, a path the roots still admit, or a URL the tenant's prefixes still admit. */
type AdmitRepository = (repository: string, root: { id: string; tenantId: string }, tx: Queryable) => Promise<WorkspaceCheck>;

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
interface StepContext {
  log: Logger;
  admit: AdmitRepository;
  remoteOf: (ws: Workspace) => WorkRemote | null;
}

/** A step applies at most this many rounds of actions (a merge can make dependants ready, and so on). */
const MAX_ROUNDS = 20;
const ROOTS_PER_TICK = 10;

/**
 * Runs task trees: every replica ticks; each tree is advanced by whoever
 * holds its root's row lock (`SKIP LOCKED`), one transaction per tree, from
 * what the database says — so a restart, or another replica, carries on
 * without losing or repeating a step. Merges into the integration branch
 * happen under that lock, one tree at a time, in dependency order.
 */
export function createTaskExecutor(deps: TaskExecutorDeps) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  let databaseAway = false;
  // Every tenant's trees are executed here: finding them spans tenants; each step then names its tree's tenant.
  const db = bypassTenantWall(deps.db, "task executor: the executing trees of every tenant");

  const admitRepository: AdmitRepository = async (repository, root, tx) => {
    if (repository === ownTreeRepository(deps.workspaces.dataDir, root.id)) return { ok: true, path: repository };
    const check = await checkRepository({ db: tx, tenantId: root.tenantId, policy: deps.workspaces }, repository);
    return check.ok ? { ok: true, path: check.repository.repository } : check;
  };

  const step: StepContext = { log: deps.log, admit: admitRepository, remoteOf: deps.remoteOf ?? (() => null) };

  async function tick(): Promise<void> {
    // One transaction per tree: a tree's merges never hold up another tree (or, on PGlite, the whole database) for long.
    for (const root of await listExecutingRoots(db, ROOTS_PER_TICK)) {
      let changed = false;
      let locked: TaskExecution | null = null;
      try {
        const { events, ended } = await db.transaction(async (tx) => {
          const execution = (locked = await lockExecutingRoot(tx, root.tenantId, root.id));
          return execution ? advance(tx, root, execution, () => (changed = true), step) : { events: [], ended: [] };
        });
        if (events.length) deps.published(events);
        if (ended.length) deps.tasksEnded?.(root.tenantId, ended);
      } catch (e) {
        // The database away stops the whole tick; one tree's failure does not stop the others.
        if (isOutageError(e)) throw e;
        deps.log.error({ rootTaskId: root.id, err: coerceError(e).message }, "task tree step failed; tried again next round");
        continue;
      }
      if (changed) deps.treeChanged?.(root.tenantId, root.id);
      if (changed && locked) await pushIntegration(locked);
    }
  }

  // The integration branch's head as last handed to the pusher, per worktree: a push only when a merge moved it.
  const handedOver = new Map<string, string>();
  async function pushIntegration(execution: TaskExecution): Promise<void> {
    if (!deps.integrationPusher) return;
    const head = await headCommit(execution.path).catch(() => null);
    if (head === null || handedOver.get(execution.path) === head) return;
    handedOver.set(execution.path, head);
    deps.integrationPusher.push({ ref: `refs/heads/${execution.branch}`, commit: head, dirs: [execution.path, execution.repository] });
  }

  // Poked from API requests: the tree's steps are the executor's own work, not that request's.
  const run = detachedFromRequest((): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .then(
        () => {
          databaseAway = false;
        },
        (e) => {
          // A database that is away fails every tick until it returns: say so once, not every tick.
          if (!isOutageError(e)) deps.log.error({ err: coerceError(e).message }, "task executor step failed");
          else if (!databaseAway) deps.log.warn({ err: coerceError(e).message }, "task executor waits for the database");
          databaseAway = isOutageError(e);
        },
      )
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  });

  return {
    start(): void {
      stopped = false;
      timer = setInterval(run, deps.intervalMs);
      run();
    },
    /** A task changed (executed, cancelled, a session ended): step now rather than at the next tick. */
    poke: run,
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export type TaskExecutor = ReturnType<typeof createTaskExecutor>;

/** One tree, under its root's lock: plan, apply, and plan again until nothing moves. */
async function advance(
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
  const ended = moved && before ? computeTaskNotices(before, (await loadTree(tx, root.tenantId, root.id)).tasks, new Date().toISOString()) : [];
  return { events, ended };
}

type SessionInfo = SessionOutcome;

async function sessionsOf(tx: Queryable, tenantId: string, tree: TaskTree): Promise<Map<string, SessionInfo>> {
  const ids = tree.tasks.flatMap((t) => (t.sessionId ? [t.sessionId] : []));
  return new Map((await listSessionOutcomes(tx, tenantId, ids)).map((s) => [s.id, s]));
}

async function apply(
  tx: Queryable,
  action: TreeAction,
  tree: TaskTree,
  execution: TaskExecution,
  sessions: Map<string, SessionInfo>,
  ctx: StepContext,
): Promise<SessionEvent[]> {
  const { log, admit } = ctx;
  const now = new Date().toISOString();
  const task = (id: string) => tree.tasks.find((t) => t.id === id)!;
  // A tree is one tenant's (planned actions mean it has tasks).
  const { tenantId } = tree.tasks[0]!;
  switch (action.kind) {
    case "start": {
      const t = task(action.taskId);
      const root = tree.tasks.find((r) => r.parentTaskId === null)!;
      const repository = await admit(execution.repository, root, tx);
      if (!repository.ok) {
        await updateTask(tx, tenantId, t.id, { status: "failed", error: { message: `repository ${execution.repository} ${repository.reason}` }, completedAt: now });
        log.warn({ taskId: t.id, repository: execution.repository }, "task failed: the workspace roots (or the tenant's repository prefixes) no longer admit its tree's repository");
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
        workspace: { repository: repository.path, baseRef: execution.branch, baseCommit: null, branch: null, path: null, directory: null },
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
      await updateTask(tx, tenantId, t.id, { status: "running", sessionId: session.id, startedAt: now });
      log.info({ taskId: t.id, sessionId: session.id }, "task started");
      return events;
    }
    case "merge": {
      const t = task(action.taskId);
      const s = sessions.get(action.sessionId)!;
      if (!s.branch) {
        await updateTask(tx, tenantId, t.id, { status: "failed", error: { message: "its session has no branch to merge" }, completedAt: now });
        return [];
      }
      // The session's commits are in its own clone (maybe on another replica): its branch comes into the repository first.
      try {
        await fetchSessionBranch(execution.path, { path: s.workspace.path, branch: s.branch, commit: s.lastCommit, remote: ctx.remoteOf(s.workspace) });
      } catch (e) {
        if (e instanceof PreconditionError) throw new MergeDeferred(t.id, e.message);
        throw e;
      }
      const outcome = await mergeIntoIntegration(execution.path, s.branch, `Merge task "${t.title}" (session ${sessionShortId(action.sessionId)})`);
      if (outcome.merged) {
        await updateTask(tx, tenantId, t.id, { status: "completed", result: { summary: s.summary ?? "", filesChanged: s.filesChanged, mergedCommit: outcome.commit }, completedAt: now });
        log.info({ taskId: t.id, commit: outcome.commit }, "task merged into the integration branch");
      } else {
        const message = `merge conflict with the integration branch in ${outcome.conflicts.join(", ")}`;
        await updateTask(tx, tenantId, t.id, { status: "failed", error: { message, paths: outcome.conflicts }, completedAt: now });
        log.warn({ taskId: t.id, conflicts: outcome.conflicts }, "task failed: merge conflict");
      }
      return [];
    }
    case "fail":
      await updateTask(tx, tenantId, action.taskId, { status: "failed", error: { message: action.message }, completedAt: now });
      return [];
    case "block":
      await updateTask(tx, tenantId, action.taskId, { status: "blocked", error: { message: action.message }, completedAt: now });
      return [];
    case "rollup": {
      const done = ["completed", "failed", "partially_completed", "cancelled", "skipped", "blocked"].includes(action.status);
      await updateTask(tx, tenantId, action.taskId, { status: action.status, ...(done ? { completedAt: now } : {}), ...(action.status === "running" && !task(action.taskId).startedAt ? { startedAt: now } : {}) });
      return [];
    }
    case "finish": {
      const root = tree.tasks.find((r) => r.parentTaskId === null)!;
      await updateTask(tx, tenantId, root.id, { execution: { ...execution, state: "finished", finishedAt: now } });
      log.info({ taskId: root.id }, "task tree finished");
      return [];
    }
  }
}

/**
 * A leaf's session prompt: where it sits in the tree, then its description
 * last (a script or a person's instructions end the message).
 */
export function composeTaskPrompt(task: Task, root: Task): string {
  const where = task.id === root.id ? "" : ` It is part of "${root.title}".`;
  return [`Task: ${task.title}.${where} Work in this repository; your changes are merged into the tree's integration branch when you finish.`, task.description]
    .filter((s) => s.trim() !== "")
    .join("\n\n");
}
