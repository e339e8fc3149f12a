/**
 * What a replica does with its mirror caches (`<data dir>/mirrors/<tenant>/<name>.git`)
 * at each garbage-collection round. Pure: the loop reads each mirror's last
 * use and its worktrees, calls this, and removes or compacts.
 */

/** The data dir's folder of mirror caches; `computeDiskPart` counts it as `mirrors`. */
export const MIRRORS_DIR = "mirrors";

export interface MirrorState {
  /** The mirror's folder. */
  path: string;
  /** When a session last fetched it or cut a worktree from it; null: never recorded (treated as its creation, `createdAt`). */
  lastUsedAt: Date | null;
  createdAt: Date;
  /** Sessions' clones borrowing its objects and task trees' worktrees still cut from it (their folders exist). */
  worktrees: number;
}

export interface MirrorGcPlan {
  /** Unused for `retentionDays` and nothing cut from it: deleted (a later session clones it again). */
  remove: string[];
  /** Kept: `git gc --auto` packs what fetches and checkpoint commits left loose. */
  compact: string[];
}

/**
 * A mirror no session used for `retentionDays` whole days and from which no
 * worktree is cut any more is removed; every other one is compacted. A
 * mirror that worktrees still use is never removed, however old: their
 * branches, objects and git metadata live in it. A clock that went back
 * (last use in the future) removes nothing.
 */
export function planMirrorGc(input: {
  mirrors: readonly MirrorState[];
  now: Date;
  retentionDays: number;
}): MirrorGcPlan {
  const plan: MirrorGcPlan = { remove: [], compact: [] };
  const cutoff = input.now.getTime() - input.retentionDays * 86_400_000;
  for (const m of input.mirrors) {
    const used = (m.lastUsedAt ?? m.createdAt).getTime();
    if (m.worktrees === 0 && used <= cutoff) plan.remove.push(m.path);
    else plan.compact.push(m.path);
  }
  return plan;
}
