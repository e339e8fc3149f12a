import type { Database, Queryable } from "./database";
import { registerSetupTransaction, setupTransactionOf, type SetupTransaction } from "./setup-transaction";

/*
 * Tenant isolation has two walls (docs/security.md, Tenant isolation):
 * 1. every function of this package that reads or writes a tenant-owned row
 *    takes the tenant id and filters by it;
 * 2. under it, row-level security (migration 0008): a database made by
 *    `forTenant` runs each transaction as the role the policies bind, with
 *    `app.tenant_id` set, so a query that forgot its WHERE still sees only
 *    its tenant's rows.
 * The owner connection (the plain `Database`) is not bound by the policies.
 * The few readers that span tenants take a `CrossTenantDatabase`, which only
 * `bypassTenantWall` makes: the bypass is named, with its reason, where it is used.
 */

/** The role migration 0008 creates and binds with its policies. */
export const TENANT_ROLE = "orchestrator_tenant";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Databases made by forTenant, and their tenant. */
const scoped = new WeakMap<Database, string>();

/**
 * The owner connection used on purpose across tenants (dispatch, admission,
 * lease adoption, fleet gauges, WebSocket routing). Functions that take it
 * filter by no tenant; only `bypassTenantWall` makes one.
 */
export interface CrossTenantDatabase extends Database {
  /** Why this reader spans tenants (kept for whoever reads the code or a heap dump). */
  readonly crossTenantReason: string;
}

/**
 * `db` (the owner connection) as a database whose every query and
 * transaction runs as `orchestrator_tenant` with `app.tenant_id` = `tenantId`:
 * row-level security lets through only that tenant's rows, and refuses
 * writes of another tenant's. Closing it leaves the underlying pool open.
 * On PGlite, as with any transaction, do not query `db` from inside one.
 */
export function forTenant(db: Database, tenantId: string): Database {
  if (!UUID.test(tenantId))
    throw new TypeError(`forTenant: the tenant id must be a UUID, got ${JSON.stringify(tenantId)}`);
  const already = scoped.get(db);
  if (already !== undefined) {
    if (already.toLowerCase() === tenantId.toLowerCase()) return db;
    throw new Error(
      `forTenant: this database is already scoped to tenant ${already}; scope the owner connection instead`,
    );
  }
  // The id is a validated UUID: it can be spelled into the setup, which then needs no parameters.
  const setup = `SET LOCAL ROLE ${TENANT_ROLE}; SELECT set_config('app.tenant_id', '${tenantId.toLowerCase()}', true)`;
  const run = setupTransactionOf(db) ?? fallbackSetupTransaction(db);
  const tenantDb: Database = {
    kind: db.kind,
    query: <T>(sql: string, params?: readonly unknown[]) => run(setup, (tx) => tx.query<T>(sql, params)),
    transaction: (fn) => run(setup, fn),
    close: async () => {},
  };
  scoped.set(tenantDb, tenantId);
  return tenantDb;
}

/** The tenant a database made by `forTenant` is scoped to; null for the owner connection. */
export function tenantScopeOf(db: Database): string | null {
  return scoped.get(db) ?? null;
}

/**
 * Names a use of the owner connection across tenants. `reason` says why the
 * reader may see every tenant's rows. Closing the result leaves `db` open.
 * A database scoped by `forTenant` cannot be turned back into the owner: that throws.
 */
export function bypassTenantWall(db: Database, reason: string): CrossTenantDatabase {
  const tenant = scoped.get(db);
  if (tenant !== undefined)
    throw new Error(
      `bypassTenantWall(${reason}): this database is scoped to tenant ${tenant}; cross-tenant readers need the owner connection`,
    );
  if ("crossTenantReason" in db) return db as CrossTenantDatabase;
  const owner: CrossTenantDatabase = {
    kind: db.kind,
    query: <T>(sql: string, params?: readonly unknown[]) => db.query<T>(sql, params),
    transaction: (fn) => db.transaction(fn),
    // The owner's life belongs to whoever opened it.
    close: async () => {},
    crossTenantReason: reason,
  };
  // forTenant of the bypass still takes the one-round-trip path.
  const run = setupTransactionOf(db);
  if (run) registerSetupTransaction(owner, run);
  return owner;
}

/** For a Database this package did not make: the setup as statements at the start of its transaction. */
function fallbackSetupTransaction(db: Database): SetupTransaction {
  return (setup, fn) =>
    db.transaction(async (tx: Queryable) => {
      for (const statement of setup.split("; ")) await tx.query(statement);
      return fn(tx);
    });
}
