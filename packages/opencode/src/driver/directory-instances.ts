/**
 * Attempts of this process per OpenCode directory. OpenCode keeps an instance
 * (file watcher, snapshot state, ~10–20 MiB) per directory until disposed; the
 * last attempt to leave a directory disposes it so long-running runners do not grow.
 */
export const activeDirectories = new Map<string, number>();

/**
 * OpenCode builds an instance the first time it sees a directory (~1–1.5 s of
 * CPU on our machines, and serialised inside the server). Many attempts
 * starting at once would all time out waiting; so first contacts go one at a
 * time per runner, with a generous timeout, and later calls find the instance warm.
 */
const warmUpQueues = new Map<string, Promise<unknown>>();
export function warmUp<T>(url: string, call: () => Promise<T>): Promise<T> {
  const previous = warmUpQueues.get(url) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(call);
  warmUpQueues.set(url, next);
  void next.finally(() => {
    if (warmUpQueues.get(url) === next) warmUpQueues.delete(url);
  }).catch(() => undefined);
  return next;
}
