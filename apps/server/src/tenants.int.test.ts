import { TenantSchema, TenantUsageSchema, type PatchTenantBody, type SessionView } from "@industrial/contracts";
import { tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, sendJson } from "./testing/http";
import { DEFAULT_TENANT_ID } from "./main";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

let h: TestOrchestrator;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
  h = await startTestOrchestrator();
  // One plain directory for every session: one OpenCode instance, no per-session worktree.
  dir = tempDir("orch-tenants-");
});
afterAll(async () => {
  await h?.close();
  dir?.remove();
});

const send = (method: string, path: string, body?: unknown) => sendJson(h.orc.url, method, path, body);

const quick = (title: string) => h.api.call("createSession", { body: { title, prompt: scripted(title, [{ text: "done" }]), directory: dir.path, retry: { maxAttempts: 3, backoffBaseSeconds: 1 } } });
const patchDefault = (body: PatchTenantBody) => h.api.call("patchTenant", { params: { id: DEFAULT_TENANT_ID }, body });

/** Waits until a session is still pending with exactly this reason. */
async function waitForReason(id: string, reason: string): Promise<SessionView> {
  return waitFor(
    async () => {
      const s = await h.api.call("getSession", { params: { id } });
      expect(s.status).toBe("pending");
      return s.statusReason === reason ? s : null;
    },
    `session ${id} pending with reason "${reason}"`,
    { timeoutMs: 15_000 },
  );
}

describe(`tenants over the HTTP API (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("lists the default tenant first, creates, reads and refuses a taken slug", async () => {
    const first = await h.api.call("listTenants", { query: {} });
    expect(first.items[0]).toMatchObject({ id: DEFAULT_TENANT_ID, slug: "default", maxConcurrentSessions: 10, monthlyTokenBudget: null, monthlyCostBudgetUsd: null, active: true });

    const created = await h.api.call("createTenant", { body: { name: "Team Ärger & Co", monthlyCostBudgetUsd: 12.5 } });
    expect(created).toMatchObject({ name: "Team Ärger & Co", slug: "team-arger-co", maxConcurrentSessions: 10, monthlyTokenBudget: null, monthlyCostBudgetUsd: 12.5, active: true });
    expect(await h.api.call("getTenant", { params: { id: created.id } })).toEqual(created);
    const taken = await expectError(send("POST", "/tenants", { name: "Other", slug: "team-arger-co" }), 409, "CONFLICT", "body.slug");
    expect(taken.message).toContain("team-arger-co");
    await expectError(send("POST", "/tenants", { name: "!!!" }), 400, "INVALID_INPUT", "body.slug");
    await expectError(send("POST", "/tenants", { name: "x", slug: "Not A Slug" }), 400, "INVALID_INPUT", "body.slug");

    // Pagination: oldest first, every tenant once, the total of all.
    for (let i = 0; i < 3; i++) await h.api.call("createTenant", { body: { name: `page ${i}` } });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await h.api.call("listTenants", { query: { limit: 2, ...(cursor ? { cursor } : {}) } });
      expect(page.total).toBe(5);
      seen.push(...page.items.map((t) => t.slug));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(["default", "team-arger-co", "page-0", "page-1", "page-2"]);
  });

  it("validates PATCH field by field and answers 404 for an unknown tenant", async () => {
    const t = await h.api.call("createTenant", { body: { name: "Validation" } });
    const at = `/tenants/${t.id}`;
    await expectError(send("PATCH", at, { maxConcurrentSessions: -1 }), 400, "INVALID_INPUT", "body.maxConcurrentSessions");
    await expectError(send("PATCH", at, { maxConcurrentSessions: 1.5 }), 400, "INVALID_INPUT", "body.maxConcurrentSessions");
    await expectError(send("PATCH", at, { maxConcurrentSessions: "3" }), 400, "INVALID_INPUT", "body.maxConcurrentSessions");
    await expectError(send("PATCH", at, { monthlyTokenBudget: -5 }), 400, "INVALID_INPUT", "body.monthlyTokenBudget");
    await expectError(send("PATCH", at, { monthlyCostBudgetUsd: "ten" }), 400, "INVALID_INPUT", "body.monthlyCostBudgetUsd");
    await expectError(send("PATCH", at, { active: "yes" }), 400, "INVALID_INPUT", "body.active");
    await expectError(send("PATCH", at, { name: "   " }), 400, "INVALID_INPUT", "body.name");
    await expectError(send("PATCH", at, { slug: "renamed" }), 400, "INVALID_INPUT", "body.slug");
    // Every failing field is named at once.
    const both = await expectError(send("PATCH", at, { maxConcurrentSessions: -1, monthlyCostBudgetUsd: -1 }), 400, "INVALID_INPUT");
    expect(both.details?.map((d) => d.path).sort()).toEqual(["body.maxConcurrentSessions", "body.monthlyCostBudgetUsd"]);
    await expectError(send("PATCH", at, {}), 400, "INVALID_INPUT");
    await expectError(send("PATCH", at, "{not json"), 400, "INVALID_INPUT");
    expect(await h.api.call("getTenant", { params: { id: t.id } })).toEqual(t);

    // null clears a budget; the answer is the stored row.
    const changed = await h.api.call("patchTenant", { params: { id: t.id }, body: { name: "Renamed", maxConcurrentSessions: 3, monthlyTokenBudget: 5000, monthlyCostBudgetUsd: 2.5, active: false } });
    expect(changed).toEqual({ ...t, name: "Renamed", maxConcurrentSessions: 3, monthlyTokenBudget: 5000, monthlyCostBudgetUsd: 2.5, active: false });
    expect(await h.api.call("patchTenant", { params: { id: t.id }, body: { monthlyTokenBudget: null } })).toMatchObject({ monthlyTokenBudget: null, monthlyCostBudgetUsd: 2.5 });

    const unknown = "7d444840-9dc0-41a3-9a2a-111111111111";
    for (const [method, path, body] of [
      ["GET", `/tenants/${unknown}`, undefined],
      ["PATCH", `/tenants/${unknown}`, { active: true }],
      ["GET", `/tenants/${unknown}/usage`, undefined],
    ] as const)
      await expectError(send(method, path, body), 404, "NOT_FOUND");
    await expectError(send("GET", "/tenants/not-a-uuid"), 400, "INVALID_INPUT", "params.id");
    await expectError(send("GET", "/tenants?limit=0"), 400, "INVALID_INPUT", "query.limit");

    // The new routes are in the OpenAPI document (it is built from the same catalogue).
    const doc = (await (await fetch(`${h.orc.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths["/api/v1/tenants/{id}"] ?? {}).sort()).toEqual(["get", "patch"]);
    expect(doc.paths["/api/v1/tenants/{id}/usage"]?.get).toBeDefined();
  });

  it("PATCH changes admission: quota 0 and inactive keep new sessions pending with the reason, then admit them", async () => {
    // The first session warms the managed runner up (OpenCode's first start is the slow part).
    const warm = await quick("warm-up");
    await waitForStatus(h.api, warm.id, ["completed"], 110_000);

    await patchDefault({ maxConcurrentSessions: 0 });
    const a = await quick("held by the quota");
    await waitForReason(a.id, "waiting: tenant quota of 0 concurrent sessions reached");
    let usage = TenantUsageSchema.parse(await h.api.call("tenantUsage", { params: { id: DEFAULT_TENANT_ID } }));
    expect(usage.admission).toEqual({ open: false, reason: "waiting: tenant quota of 0 concurrent sessions reached", freeSlots: 0 });
    expect(usage.sessions).toMatchObject({ pending: 1, maxConcurrent: 0 });

    // Inactive wins over the quota, whatever the quota.
    await patchDefault({ maxConcurrentSessions: 10, active: false });
    await waitForReason(a.id, "waiting: tenant is inactive");
    usage = await h.api.call("tenantUsage", { params: { id: DEFAULT_TENANT_ID } });
    expect(usage.admission).toEqual({ open: false, reason: "waiting: tenant is inactive", freeSlots: 0 });

    // Active again: the waiting session is admitted and runs.
    expect(await patchDefault({ active: true })).toMatchObject({ active: true, maxConcurrentSessions: 10 });
    await waitForStatus(h.api, a.id, ["completed"], 60_000);

    // This month's tokens and cost are the sums over the tenant's sessions, as admission counts them.
    const sessions = (await h.api.call("listSessions", { query: { limit: 200 } })).items;
    const tokens = sessions.reduce((n, s) => n + s.metrics.tokens.input + s.metrics.tokens.output + s.metrics.tokens.reasoning, 0);
    const cost = sessions.reduce((n, s) => n + s.metrics.costUsd, 0);
    expect(tokens).toBeGreaterThan(0);
    usage = await h.api.call("tenantUsage", { params: { id: DEFAULT_TENANT_ID } });
    expect(usage.tokens).toEqual({ used: tokens, budget: null });
    expect(usage.costUsd.used).toBeCloseTo(cost, 9);
    expect(usage.sessions).toEqual({ running: 0, queued: 0, pending: 0, active: 0, maxConcurrent: 10 });
    expect(usage.admission).toEqual({ open: true, reason: null, freeSlots: 10 });
    expect(new Date(usage.periodStart).getTime()).toBeLessThanOrEqual(Date.now());
    expect(Date.now() - new Date(usage.periodStart).getTime()).toBeLessThan(32 * 86_400_000);

    // A token budget already spent holds new sessions; clearing it admits them.
    await patchDefault({ monthlyTokenBudget: tokens });
    const b = await quick("held by the budget");
    await waitForReason(b.id, `waiting: tenant monthly token budget of ${tokens} is used up`);
    expect((await h.api.call("tenantUsage", { params: { id: DEFAULT_TENANT_ID } })).tokens).toEqual({ used: tokens, budget: tokens });
    await patchDefault({ monthlyTokenBudget: null });
    await waitForStatus(h.api, b.id, ["completed"], 60_000);
    TenantSchema.parse(await h.api.call("getTenant", { params: { id: DEFAULT_TENANT_ID } }));
  });

  it("keeps sessions and agents to the tenant's model list; a lead sets it, a member cannot", async () => {
    const lead = await h.api.call("createApiKey", { body: { name: "models-lead", role: "lead" } });
    const member = await h.api.call("createApiKey", { body: { name: "models-member", role: "member" } });
    // /me names the key it was called with (its public prefix and name; never the key).
    const me = (await sendJson(h.orc.url, "GET", "/me", undefined, lead.key)).json as Record<string, unknown>;
    expect(me).toMatchObject({ role: "lead", keyId: lead.id, keyName: "models-lead", keyPrefix: lead.prefix, userName: null });
    expect(JSON.stringify(me)).not.toContain(lead.key);
    await expectError(sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, { allowedModels: ["scripted/scripted-model"] }, member.key), 403, "FORBIDDEN");
    const patched = await sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, { allowedModels: ["scripted/scripted-model"] }, lead.key);
    expect(TenantSchema.parse(patched.json).allowedModels).toEqual(["scripted/scripted-model"]);
    try {
      await expectError(send("POST", "/sessions", { prompt: "x", model: "anthropic/claude-opus", start: false }), 400, "INVALID_INPUT", "body.model");
      await expectError(send("POST", "/agents", { name: "pricey", type: "implementer", model: "openai/gpt-5" }), 400, "INVALID_INPUT", "body.model");
      const ok = await send("POST", "/sessions", { prompt: "x", model: "scripted/scripted-model", start: false });
      expect(ok.status).toBe(201);
      // A session naming no model is not refused: it runs on its agent's or the server's default.
      expect((await send("POST", "/sessions", { prompt: "x", start: false })).status).toBe(201);
    } finally {
      await patchDefault({ allowedModels: null });
    }
  });
});
