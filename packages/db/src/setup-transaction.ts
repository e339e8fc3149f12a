import type { Queryable } from "./database";

/**
 * A transaction that runs `setup` (trusted SQL built inside this package,
 * no parameters) before `fn`. On PostgreSQL the setup travels with BEGIN in
 * one round trip. Internal: `forTenant` uses it; the index does not export it.
 */
export type SetupTransaction = <T>(setup: string, fn: (tx: Queryable) => Promise<T>) => Promise<T>;

const registry = new WeakMap<object, SetupTransaction>();

/** Called by `createDatabase` for each database it makes. */
export function registerSetupTransaction(db: object, run: SetupTransaction): void {
  registry.set(db, run);
}

export function setupTransactionOf(db: object): SetupTransaction | undefined {
  return registry.get(db);
}
