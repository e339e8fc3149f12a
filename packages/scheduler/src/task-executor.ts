import { coerceError, isOutageError, type Notice, type SessionEvent, type TaskExecution } from "@industrial/core";
import {
  bypassTenantWall,
  detachedFromRequest,
  listExecutingRoots,
  lockExecutingRoot,
  type Database,
} from "@industrial/db";
import type { Logger } from "./logger";
import type { TreeAdmission, TreeGit } from "./tree-ports";
import { advanceTree, type StepContext } from "./tree-step";

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
  /** The workspace roots and repository prefixes, asked again for every session a tree starts (they may have narrowed since it was executed). */
  admission: TreeAdmission;
  /** Fetches and merges session branches into integration worktrees, and pushes their heads (without `push`: not pushed). */
  git: TreeGit;
}

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

  const step: StepContext = { log: deps.log, admission: deps.admission, git: deps.git };

  async function tick(): Promise<void> {
    // One transaction per tree: a tree's merges never hold up another tree (or, on PGlite, the whole database) for long.
    for (const root of await listExecutingRoots(db, ROOTS_PER_TICK)) {
      let changed = false;
      let locked: TaskExecution | null = null;
      try {
        const { events, ended } = await db.transaction(async (tx) => {
          const execution = (locked = await lockExecutingRoot(tx, root.tenantId, root.id));
          return execution ? advanceTree(tx, root, execution, () => (changed = true), step) : { events: [], ended: [] };
        });
        if (events.length) deps.published(events);
        if (ended.length) deps.tasksEnded?.(root.tenantId, ended);
      } catch (e) {
        // The database away stops the whole tick; one tree's failure does not stop the others.
        if (isOutageError(e)) throw e;
        deps.log.error(
          { rootTaskId: root.id, err: coerceError(e).message },
          "task tree step failed; tried again next round",
        );
        continue;
      }
      if (changed) deps.treeChanged?.(root.tenantId, root.id);
      if (changed && locked) await pushIntegration(locked);
    }
  }

  // The integration branch's head as last handed to the pusher, per worktree: a push only when a merge moved it.
  const handedOver = new Map<string, string>();
  async function pushIntegration(execution: TaskExecution): Promise<void> {
    const { git } = deps;
    if (!git.push) return;
    const head = await git.headCommit(execution.path).catch(() => null);
    if (head === null || handedOver.get(execution.path) === head) return;
    handedOver.set(execution.path, head);
    git.push({ ref: `refs/heads/${execution.branch}`, commit: head, dirs: [execution.path, execution.repository] });
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
          else if (!databaseAway)
            deps.log.warn({ err: coerceError(e).message }, "task executor waits for the database");
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
