import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConflictError } from "@industrial/core";
import { isProcessAlive } from "@industrial/opencode";

interface LockFile {
  pid: number;
  replica: string;
  startedAt: string;
}

/**
 * One orchestrator process per data directory: PGlite, the managed runner's
 * state and the worktrees are not safe to share. The lock also tells a
 * restarted process which replica id held it before, so that process can
 * adopt the dead replica's leases at once instead of waiting for expiry.
 */
export function acquireDataDirLock(
  dataDir: string,
  replica: string,
): { previousReplica: string | null; release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "orchestrator.lock");
  let previousReplica: string | null = null;
  if (existsSync(path)) {
    try {
      const prev = JSON.parse(readFileSync(path, "utf8")) as LockFile;
      if (prev.pid !== process.pid && isProcessAlive(prev.pid))
        throw new ConflictError(`another orchestrator (pid ${prev.pid}) is using the data directory ${dataDir}`, {
          suggestion: "stop it, or give this one its own ORCHESTRATOR_DATA_DIR",
        });
      previousReplica = prev.replica;
    } catch (e) {
      if (e instanceof ConflictError) throw e;
      // an unreadable lock file is a leftover; take it over
    }
  }
  const mine: LockFile = { pid: process.pid, replica, startedAt: new Date().toISOString() };
  writeFileSync(path, JSON.stringify(mine));
  return {
    previousReplica,
    release() {
      try {
        const cur = JSON.parse(readFileSync(path, "utf8")) as LockFile;
        if (cur.pid === process.pid) rmSync(path, { force: true });
      } catch {
        // already gone
      }
    },
  };
}
