import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { WarmSlots } from "./warm-slots";

/**
 * Where a tenant's sessions get their folders (docs/workspaces.md, "Shared
 * workspaces"). By default every session's folder is in this replica's data
 * dir. With a shared workspaces folder (`ORCHESTRATOR_SHARED_WORKSPACES`: a
 * volume the orchestrator's replicas and each tenant's runner pod mount at
 * the same path), a tenant's are under `<shared>/<tenant>/`, the only part
 * of it that tenant's runner pod mounts, and its clones are self-contained
 * (no objects borrowed from a mirror or repository the runner cannot see).
 */
export interface SessionFolders {
  /** Sessions' own clones: `<worktreesDir>/<short>`. */
  worktreesDir: string;
  /** Sessions with neither repository nor directory: `<scratchDir>/<short>`. */
  scratchDir: string;
  /** Clones hold every object they need (no git alternates). */
  selfContained: boolean;
  /** Repository sessions work in reusable folders (warm-slots.ts); never in shared workspaces. */
  slots?: WarmSlots | null;
}

export interface SessionFolderLayout {
  dataDir: string;
  /** Absolute; null: every folder in the data dir. */
  sharedWorkspaces: string | null;
  /** Warm slots in the data dir (ORCHESTRATOR_WARM_SLOTS); none in shared workspaces, where any replica may take a session's folder next. */
  warmSlots?: WarmSlots | null;
}

/** A tenant id names a folder: nothing that could climb out of its parent. */
export const TENANT_FOLDER = /^[A-Za-z0-9-]{1,64}$/;

/** The two folders of session folders under `root` (the data dir, or a tenant's folder of the shared workspaces). */
const foldersUnder = (root: string) => ({
  worktreesDir: join(root, "worktrees"),
  scratchDir: join(root, "workspaces"),
});

export function sessionFoldersOf(layout: SessionFolderLayout, tenantId: string): SessionFolders {
  if (layout.sharedWorkspaces === null)
    return { ...foldersUnder(layout.dataDir), selfContained: false, slots: layout.warmSlots ?? null };
  if (!TENANT_FOLDER.test(tenantId)) throw new Error(`invalid tenant id for a folder: ${tenantId}`);
  return { ...foldersUnder(join(layout.sharedWorkspaces, tenantId)), selfContained: true };
}

/**
 * Every folder that may hold session folders: the data dir's, and each
 * tenant's in the shared workspaces folder (for retention, which walks them all).
 */
export async function listSessionFolderDirs(layout: SessionFolderLayout): Promise<string[]> {
  const pair = (root: string) => Object.values(foldersUnder(root));
  if (layout.sharedWorkspaces === null) return pair(layout.dataDir);
  const shared = layout.sharedWorkspaces;
  const tenants = (await readdir(shared, { withFileTypes: true }).catch(() => [])).filter(
    (e) => e.isDirectory() && TENANT_FOLDER.test(e.name),
  );
  return [...pair(layout.dataDir), ...tenants.flatMap((t) => pair(join(shared, t.name)))];
}
