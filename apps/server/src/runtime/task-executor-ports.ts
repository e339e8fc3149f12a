import type { Workspace } from "@industrial/core";
import {
  fetchSessionBranch,
  headCommit,
  mergeIntoIntegration,
  type BranchPusher,
  type WorkRemote,
} from "@industrial/opencode";
import type { TreeAdmission, TreeGit } from "@industrial/scheduler";
import { checkRepository } from "../services/repository-admission";
import { ownTreeRepository, type WorkspacePolicy } from "../services/workspace-admission";

/**
 * The scheduler's task executor's git (`TreeGit`), over `@industrial/opencode`:
 * session branches are fetched from the session's folder or from `remoteOf`
 * its workspace (the work remote, or a URL's origin), and integration heads
 * go to `pusher` (absent: not pushed).
 */
export function createTreeGit(options: {
  pusher?: BranchPusher;
  remoteOf?: (ws: Workspace) => WorkRemote | null;
}): TreeGit {
  const remoteOf = options.remoteOf ?? (() => null);
  const { pusher } = options;
  const git: TreeGit = {
    fetchSessionBranch: (into, s) =>
      fetchSessionBranch(into, {
        path: s.workspace.path,
        branch: s.branch,
        commit: s.commit,
        remote: remoteOf(s.workspace),
      }),
    merge: (path, branch, message) => mergeIntoIntegration(path, branch, message),
    headCommit: (path) => headCommit(path),
  };
  if (pusher) git.push = (job) => pusher.push(job);
  return git;
}

/**
 * The scheduler's task executor's admission (`TreeAdmission`): the tree's own
 * repository in the data dir, or the server's repository check (workspace
 * roots for a path, the tenant's prefixes for a URL) as it stands now.
 */
export function createTreeAdmission(policy: WorkspacePolicy): TreeAdmission {
  return {
    async repository(repository, root, tx) {
      if (repository === ownTreeRepository(policy.dataDir, root.id)) return { ok: true, path: repository };
      const check = await checkRepository({ db: tx, tenantId: root.tenantId, policy }, repository);
      return check.ok ? { ok: true, path: check.repository.repository } : check;
    },
  };
}
