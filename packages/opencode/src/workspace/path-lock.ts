import { resolve } from "node:path";

// Tail of the queue per absolute path. Each tail never rejects, so one failed
// operation does not poison the operations queued behind it.
const tails = new Map<string, Promise<void>>();

/**
 * Runs `fn` after every operation queued earlier for the same path has
 * settled. Two writers in one work tree would fight over `index.lock`;
 * different paths still run in parallel. Only serialises within this process:
 * across replicas the session lease guarantees one writer per workspace.
 */
export function withPathLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const key = resolve(path);
  const run = (tails.get(key) ?? Promise.resolve()).then(fn);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  // Drop the entry once idle so the map does not grow with every workspace ever seen.
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
