import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@industrial/testkit";
import {
  forTenant,
  insertAuditEntry,
  insertContext,
  insertDependency,
  insertSession,
  insertUser,
  TENANT_ROLE,
  type Database,
} from "./index";
import { newSession, seedTenant, type TenantRows } from "./testing/two-tenants";

// The second wall (migration 0008): through forTenant, a query with no tenant
// filter at all sees only its tenant's rows and cannot write another's.

/** How a row of each tenant-owned table names its tenant: a column of its own, or its parent's. */
type Owner = { column: "id" | "tenant_id" } | { parent: "sessions" | "agents" | "contexts"; via: string };
const TENANT_OWNED: Record<string, Owner> = {
  tenants: { column: "id" },
  runners: { column: "tenant_id" },
  agents: { column: "tenant_id" },
  sessions: { column: "tenant_id" },
  contexts: { column: "tenant_id" },
  tasks: { column: "tenant_id" },
  task_dependencies: { column: "tenant_id" },
  users: { column: "tenant_id" },
  api_keys: { column: "tenant_id" },
  audit_log: { column: "tenant_id" },
  input_requests: { column: "tenant_id" },
  attempts: { parent: "sessions", via: "session_id" },
  session_events: { parent: "sessions", via: "session_id" },
  checkpoints: { parent: "sessions", via: "session_id" },
  agent_tier_history: { parent: "agents", via: "agent_id" },
  context_changes: { parent: "contexts", via: "context_id" },
};
const TABLES = Object.keys(TENANT_OWNED);

let t: TestDatabase;
let a: TenantRows;
let b: TenantRows;
let asA: Database;
/** Parent id → tenant, read through the owner connection. */
const parents = new Map<string, string>();

function tenantOf(table: string, row: Record<string, unknown>): string | undefined {
  const owner = TENANT_OWNED[table]!;
  return "column" in owner ? (row[owner.column] as string) : parents.get(row[owner.via] as string);
}

async function rowsOf(db: Database, table: string): Promise<Record<string, unknown>[]> {
  return db.query(`SELECT * FROM ${table}`);
}

/** The SQLSTATE of a refused statement (42501: a policy's check failed), or "accepted". */
async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (e) {
    return String((e as { code?: unknown }).code);
  }
  return "accepted";
}

beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedTenant(t.db, "tenant-a");
  b = await seedTenant(t.db, "tenant-b");
  asA = forTenant(t.db, a.tenantId);
  for (const parent of ["sessions", "agents", "contexts"])
    for (const r of await t.db.query<{ id: string; tenant_id: string }>(`SELECT id, tenant_id FROM ${parent}`))
      parents.set(r.id, r.tenant_id);
});
afterAll(async () => t?.drop());

describe(`row-level security on ${process.env.ORCHESTRATOR_TEST_DB}`, () => {
  it.each(TABLES)("SELECT * FROM %s through forTenant(A) returns A's rows and nothing of B's", async (table) => {
    const all = await rowsOf(t.db, table);
    const ofA = all.filter((r) => tenantOf(table, r) === a.tenantId);
    // Not vacuous: both tenants own rows in this table.
    expect(ofA.length).toBeGreaterThan(0);
    expect(all.filter((r) => tenantOf(table, r) === b.tenantId).length).toBeGreaterThan(0);

    const seen = await rowsOf(asA, table);
    expect(seen.map((r) => tenantOf(table, r))).toEqual(seen.map(() => a.tenantId));
    expect(seen).toHaveLength(ofA.length);
  });

  it("refuses to write a row of B in every tenant-owned table", async () => {
    const json = "{}";
    const attempts: Record<string, () => Promise<unknown>> = {
      tenants: () =>
        asA.query("INSERT INTO tenants (id, name, slug) VALUES ($1, 'x', $2)", [randomUUID(), `x-${randomUUID()}`]),
      runners: () =>
        asA.query("INSERT INTO runners (id, tenant_id, name, kind) VALUES ($1, $2, 'x', 'remote')", [
          randomUUID(),
          b.tenantId,
        ]),
      agents: () =>
        asA.query(
          "INSERT INTO agents (id, tenant_id, name, type, stats, breaker) VALUES ($1, $2, 'x', 'implementer', $3, $3)",
          [randomUUID(), b.tenantId, json],
        ),
      sessions: () => asA.transaction((tx) => insertSession(tx, newSession(b.tenantId))),
      attempts: () =>
        asA.query("INSERT INTO attempts (id, session_id, number, fencing_token) VALUES ($1, $2, 9, 9)", [
          randomUUID(),
          b.sessionId,
        ]),
      session_events: () =>
        asA.query("INSERT INTO session_events (session_id, seq, type, payload) VALUES ($1, 999, 'session.log', $2)", [
          b.sessionId,
          json,
        ]),
      checkpoints: () =>
        asA.query(
          "INSERT INTO checkpoints (session_id, seq, attempt, trigger, diff_stat, tokens, cost_usd, created_at, hash) VALUES ($1, 99, 1, 'manual', $2, $2, 0, now(), 'h')",
          [b.sessionId, json],
        ),
      agent_tier_history: () =>
        asA.query(
          "INSERT INTO agent_tier_history (agent_id, to_tier, finished, success_rate, reason) VALUES ($1, 'GOLD', 0, 0, 'x')",
          [b.agentId],
        ),
      contexts: () =>
        insertContext(asA, {
          tenantId: b.tenantId,
          scope: "global",
          sessionId: null,
          agentId: null,
          name: "x",
          data: {},
          expiresAt: null,
        }),
      context_changes: () =>
        asA.query("INSERT INTO context_changes (context_id, version, paths, source) VALUES ($1, 99, '{}', 'patch')", [
          b.contextId,
        ]),
      tasks: () =>
        asA.query(
          "INSERT INTO tasks (id, tenant_id, root_task_id, title, type, status, priority, estimate, complexity) VALUES ($1, $2, $1, 'x', 'execution', 'pending', 'medium', $3, 'S')",
          [randomUUID(), b.tenantId, json],
        ),
      task_dependencies: () =>
        insertDependency(asA, {
          tenantId: b.tenantId,
          taskId: b.taskIds[1],
          dependsOnTaskId: b.taskIds[2],
          type: "finish_to_start",
        }),
      users: () => insertUser(asA, { tenantId: b.tenantId, name: "x", email: "x@example.test", role: "admin" }),
      api_keys: () =>
        asA.query(
          "INSERT INTO api_keys (id, tenant_id, name, role, prefix, key_hash) VALUES ($1, $2, 'x', 'admin', $3, 'h')",
          [randomUUID(), b.tenantId, randomUUID()],
        ),
      input_requests: () =>
        asA.query(
          "INSERT INTO input_requests (id, tenant_id, session_id, attempt, agent_id, kind, open_code_request_id, open_code_session_id, payload) VALUES ($1, $2, $3, 1, $4, 'question', 'que_x', 'ses_x', '{}')",
          [randomUUID(), b.tenantId, b.sessionId, b.agentId],
        ),
      audit_log: () =>
        insertAuditEntry(asA, {
          tenantId: b.tenantId,
          keyId: null,
          userId: null,
          actor: "anonymous",
          action: "x",
          target: "x",
          status: 200,
          requestId: "r",
        }),
    };
    expect(Object.keys(attempts).sort()).toEqual([...TABLES].sort());
    const outcomes: Record<string, string> = {};
    for (const [table, run] of Object.entries(attempts)) outcomes[table] = await refusal(run());
    expect(outcomes).toEqual(Object.fromEntries(TABLES.map((table) => [table, "42501"])));
  });

  it("updates and deletes without a filter touch only the tenant's own rows", async () => {
    await asA.query("UPDATE sessions SET title = 'renamed by A'");
    await asA.query("DELETE FROM audit_log");
    const titles = await t.db.query<{ tenant_id: string; title: string }>(
      "SELECT tenant_id, title FROM sessions WHERE tenant_id = ANY($1::uuid[])",
      [[a.tenantId, b.tenantId]],
    );
    expect(titles.filter((r) => r.tenant_id === b.tenantId).map((r) => r.title)).not.toContain("renamed by A");
    expect(titles.filter((r) => r.tenant_id === a.tenantId).every((r) => r.title === "renamed by A")).toBe(true);
    const audit = await t.db.query<{ tenant_id: string }>("SELECT tenant_id FROM audit_log");
    expect(audit.map((r) => r.tenant_id)).toEqual([b.tenantId]);
  });

  it("binds every table the tenant role can read: no table of a later migration escapes the policies", async () => {
    const rows = await t.db.query<{ relname: string; relrowsecurity: boolean }>(
      `SELECT c.relname, c.relrowsecurity FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND has_table_privilege($1, c.oid, 'SELECT') ORDER BY c.relname`,
      [TENANT_ROLE],
    );
    expect(rows.filter((r) => !r.relrowsecurity).map((r) => r.relname)).toEqual([]);
    expect(rows.map((r) => r.relname)).toEqual([...TABLES].sort());
  });
});
