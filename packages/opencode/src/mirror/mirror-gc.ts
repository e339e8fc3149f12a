import { existsSync } from "node:fs";
import { readdir, rm, rmdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { coerceError, planMirrorGc } from "@industrial/core";
import { withPathLock } from "../workspace/path-lock";
import { BORROWED_REF_PREFIX } from "../workspace/naming";
import { runGit } from "../workspace/run-git";
import { listWorktrees } from "../workspace/worktree";
import { MIRROR_USED_MARKER } from "./mirror-cache";

export interface MirrorGcInput {
  /** `<data dir>/mirrors`. */
  dir: string;
  /** `<data dir>/worktrees`: where the sessions' clones that borrow from these mirrors are. */
  worktreesDir: string;
  /** A mirror unused this many days, with no session's clone or worktree cut from it, is removed. */
  retentionDays: number;
  now: Date;
  log(level: "info" | "warn", msg: string, extra?: Record<string, unknown>): void;
  /** Timeout of one `git gc`; a big repository takes a while. */
  timeoutMs?: number;
}

/** A clone cut short (its folder is renamed into place only when complete) older than this is removed. */
const STALE_CLONE_MS = 3_600_000;

/**
 * One garbage-collection round over a replica's mirrors: each is looked at
 * under its lock (a session cutting a worktree from it waits, and is never
 * left with a mirror removed under it), its worktree metadata pruned, the
 * clones borrowing its objects counted (their refs), then
 * removed or compacted as `planMirrorGc` says. A mirror that fails is
 * logged and the round goes on.
 */
export async function collectMirrorGarbage(input: MirrorGcInput): Promise<{ removed: string[]; compacted: string[] }> {
  const out = { removed: [] as string[], compacted: [] as string[] };
  for (const tenant of await subfolders(input.dir)) {
    const tenantDir = join(input.dir, tenant);
    for (const name of await subfolders(tenantDir)) {
      const path = join(tenantDir, name);
      try {
        if (name.startsWith(".") && name.endsWith(".tmp")) {
          if (input.now.getTime() - (await stat(path)).mtimeMs > STALE_CLONE_MS)
            await rm(path, { recursive: true, force: true });
        } else if (name.endsWith(".git")) {
          const action = await withPathLock(path, () => collectOne(path, input));
          out[action === "remove" ? "removed" : "compacted"].push(path);
        }
      } catch (e) {
        input.log("warn", "mirror garbage collection failed; trying again next round", {
          mirror: path,
          err: coerceError(e).message,
        });
      }
    }
    // An empty tenant folder goes too (rmdir refuses one that is not empty).
    await rmdir(tenantDir).catch(() => undefined);
  }
  if (out.removed.length) input.log("info", "unused mirrors removed", { removed: out.removed.length });
  return out;
}

async function collectOne(path: string, input: MirrorGcInput): Promise<"remove" | "compact"> {
  const git = (args: string[]) => runGit(args, { cwd: path, timeoutMs: input.timeoutMs ?? 600_000 });
  // Worktrees whose folders are gone (removed sessions) no longer hold the mirror.
  await git(["worktree", "prune"]);
  const worktrees = (await listWorktrees(path)).filter((w) => !w.main && !w.prunable).length;
  // Sessions' own clones read their base's objects from here: each holds a borrowed ref until it is removed.
  // One whose clone is not in this replica's worktrees dir (removed by hand, or a crash before it was made) holds nothing.
  const { stdout } = await git(["for-each-ref", "--format=%(refname)", BORROWED_REF_PREFIX]);
  let borrowers = 0;
  for (const ref of stdout.split("\n").filter(Boolean)) {
    if (existsSync(join(input.worktreesDir, ref.slice(BORROWED_REF_PREFIX.length)))) borrowers++;
    else await git(["update-ref", "-d", ref]);
  }
  const marker = await stat(join(path, MIRROR_USED_MARKER)).catch(() => null);
  const created = await stat(path);
  const plan = planMirrorGc({
    mirrors: [{ path, lastUsedAt: marker?.mtime ?? null, createdAt: created.mtime, worktrees: worktrees + borrowers }],
    now: input.now,
    retentionDays: input.retentionDays,
  });
  if (plan.remove.includes(path)) {
    await rm(path, { recursive: true, force: true });
    return "remove";
  }
  // runGit turns automatic gc off for every command; here it is what we want, at git's own threshold.
  await git(["-c", "gc.auto=6700", "gc", "--auto", "--quiet"]);
  return "compact";
}

async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}
