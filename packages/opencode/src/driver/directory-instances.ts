import type { Workspace } from "@industrial/core";
import { isSlotPath } from "../workspace/warm-slots";
import type { OcClient } from "./ports";

/**
 * Attempts of this process per OpenCode directory. OpenCode keeps an instance
 * (file watcher, snapshot state, ~10–20 MiB) per directory until disposed; the
 * last attempt to leave a directory disposes it so long-running runners do not grow.
 */
export const activeDirectories = new Map<string, number>();

/** Whether an attempt of this process works in `dir` right now (a warm slot is not handed over under it). */
export function isDirectoryInUse(dir: string): boolean {
  return (activeDirectories.get(dir) ?? 0) > 0;
}

/**
 * OpenCode builds an instance the first time it sees a directory (~1–1.5 s of
 * CPU on our machines, and serialised inside the server). Many attempts
 * starting at once would all time out waiting; so first contacts go one at a
 * time per runner, with a generous timeout, and later calls find the instance warm.
 */
const warmUpQueues = new Map<string, Promise<unknown>>();
/** Runner and directory pairs whose instance this process built and did not dispose (a warm slot's): no need to queue. */
const warmInstances = new Set<string>();
export function warmUp<T>(url: string, dir: string, call: () => Promise<T>): Promise<T> {
  const key = `${url}\0${dir}`;
  if (warmInstances.has(key)) return call();
  const previous = warmUpQueues.get(url) ?? Promise.resolve();
  const next = previous
    .catch(() => undefined)
    .then(async () => {
      const result = await call();
      warmInstances.add(key);
      return result;
    });
  warmUpQueues.set(url, next);
  void next
    .finally(() => {
      if (warmUpQueues.get(url) === next) warmUpQueues.delete(url);
    })
    .catch(() => undefined);
  return next;
}

/** The instance of `dir` on the runner at `url` is disposed: its next first contact queues again. */
export function forgetInstance(url: string, dir: string): void {
  warmInstances.delete(`${url}\0${dir}`);
}

/** The process at `url` stopped or died: every instance it held is gone (a new process may get its port). */
export function forgetRunner(url: string): void {
  for (const key of warmInstances) if (key.startsWith(`${url}\0`)) warmInstances.delete(key);
}

/**
 * An attempt leaves its workspace's directory; the last attempt of this
 * process to leave it disposes OpenCode's instance there — but only a
 * session's own directory (worktree or scratch): a person's plain directory
 * may be shared with sessions of other replicas. A warm slot's instance is
 * kept: it is what the next session of the repository starts on (slots are
 * bounded). And a detached attempt's turn goes on under its new owner: its
 * instance is left alone.
 */
export async function leaveDirectory(input: {
  ws: Workspace;
  client: OcClient;
  /** The runner's URL the instance was built on. */
  url: string | null;
  worktreesDir: string;
  /** Asked last: the attempt may be detached while the slot check runs. */
  detached(): boolean;
}): Promise<void> {
  const dir = input.ws.path;
  if (!dir) return;
  const left = (activeDirectories.get(dir) ?? 1) - 1;
  if (left > 0) return void activeDirectories.set(dir, left);
  activeDirectories.delete(dir);
  const ownDirectory = input.ws.repository !== null || input.ws.directory === null;
  const slot = await isSlotPath(dir, input.worktreesDir);
  if (!ownDirectory || slot || input.detached()) return;
  if (input.url) forgetInstance(input.url, dir);
  await input.client.disposeInstance().catch(() => undefined);
}
