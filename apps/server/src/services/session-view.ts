import { computeHealthScore, computePushTarget, type Session } from "@industrial/core";
import type { SessionView } from "@industrial/contracts";

/** The wire view of a session: the record plus what is derived from it. */
export function toSessionView(s: Session, now: Date): SessionView {
  const elapsed = s.startedAt ? (now.getTime() - Date.parse(s.startedAt)) / 1000 : 0;
  // Sessions made before URL repositories have no pushTo: theirs is the work remote, said alike for all.
  const workspace = { ...s.workspace, pushTo: computePushTarget(s.workspace).kind };
  return { ...s, workspace, healthScore: computeHealthScore(s.status, s.maxDurationSeconds ? elapsed / s.maxDurationSeconds : 0) };
}
