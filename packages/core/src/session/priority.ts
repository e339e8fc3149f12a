export const PRIORITIES = ["critical", "high", "medium", "low", "deferred"] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * How long a session must wait to climb one priority level. A low session
 * queued 10 minutes before a fresh medium one sorts ahead of it (older wins
 * the tie), so nothing starves.
 */
export const AGEING_STEP_SECONDS = 600;

export function priorityLevel(p: Priority): number {
  return PRIORITIES.indexOf(p);
}

/**
 * Dispatch order key: smaller is dispatched first. It is the queue time pushed
 * back by one ageing step per level below `critical`, so priority and ageing
 * are one static column, served by a partial index on queued rows.
 */
export function computeDispatchKey(priority: Priority, queuedAt: Date): Date {
  return new Date(queuedAt.getTime() + priorityLevel(priority) * AGEING_STEP_SECONDS * 1000);
}
