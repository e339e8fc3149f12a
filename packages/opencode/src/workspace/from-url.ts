import { existsSync } from "node:fs";
import { join } from "node:path";
import { InvalidInputError, type PushTarget, type RepositoryUrl, type Workspace } from "@industrial/core";
import type { MirrorCache } from "../mirror/mirror-cache";
import { resolveCommit } from "./inspect";
import { sessionBranch } from "./naming";
import { withPathLock } from "./path-lock";
import { ensureSessionClone } from "./session-clone";

export interface UrlWorkspaceInput {
  sessionShortId: string;
  /** The session's repository as stored (the URL it was created with). */
  repository: string;
  url: RepositoryUrl;
  baseRef: string;
  worktreesDir: string;
  /** A warm slot to make the clone in instead of `<worktreesDir>/<short>` (warm-slots.ts). */
  folder?: string | undefined;
  /** Copy the mirror's objects instead of borrowing them (session-folders.ts). */
  selfContained?: boolean | undefined;
  tenantId: string;
  mirrors: MirrorCache;
  pushTo?: PushTarget | undefined;
}

/**
 * The session's own clone on `orchestrator/<short>`, borrowing the objects of
 * the tenant's mirror of a URL repository. The mirror is fetched only when the
 * clone is to be made (the base must be the repository's latest); a retry or a
 * re-attach finds the clone and goes on without the network. Locks: the session's folder, then
 * the mirror (nothing takes them in the other order), so concurrent sessions
 * of one repository fetch and cut one at a time, and never race a clone.
 * @throws RepositoryUnreachableError when the mirror cannot be cloned or fetched.
 * @throws InvalidInputError naming the repository when `baseRef` is not in it.
 */
export async function prepareFromUrl(input: UrlWorkspaceInput, timeoutMs?: number): Promise<Workspace> {
  const short = input.sessionShortId;
  const branchRef = `refs/heads/${sessionBranch(short)}`;
  // Fetched only when the session's clone is to be made (neither its folder nor an earlier worktree's branch is there).
  const folder = input.folder ?? join(input.worktreesDir, short);
  const fetch = async (mirror: string) =>
    !existsSync(join(folder, ".git")) && (await resolveCommit(mirror, branchRef, { timeoutMs })) === null;
  const { mirror, wt } = await withPathLock(folder, () =>
    input.mirrors.withMirror({ tenantId: input.tenantId, url: input.url, fetch }, async (mirror) => {
      try {
        return { mirror, wt: await ensureSessionClone(mirror, short, input.baseRef, input, timeoutMs) };
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        // Said of the repository the person named, not of this replica's mirror of it.
        throw new InvalidInputError(
          `base ref "${input.baseRef}" is not a branch, tag or commit of ${input.repository}`,
          [{ path: "baseRef", reason: "unknown ref" }],
          {
            context: { repository: input.repository, baseRef: input.baseRef },
            suggestion: "name a branch, tag or commit the repository has (git ls-remote <url>)",
          },
        );
      }
    }),
  );
  return {
    repository: input.repository,
    baseRef: input.baseRef,
    baseCommit: wt.baseCommit,
    branch: wt.branch,
    path: wt.path,
    directory: null,
    ...(input.pushTo ? { pushTo: input.pushTo } : {}),
    mirror,
  };
}
