import { realpath } from "node:fs/promises";
import { resolve, sep } from "node:path";
import {
  coerceError,
  computeWorktreeKeepReason,
  decideWorktreeRemoval,
  sessionShortId,
  type Clock,
  type Workspace,
  type WorktreeCandidate,
  type WorktreeLocalState,
} from "@industrial/core";
import {
  listSessionsByShortIds,
  lockWorktreeSession,
  type CrossTenantDatabase,
  type WorktreeSessionRow,
} from "@industrial/db";
import { listSessionFolders, retireSessionFolder, type SessionFolder } from "@industrial/opencode";
import type { Logger } from "pino";

export interface WorktreeRetentionDeps {
  db: CrossTenantDatabase;
  clock: Clock;
  log: Logger;
  /** The folders session folders are in: `<data dir>/worktrees`, `<data dir>/workspaces`, each tenant's shared ones (listSessionFolderDirs). */
  folderDirs(): Promise<string[]>;
  /** ORCHESTRATOR_WORKTREE_GRACE_HOURS in ms. */
  graceMs: number;
  /** Checkpoints of the session this replica's pusher still holds. */
  pendingPushes(sessionId: string): readonly number[];
  /** The round is being stopped: leave the rest for the next one. */
  stopping(): boolean;
}

/** Folders whose sessions are looked up in one query. */
const LOOKUP_BATCH = 200;

/**
 * One pass over this replica's session folders (README, Decisions,
 * Retention): each folder core's `decideWorktreeRemoval` lets go is removed.
 * The database's half of the rule is asked first; the folder's git state is
 * read only for what passes, under its path lock; the removal itself (a
 * rename out of the way) happens inside a transaction that holds the
 * session's row lock and asks the rule again on fresh rows, so a retry,
 * restore or deletion made meanwhile is seen, and one made after finds the
 * folder gone and recreates it from the remote.
 * @returns how many folders were removed.
 */
export async function retireWorktrees(deps: WorktreeRetentionDeps): Promise<number> {
  const folders = await listSessionFolders(await deps.folderDirs());
  let removed = 0;
  for (let i = 0; i < folders.length && !deps.stopping(); i += LOOKUP_BATCH) {
    const batch = folders.slice(i, i + LOOKUP_BATCH);
    const rows = await listSessionsByShortIds(deps.db, [...new Set(batch.map((f) => f.name))]);
    for (const folder of batch) {
      if (deps.stopping()) break;
      const matching = rows.filter((r) => sessionShortId(r.id) === folder.name);
      try {
        if (await retireOne(deps, folder, matching.length === 1 ? matching[0]! : null)) removed++;
      } catch (e) {
        deps.log.warn(
          { path: folder.path, err: coerceError(e).message },
          "a session folder could not be removed; trying again next round",
        );
      }
    }
  }
  return removed;
}

function retireOne(
  deps: WorktreeRetentionDeps,
  folder: SessionFolder,
  row: WorktreeSessionRow | null,
): Promise<boolean> {
  return retireUnderRule(deps, folder, row, {
    keepReason: (c, now) => computeWorktreeKeepReason(c, now, deps.graceMs),
    removes: (c, local, now) => decideWorktreeRemoval(c, local, now, deps.graceMs).remove,
    removed:
      "removed a finished session's folder: its checkpoints are on its remote, and it is recreated from there on demand",
  });
}

/** One of core's rules for letting a session folder go: retention's, or a warm slot's release. */
export interface FolderRule {
  /** The database's half, asked before the folder is read. */
  keepReason(c: WorktreeCandidate, now: Date): string | null;
  /** The whole rule, with the folder's git state. */
  removes(c: WorktreeCandidate, local: WorktreeLocalState | null, now: Date): boolean;
  /** What the log says when a folder goes. */
  removed: string;
}

/**
 * Moves a session folder out of the way when `rule` lets it go: asked on the
 * row read before, then with the folder's git state under its path lock,
 * then again on the row re-read under its lock (a status change takes the
 * same lock), inside the transaction that holds it while the folder moves.
 */
export async function retireUnderRule(
  deps: Pick<WorktreeRetentionDeps, "db" | "clock" | "log" | "pendingPushes">,
  folder: SessionFolder,
  row: WorktreeSessionRow | null,
  rule: FolderRule,
): Promise<boolean> {
  const now = deps.clock.now();
  const candidate = await candidateOf(deps, folder, row);
  if (row === null || rule.keepReason(candidate, now) !== null) return false;
  const removed = await retireSessionFolder(folder, async (local, moveAside) => {
    if (!rule.removes(candidate, local, now)) return false;
    return deps.db.transaction(async (tx) => {
      const fresh = await lockWorktreeSession(tx, row.tenantId, row.id);
      if (fresh === null) return false;
      if (!rule.removes(await candidateOf(deps, folder, fresh), local, now)) return false;
      await moveAside();
      return true;
    });
  });
  if (removed) deps.log.info({ sessionId: row.id, path: folder.path }, rule.removed);
  return removed;
}

/** What core's retention rules read of a folder and its session's row. */
export async function candidateOf(
  deps: Pick<WorktreeRetentionDeps, "pendingPushes">,
  folder: SessionFolder,
  row: WorktreeSessionRow | null,
): Promise<WorktreeCandidate> {
  const own = await canonical(folder.path);
  const ws = row?.workspace;
  return {
    session: row?.facts ?? null,
    recorded: ws?.path != null && isWithin(await canonical(ws.path), own),
    personOwned: ws ? await holdsPersonsFolder(ws, own) : false,
    changedAt: folder.changedAt.toISOString(),
    pushesPending: row !== null && deps.pendingPushes(row.id).length > 0,
  };
}

// The folder is, or holds, the directory or repository (a path) the person named.
async function holdsPersonsFolder(ws: Workspace, own: string): Promise<boolean> {
  for (const p of [ws.directory, ws.repository]) {
    if (p && p.startsWith("/") && isWithin(await canonical(p), own)) return true;
  }
  return false;
}

function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + sep);
}

async function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}
