import { qk } from "../../../../lib/query-keys";
import type { StaleTarget } from "../../../../lib/stale-batcher";

/** Events that change the session's own row (status, attempt, tokens, checkpoints, model, pending input). */
const ROW = new Set([
  "session.status_changed",
  "session.attempt",
  "session.tokens",
  "session.checkpoint",
  "session.restored",
  "session.model_switched",
  "session.input_requested",
  "session.input_replied",
]);
const CHECKPOINTS = new Set(["session.checkpoint", "session.restored"]);
/** Events after which the worktree differs from what was diffed. */
const DIFF = new Set(["session.file_edited", "session.restored", "session.status_changed"]);

/**
 * What a batch of the session's own events makes stale on its page: its row,
 * checkpoints and verification, parent/child tree (all exact: one key each,
 * never a counter), and whether its diff is (the diff has a slower debounce
 * of its own: `git diff` is the dearest read of the page). Log lines and
 * tool calls change nothing here: the terminal holds them.
 */
export function computeSessionStale(id: string, types: Iterable<string>): { targets: StaleTarget[]; diff: boolean } {
  const seen = new Set(types);
  const has = (set: Set<string>) => [...set].some((t) => seen.has(t));
  const targets: StaleTarget[] = [];
  if (has(ROW)) targets.push({ queryKey: qk.session(id), exact: true });
  if (has(CHECKPOINTS))
    targets.push({ queryKey: qk.sessionCheckpoints(id), exact: true }, { queryKey: qk.sessionVerify(id), exact: true });
  if (seen.has("session.status_changed")) targets.push({ queryKey: qk.sessionTree(id), exact: true });
  return { targets, diff: has(DIFF) };
}

/** The diff's own debounce: a burst of edits ends in one `git diff`, and a steady stream reads it at most every 3 s. */
export const DIFF_STALE = { delayMs: 1000, maxWaitMs: 3000 } as const;
