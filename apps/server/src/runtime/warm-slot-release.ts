import { existsSync } from "node:fs";
import { realpath } from "node:fs/promises";
import { computeSlotKeepReason, decideSlotRelease, sessionShortId, type Clock } from "@industrial/core";
import { listSessionsByShortIds, lockWorktreeSession, type CrossTenantDatabase } from "@industrial/db";
import { isDirectoryInUse, type SessionFolder, type WarmSlots } from "@industrial/opencode";
import type { Logger } from "pino";
import { candidateOf, retireUnderRule } from "./worktree-retention";

export interface WarmSlotDeps {
  /** Reads and locks the owner's row whatever its tenant (a slot is of one tenant: its key holds the tenant). */
  db: CrossTenantDatabase;
  clock: Clock;
  log: Logger;
  /** Checkpoints of the session this replica's pusher still holds. */
  pendingPushes(sessionId: string): readonly number[];
}

/** ORCHESTRATOR_WARM_SLOTS slots per repository (docs/warm-slots.md); null when 0. */
export function createWarmSlots(size: number, deps: WarmSlotDeps): WarmSlots | null {
  return size > 0 ? { size, release: (folder) => releaseSlot(deps, folder) } : null;
}

/**
 * Lets a slot go when no attempt of this replica works in it and core's
 * `decideSlotRelease` says its owner will not need it: asked on the owner's row first, then again under its row lock (a
 * status change takes the same lock, so a retry or a restore made meanwhile
 * is seen), with the folder's git state read under the folder's path lock.
 * A folder that goes is moved out of the way as retention does it (`retireUnderRule`).
 */
async function releaseSlot(deps: WarmSlotDeps, folder: SessionFolder): Promise<boolean> {
  // An attempt of this replica still works there (one whose session was ended under it, say, that has not noticed yet).
  const real = await realpath(folder.path).catch(() => folder.path);
  if (isDirectoryInUse(folder.path) || isDirectoryInUse(real)) return false;
  const rows = (await listSessionsByShortIds(deps.db, [folder.name])).filter(
    (r) => sessionShortId(r.id) === folder.name,
  );
  const row = rows.length === 1 ? rows[0]! : null;
  const now = deps.clock.now();
  if (!existsSync(folder.path)) {
    if (row === null) return decideSlotRelease(await candidateOf(deps, folder, null), { present: false }, now).remove;
    return deps.db.transaction(async (tx) => {
      const fresh = await lockWorktreeSession(tx, row.tenantId, row.id);
      return decideSlotRelease(await candidateOf(deps, folder, fresh), { present: false }, now).remove;
    });
  }
  return retireUnderRule(deps, folder, row, {
    keepReason: computeSlotKeepReason,
    removes: (c, local, at) => decideSlotRelease(c, { present: true, local }, at).remove,
    removed: "a warm slot passed to a new session: its last owner ended with every checkpoint on its remote",
  });
}
