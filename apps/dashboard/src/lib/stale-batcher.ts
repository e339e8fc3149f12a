import type { QueryKey } from "@tanstack/react-query";

/** A query to mark stale: every query under `queryKey` (a prefix), or only that key when `exact`. */
export interface StaleTarget {
  queryKey: QueryKey;
  exact?: boolean;
}

/** The clock and timers a batcher runs on (the browser's by default; tests pass their own). */
export interface BatcherTimers {
  now(): number;
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface StaleBatcherOptions {
  invalidate: (target: StaleTarget) => void;
  /** Trailing debounce: a burst of frames ends in one invalidation per query, this long after the last frame. */
  delayMs: number;
  /** Under a steady stream (a frame every 100 ms would push a trailing flush away forever), flush at least this often. */
  maxWaitMs: number;
  timers?: BatcherTimers;
}

export const browserTimers: BatcherTimers = {
  now: () => Date.now(),
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const idOf = (t: StaleTarget) => `${t.exact ? "=" : "^"}${JSON.stringify(t.queryKey)}`;

/** Whether `key` starts with every element of `prefix` (React Query's partial matching, elements compared as JSON). */
export function isKeyPrefix(prefix: QueryKey, key: QueryKey): boolean {
  return prefix.length <= key.length && prefix.every((p, i) => JSON.stringify(p) === JSON.stringify(key[i]));
}

/**
 * The targets that remain once those another target already covers are
 * dropped: a prefix covers every key under it (exact or not); an exact
 * target covers only itself. Each remaining target appears once, in the
 * order first given.
 */
export function computeStaleTargets(targets: readonly StaleTarget[]): StaleTarget[] {
  const unique = [...new Map(targets.map((t) => [idOf(t), t])).values()];
  return unique.filter(
    (t) =>
      !unique.some(
        (o) =>
          o !== t &&
          !o.exact &&
          isKeyPrefix(o.queryKey, t.queryKey) &&
          (o.queryKey.length < t.queryKey.length || t.exact),
      ),
  );
}

/**
 * Gathers what live frames make stale and invalidates each query once per
 * burst: trailing (`delayMs` after the last frame), and at least every
 * `maxWaitMs` while frames keep coming. Without it every `session.tokens`
 * frame refetched the lists and the session at once (docs: README, Dashboard).
 */
export function createStaleBatcher(o: StaleBatcherOptions) {
  const timers = o.timers ?? browserTimers;
  const pending = new Map<string, StaleTarget>();
  let timer: unknown = null;
  let firstAt: number | null = null;

  function flush(): void {
    if (timer !== null) timers.clear(timer);
    timer = null;
    firstAt = null;
    const targets = computeStaleTargets([...pending.values()]);
    pending.clear();
    for (const t of targets) o.invalidate(t);
  }

  return {
    /** Marks targets (or plain keys, as prefixes) stale; the invalidation follows after the burst. */
    mark(targets: readonly (StaleTarget | QueryKey)[]): void {
      if (targets.length === 0) return;
      for (const t of targets) {
        const target = Array.isArray(t) ? { queryKey: t as QueryKey } : (t as StaleTarget);
        pending.set(idOf(target), target);
      }
      const now = timers.now();
      firstAt ??= now;
      if (timer !== null) timers.clear(timer);
      timer = timers.set(flush, Math.max(0, Math.min(o.delayMs, firstAt + o.maxWaitMs - now)));
    },
    flush,
    /** Drops what is pending (the page went away). */
    cancel(): void {
      if (timer !== null) timers.clear(timer);
      timer = null;
      firstAt = null;
      pending.clear();
    },
    get pending(): number {
      return pending.size;
    },
  };
}

export type StaleBatcher = ReturnType<typeof createStaleBatcher>;
