import type { TaskStatus } from "./task";

export interface RollUp {
  status: TaskStatus;
  /** Children completed or skipped. */
  done: number;
  total: number;
  /** round(100 · done / total); 0 without children. */
  percent: number;
}

/** Children whose work is over for good (or until a person retries them). */
const OVER: readonly TaskStatus[] = ["completed", "skipped", "failed", "blocked", "cancelled", "partially_completed"];

/**
 * A parent's status and progress from its direct children (a child that is a
 * parent itself passes its own rolled-up status). First rule that applies:
 * 1. no children → pending;
 * 2. every child completed or skipped → completed (skipped work counts as done);
 * 3. any child running → running;
 * 4. every child over (nothing left to run):
 *    - every child cancelled → cancelled;
 *    - some work done (a child completed or partially_completed) → partially_completed;
 *    - else some child failed or blocked → failed;
 *    - else (only cancelled and skipped children) → cancelled;
 * 5. any child ready → ready, else pending (nothing runs yet, or it stalled
 *    between a child finishing and the next one starting).
 */
export function rollUp(children: readonly { status: TaskStatus }[]): RollUp {
  const total = children.length;
  const count = (...ss: TaskStatus[]) => children.filter((c) => ss.includes(c.status)).length;
  const done = count("completed", "skipped");
  const percent = total === 0 ? 0 : Math.round((100 * done) / total);
  const at = (status: TaskStatus): RollUp => ({ status, done, total, percent });

  if (total === 0) return at("pending");
  if (done === total) return at("completed");
  if (count("running") > 0) return at("running");
  if (count(...OVER) === total) {
    if (count("cancelled") === total) return at("cancelled");
    if (count("completed", "partially_completed") > 0) return at("partially_completed");
    if (count("failed", "blocked") > 0) return at("failed");
    return at("cancelled");
  }
  return at(count("ready") > 0 ? "ready" : "pending");
}
