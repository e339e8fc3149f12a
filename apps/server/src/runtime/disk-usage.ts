import type { Stats } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { coerceError, computeDiskPart, DISK_PARTS, type DiskPart } from "@industrial/core";
import { readDatabaseBytes, type Database } from "@industrial/db";
import type { Logger } from "pino";

export type DiskSizes = Record<DiskPart, number>;

export interface DiskUsageDeps {
  dataDir: string;
  /** With PostgreSQL the database part is the database's size as it reports it; with PGlite, its directory. */
  db: Database;
  storage: "pglite" | "postgres";
  /** Between measurements; 0: none in the background (`measure` still works). */
  intervalMs: number;
  /** Receives every measurement (the gauge). */
  measured: (sizes: DiskSizes) => void;
  log: Logger;
}

/** Entries stat'ed at once while walking one directory: enough to keep the disk busy, few enough to leave the event loop free. */
const STAT_CONCURRENCY = 32;

/**
 * Bytes on disk under `path` (allocated blocks, like `du`; a hard-linked file
 * once; symbolic links not followed). Files that vanish during the walk —
 * worktrees come and go — are skipped.
 */
export async function measureTree(path: string, seen = new Set<string>()): Promise<number> {
  let total = 0;
  const stack = [path];
  while (stack.length) {
    const dir = stack.pop()!;
    const st = await lstat(dir).catch(() => null);
    if (!st) continue;
    total += allocated(st, seen);
    if (!st.isDirectory()) continue;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (let i = 0; i < entries.length; i += STAT_CONCURRENCY) {
      const chunk = entries.slice(i, i + STAT_CONCURRENCY);
      const sizes = await Promise.all(
        chunk.map(async (e) => {
          const p = join(dir, e.name);
          if (e.isDirectory()) {
            stack.push(p);
            return 0;
          }
          const s = await lstat(p).catch(() => null);
          return s ? allocated(s, seen) : 0;
        }),
      );
      for (const n of sizes) total += n;
    }
  }
  return total;
}

function allocated(st: Stats, seen: Set<string>): number {
  // A directory's link count is its subdirectories: only files are hard links.
  if (st.nlink > 1 && !st.isDirectory()) {
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return 0;
    seen.add(key);
  }
  return Number.isFinite(st.blocks) ? st.blocks * 512 : st.size;
}

/**
 * What this replica's data dir holds, per part (`orchestrator_disk_bytes`):
 * measured by walking it in the background every `intervalMs`, never on a
 * scrape (a data dir of worktrees can hold hundreds of thousands of files).
 */
export function createDiskUsage(deps: DiskUsageDeps) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<DiskSizes> | null = null;

  async function walk(): Promise<DiskSizes> {
    const sizes = Object.fromEntries(DISK_PARTS.map((p) => [p, 0])) as DiskSizes;
    const seen = new Set<string>();
    for (const entry of await readdir(deps.dataDir).catch(() => [] as string[])) {
      const part = computeDiskPart(entry);
      if (part === "database" && deps.storage === "postgres") continue;
      sizes[part] += await measureTree(join(deps.dataDir, entry), seen);
    }
    if (deps.storage === "postgres") sizes.database = await readDatabaseBytes(deps.db);
    return sizes;
  }

  /** Measures now (or joins the measurement running), and reports it. */
  function measure(): Promise<DiskSizes> {
    running ??= walk()
      .then((sizes) => {
        deps.measured(sizes);
        return sizes;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  const tick = () =>
    void measure().catch((e) =>
      deps.log.warn({ err: coerceError(e).message }, "disk usage not measured; trying again at the next interval"),
    );

  return {
    measure,
    start(): void {
      if (deps.intervalMs <= 0 || timer) return;
      tick();
      timer = setInterval(tick, deps.intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type DiskUsage = ReturnType<typeof createDiskUsage>;
