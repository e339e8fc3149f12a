import { ACTIVE_STATUSES, TERMINAL_STATUSES } from "../session/session-status";
import {
  computeLocalKeepReason,
  computeWorktreeKeepReason,
  type WorktreeCandidate,
  type WorktreeDecision,
  type WorktreeLocalState,
} from "./worktree-retention";

/*
 * When a warm slot (docs/warm-slots.md) may pass from the session that owns
 * it to a new one. The slot's path is the same for both, so nothing of the
 * owner may be needed there again: the new session's clone replaces the
 * folder, and the owner, read later, is recreated elsewhere from its remote.
 */

/** The slot's folder: gone (retention removed it, or it was never made), or there with its git state (null: unreadable). */
export type SlotFolderState = { present: false } | { present: true; local: WorktreeLocalState | null };

/**
 * `remove: true` lets the slot go. A folder that is there goes only for a
 * session that can never run again (a terminal status, or deleted and finished) and on
 * retention's terms without the grace period: every checkpoint pushed,
 * nothing uncommitted, HEAD at its last pushed commit. A session that may
 * run again (failed, stopped, paused…) keeps its slot until retention
 * removes the folder after the grace period; then the slot is free, unless
 * the owner is running — it may be making the folder right now.
 */
export function decideSlotRelease(c: WorktreeCandidate, folder: SlotFolderState, now: Date): WorktreeDecision {
  const s = c.session;
  const live = s !== null && !s.deleted;
  if (!folder.present) {
    if (live && ACTIVE_STATUSES.includes(s.status))
      return { remove: false, reason: `its session is ${s.status} and may be making the folder now` };
    return { remove: true };
  }
  const reason = computeSlotKeepReason(c, now) ?? computeLocalKeepReason(c, folder.local);
  return reason === null ? { remove: true } : { remove: false, reason };
}

/** Why a slot's folder that is there stays, judged on the database's facts alone (null: ask its git state). */
export function computeSlotKeepReason(c: WorktreeCandidate, now: Date): string | null {
  const s = c.session;
  if (s !== null && !s.deleted && !TERMINAL_STATUSES.includes(s.status))
    return `the session is ${s.status} and may run there again`;
  return computeWorktreeKeepReason(c, now, 0);
}
