import { ACTIVE_STATUSES, computeHealthScore, computePushTarget, type InboxItem, type Session } from "@industrial/core";
import type { SessionView } from "@industrial/contracts";
import { batchReadPendingInput } from "@industrial/db";
import type { ServiceDeps } from "./deps";

/** The wire view of a session: the record plus what is derived from it, and its open input requests. */
export function toSessionView(s: Session, now: Date, pendingInput: InboxItem[]): SessionView {
  const elapsed = s.startedAt ? (now.getTime() - Date.parse(s.startedAt)) / 1000 : 0;
  // Sessions made before URL repositories have no pushTo: theirs is the work remote, said alike for all.
  const workspace = { ...s.workspace, pushTo: computePushTarget(s.workspace).kind };
  return {
    ...s,
    workspace,
    healthScore: computeHealthScore(s.status, s.maxDurationSeconds ? elapsed / s.maxDurationSeconds : 0),
    pendingInput,
  };
}

/**
 * Views of sessions with their `pendingInput`. Only a session that runs can
 * have an open request (one that stops running has them cancelled in its
 * transition, docs/input-requests.md §3), so a page without one costs no
 * extra statement.
 */
export async function readSessionViews(
  deps: Pick<ServiceDeps, "db" | "tenantId">,
  sessions: readonly Session[],
  now: Date,
): Promise<SessionView[]> {
  const running = sessions.filter((s) => ACTIVE_STATUSES.includes(s.status)).map((s) => s.id);
  const pending = running.length
    ? await batchReadPendingInput(deps.db, deps.tenantId, running)
    : new Map<string, InboxItem[]>();
  return sessions.map((s) => toSessionView(s, now, pending.get(s.id) ?? []));
}
