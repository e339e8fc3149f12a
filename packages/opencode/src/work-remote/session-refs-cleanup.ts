import { checkpointRefPrefix, computeRefDeletions, sessionBranchRef } from "@industrial/core";
import { deleteFromWorkRemote, listWorkRemoteRefs, type WorkRemote } from "../workspace/work-remote";

export interface SessionRefsCleanup {
  /** Refs deleted by this call. */
  removed: string[];
  /** Refs holding commits the session never recorded: left alone (someone else's work). */
  foreign: string[];
  /** Refs that moved between the listing and the delete: left for the next round. */
  moved: string[];
}

/**
 * Removes a deleted session's refs from the remote its checkpoints went to:
 * the branch `orchestrator/<short>`, and with `checkpointRefs` every
 * `refs/orchestrator/checkpoints/<short>/<seq>` too. Each is deleted only
 * while it holds a commit the session recorded (`known`: its checkpoints',
 * its base, a reset's), leased on that commit (core computeRefDeletions).
 * Refs already gone are nothing to do.
 * @throws WorkRemoteUnavailableError when the remote cannot be reached (the round tries again later).
 */
export async function removeSessionRefs(
  remote: WorkRemote,
  input: { shortId: string; checkpointRefs: boolean; known: ReadonlySet<string> },
): Promise<SessionRefsCleanup> {
  const patterns = [
    sessionBranchRef(input.shortId),
    ...(input.checkpointRefs ? [`${checkpointRefPrefix(input.shortId)}*`] : []),
  ];
  const found = await listWorkRemoteRefs(remote, patterns);
  const plan = computeRefDeletions(found, input.known);
  const results = await deleteFromWorkRemote(remote, plan.delete);
  const out: SessionRefsCleanup = { removed: [], foreign: plan.foreign, moved: [] };
  for (const r of results) (r.status === "ok" ? out.removed : out.moved).push(r.ref);
  if (out.moved.length > 0) {
    // Refused: moved, or deleted by another replica's round meanwhile. Only what is still there is left over.
    const still = await listWorkRemoteRefs(remote, out.moved);
    out.moved = out.moved.filter((ref) => still.has(ref));
  }
  return out;
}
