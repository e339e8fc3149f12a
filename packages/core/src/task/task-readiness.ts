import type { DependencyType, TaskStatus } from "./task";

/** One dependency of a task, with its prerequisite's current status. */
export interface DependencyState {
  type: DependencyType;
  prerequisite: TaskStatus;
}

/**
 * A prerequisite's work is done. `skipped` counts: a person decided the work
 * is not needed, so nothing should keep waiting on it (otherwise its
 * dependants could neither start nor ever be blocked).
 */
function finished(s: TaskStatus): boolean {
  return s === "completed" || s === "skipped";
}

/** A prerequisite has started (and not failed): running or finished. */
function started(s: TaskStatus): boolean {
  return s === "running" || finished(s);
}

/**
 * A prerequisite that can never satisfy any dependency type. A failed one
 * counts even for start_to_start: the spec blocks a task whose required
 * prerequisite failed, whatever the type. `partially_completed` is a parent
 * some of whose work failed. A retry (→ pending) lifts the block.
 */
function dead(s: TaskStatus): boolean {
  return s === "failed" || s === "blocked" || s === "cancelled" || s === "partially_completed";
}

function startConditionMet(d: DependencyState): boolean {
  switch (d.type) {
    case "finish_to_start":
      return finished(d.prerequisite);
    case "start_to_start":
      return started(d.prerequisite);
    case "finish_to_finish":
    case "start_to_finish":
      return true; // these gate the dependant's finish, not its start
  }
}

function finishConditionMet(d: DependencyState): boolean {
  switch (d.type) {
    case "finish_to_finish":
      return finished(d.prerequisite);
    case "start_to_finish":
      return started(d.prerequisite);
    case "finish_to_start":
    case "start_to_start":
      return true; // already enforced when the dependant started
  }
}

/**
 * May the dependant start? finish_to_start: the prerequisite completed (or
 * was skipped); start_to_start: it started (running, completed or skipped);
 * finish_to_finish and start_to_finish put no condition on the start.
 */
export function canStart(deps: readonly DependencyState[]): boolean {
  return deps.every((d) => !dead(d.prerequisite) && startConditionMet(d));
}

/**
 * May a dependant whose own work is done be marked completed (and merged)?
 * finish_to_finish: the prerequisite completed; start_to_finish: it started.
 * The executor holds a finished dependant (no merge, still `running`) until
 * this is true, and fails it when isBlockedBy turns true instead.
 */
export function canFinish(deps: readonly DependencyState[]): boolean {
  return deps.every((d) => !dead(d.prerequisite) && finishConditionMet(d));
}

/**
 * Some prerequisite failed, was blocked or cancelled (or is a parent that
 * ended partially_completed), so its dependency can never be satisfied, of
 * whatever type. A skipped prerequisite counts as satisfied, never as a block.
 */
export function isBlockedBy(deps: readonly DependencyState[]): boolean {
  return deps.some((d) => dead(d.prerequisite));
}

/** Where a not-yet-started leaf stands: blocked beats ready, anything else waits. */
export function computeReadiness(deps: readonly DependencyState[]): "blocked" | "ready" | "pending" {
  if (isBlockedBy(deps)) return "blocked";
  return canStart(deps) ? "ready" : "pending";
}
