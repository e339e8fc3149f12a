import type { SessionStatus } from "./session-status";

/**
 * Health score of a session (0–1) as shown on the dashboard. `elapsedFraction`
 * is run time over the time limit; only a running session uses it.
 */
export function computeHealthScore(status: SessionStatus, elapsedFraction = 0): number {
  switch (status) {
    case "completed":
      return 1;
    case "failed":
    case "timeout":
    case "orphaned":
      return 0;
    case "running":
      if (elapsedFraction > 0.9) return 0.3;
      if (elapsedFraction > 0.7) return 0.7;
      return 0.9;
    case "degraded":
      return 0.4;
    default:
      return 0.8;
  }
}
