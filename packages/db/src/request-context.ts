import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The API request being served, carried through its async work without
 * threading it through every call: log lines made while serving it and the
 * session events it writes are stamped with its id. Background loops (the
 * scheduler, the task executor) run outside it even when a request pokes
 * them, so their own work is never attributed to that request.
 */
const storage = new AsyncLocalStorage<{ requestId: string }>();

export function runWithRequest<T>(requestId: string, fn: () => T): T {
  return storage.run({ requestId }, fn);
}

export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}

/** `fn` bound to no request: timers it schedules do not inherit the request that first called it. */
export function detachedFromRequest<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => storage.exit(() => fn(...args));
}
