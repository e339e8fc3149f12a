import { join } from "node:path";
import { coerceError, MIRRORS_DIR, type Clock } from "@industrial/core";
import { collectMirrorGarbage, createMirrorCache, type MirrorCache, type WorkRemote } from "@industrial/opencode";
import type { Logger } from "pino";
import type { Config } from "../config";

/** This replica's mirrors of URL repositories and their garbage collection (README, "Repositories by URL"). */
export interface MirrorsRuntime {
  cache: MirrorCache;
  /** One garbage-collection round now (or joins the one running). */
  collect(): Promise<{ removed: string[]; compacted: string[] }>;
  start(): void;
  stop(): Promise<void>;
}

/**
 * The mirror cache under `<data dir>/mirrors` (the `mirrors` part of
 * `orchestrator_disk_bytes`), reaching repositories with the work remote's
 * credentials setup, and a round every ORCHESTRATOR_MIRROR_GC_INTERVAL_MS
 * that compacts mirrors and removes those unused for
 * ORCHESTRATOR_MIRROR_RETENTION_DAYS with no session's clone or worktree cut from them.
 */
export function createMirrors(deps: {
  config: Config;
  remoteFor(url: string): WorkRemote;
  clock: Clock;
  logger: Logger;
}): MirrorsRuntime {
  const { config } = deps;
  const log = deps.logger.child({ component: "mirrors" });
  const dir = join(config.ORCHESTRATOR_DATA_DIR, MIRRORS_DIR);
  const cache = createMirrorCache({ dir, remoteFor: deps.remoteFor });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<{ removed: string[]; compacted: string[] }> | null = null;

  const collect = () =>
    (running ??= collectMirrorGarbage({
      dir,
      worktreesDir: join(config.ORCHESTRATOR_DATA_DIR, "worktrees"),
      retentionDays: config.ORCHESTRATOR_MIRROR_RETENTION_DAYS,
      now: deps.clock.now(),
      log: (level, msg, extra) => log[level](extra ?? {}, msg),
    }).finally(() => {
      running = null;
    }));
  const tick = () =>
    void collect().catch((e: unknown) =>
      log.warn({ err: coerceError(e).message }, "mirror garbage collection failed; trying again at the next interval"),
    );

  return {
    cache,
    collect,
    start(): void {
      if (config.ORCHESTRATOR_MIRROR_GC_INTERVAL_MS <= 0 || timer) return;
      timer = setInterval(tick, config.ORCHESTRATOR_MIRROR_GC_INTERVAL_MS);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
