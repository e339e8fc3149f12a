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

const quick = (title: string) =>
  h.api.call("createSession", {
    body: {
      title,
      prompt: scripted(title, [{ text: "done" }]),
      directory: dir.path,
      retry: { maxAttempts: 3, backoffBaseSeconds: 1 },
    },
  });
const patchDefault = (body: PatchTenantBody) => h.api.call("patchTenant", { params: { id: DEFAULT_TENANT_ID }, body });

/** Waits until a session is still pending with exactly this reason. */
async function waitForReason(
  id: string,
  reason: string,
  status: "pending" | "queued" = "pending",
): Promise<SessionView> {
  return waitFor(
    async () => {
      const s = await h.api.call("getSession", { params: { id } });
      expect(s.status).toBe(status);
      return s.statusReason === reason ? s : null;
    },
    `session ${id} ${status} with reason "${reason}"`,
    { timeoutMs: 15_000 },
  );
}

describe(`tenants over the HTTP API (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("lists the default tenant first, creates, reads and refuses a taken slug", async () => {
    const first = await h.api.call("listTenants", { query: {} });
    expect(first.items[0]).toMatchObject({
      id: DEFAULT_TENANT_ID,
      slug: "default",
      maxConcurrentSessions: 10,
      weight: 1,
      monthlyTokenBudget: null,
      monthlyCostBudgetUsd: null,
      active: true,
    });

    const created = await h.api.call("createTenant", { body: { name: "Team Ärger & Co", monthlyCostBudgetUsd: 12.5 } });
    expect(created).toMatchObject({
      name: "Team Ärger & Co",
      slug: "team-arger-co",
      maxConcurrentSessions: 10,
      weight: 1,
      monthlyTokenBudget: null,
      monthlyCostBudgetUsd: 12.5,
      active: true,
    });
    expect(await h.api.call("getTenant", { params: { id: created.id } })).toEqual(created);
    const taken = await expectError(
      send("POST", "/tenants", { name: "Other", slug: "team-arger-co" }),
      409,
      "CONFLICT",
      "body.slug",
    );
    expect(taken.message).toContain("team-arger-co");
    await expectError(send("POST", "/tenants", { name: "!!!" }), 400, "INVALID_INPUT", "body.slug");
    await expectError(send("POST", "/tenants", { name: "x", slug: "Not A Slug" }), 400, "INVALID_INPUT", "body.slug");
    // The weight (share of running slots across tenants) is over 0 and at most 1000, a number.
    for (const weight of [0, -1, 1001, "x"]) {
      const refused = await expectError(
        send("POST", "/tenants", { name: "Weightless", weight }),
        400,
        "INVALID_INPUT",
        "body.weight",
      );
      expect(refused.details?.find((d) => d.path === "body.weight")?.reason).toContain(
        "greater than 0 and at most 1000",
      );
    }

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

    // A weight given at creation is stored and read back (fractions too).
    const weighted = await h.api.call("createTenant", { body: { name: "Weighted", weight: 2.5 } });
    expect(weighted).toMatchObject({ slug: "weighted", maxConcurrentSessions: 10, weight: 2.5 });
    expect(TenantSchema.parse(await h.api.call("getTenant", { params: { id: weighted.id } })).weight).toBe(2.5);
  });

  it("validates PATCH field by field and answers 404 for an unknown tenant", async () => {
    const t = await h.api.call("createTenant", { body: { name: "Validation" } });
    const at = `/tenants/${t.id}`;
    await expectError(
      send("PATCH", at, { maxConcurrentSessions: -1 }),
      400,
      "INVALID_INPUT",
      "body.maxConcurrentSessions",
    );
    await expectError(
      send("PATCH", at, { maxConcurrentSessions: 1.5 }),
      400,
      "INVALID_INPUT",
      "body.maxConcurrentSessions",
    );
    await expectError(
      send("PATCH", at, { maxConcurrentSessions: "3" }),
      400,
      "INVALID_INPUT",
      "body.maxConcurrentSessions",
    );
    for (const weight of [0, -1, 1001, "x"])
      await expectError(send("PATCH", at, { weight }), 400, "INVALID_INPUT", "body.weight");
    await expectError(send("PATCH", at, { monthlyTokenBudget: -5 }), 400, "INVALID_INPUT", "body.monthlyTokenBudget");
    await expectError(
      send("PATCH", at, { monthlyCostBudgetUsd: "ten" }),
      400,
      "INVALID_INPUT",
      "body.monthlyCostBudgetUsd",
    );
    await expectError(send("PATCH", at, { active: "yes" }), 400, "INVALID_INPUT", "body.active");
    await expectError(send("PATCH", at, { name: "   " }), 400, "INVALID_INPUT", "body.name");
    await expectError(send("PATCH", at, { slug: "renamed" }), 400, "INVALID_INPUT", "body.slug");
    // Every failing field is named at once.
    const both = await expectError(
      send("PATCH", at, { maxConcurrentSessions: -1, monthlyCostBudgetUsd: -1 }),
      400,
      "INVALID_INPUT",
    );
    expect(both.details?.map((d) => d.path).sort()).toEqual([
      "body.maxConcurrentSessions",
      "body.monthlyCostBudgetUsd",
    ]);
    expect(
      (await expectError(send("PATCH", at, {}), 400, "INVALID_INPUT")).details?.map((d) => d.reason).join(" "),
    ).toContain("weight");
    await expectError(send("PATCH", at, "{not json"), 400, "INVALID_INPUT");
    expect(await h.api.call("getTenant", { params: { id: t.id } })).toEqual(t);

    // null clears a budget; the answer is the stored row.
    const changed = await h.api.call("patchTenant", {
      params: { id: t.id },
      body: {
        name: "Renamed",
        maxConcurrentSessions: 3,
        weight: 4,
        monthlyTokenBudget: 5000,
        monthlyCostBudgetUsd: 2.5,
        active: false,
      },
    });
    expect(changed).toEqual({
      ...t,
      name: "Renamed",
      maxConcurrentSessions: 3,
      weight: 4,
      monthlyTokenBudget: 5000,
      monthlyCostBudgetUsd: 2.5,
      active: false,
    });
    expect(await h.api.call("patchTenant", { params: { id: t.id }, body: { monthlyTokenBudget: null } })).toMatchObject(
      { monthlyTokenBudget: null, monthlyCostBudgetUsd: 2.5, weight: 4 },
    );
    // The weight alone, at both ends of its range; the answer is the stored row.
    expect(await h.api.call("patchTenant", { params: { id: t.id }, body: { weight: 1000 } })).toMatchObject({
      weight: 1000,
      maxConcurrentSessions: 3,
    });
    expect(await h.api.call("patchTenant", { params: { id: t.id }, body: { weight: 0.001 } })).toMatchObject({
      weight: 0.001,
    });
    expect((await h.api.call("getTenant", { params: { id: t.id } })).weight).toBe(0.001);

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
    const doc = (await (await fetch(`${h.orc.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths["/api/v1/tenants/{id}"] ?? {}).sort()).toEqual(["get", "patch"]);
    expect(doc.paths["/api/v1/tenants/{id}/usage"]?.get).toBeDefined();
  });

  it("PATCH changes admission and dispatch: quota 0 holds new sessions queued, inactive keeps them waiting, each with the reason; then they run", async () => {
    // The first session warms the managed runner up (OpenCode's first start is the slow part).
    const warm = await quick("warm-up");
    await waitForStatus(h.api, warm.id, ["completed"], 110_000);

    // The quota bounds sessions running at once: the new session is queued, and waits at dispatch with the reason.
    await patchDefault({ maxConcurrentSessions: 0 });
    const a = await quick("held by the quota");
    await waitForReason(a.id, "waiting: tenant quota of 0 running sessions reached", "queued");
    let usage = TenantUsageSchema.parse(await h.api.call("tenantUsage", { params: { id: DEFAULT_TENANT_ID } }));
    expect(usage.admission).toEqual({ open: true, reason: null, freeSlots: 0 });
    expect(usage.sessions).toMatchObject({ queued: 1, pending: 0, maxConcurrent: 0 });

    // Inactive wins over the quota, whatever the quota; a session created now stays pending.
    await patchDefault({ maxConcurrentSessions: 10, active: false });
    await waitForReason(a.id, "waiting: tenant is inactive", "queued");
    const late = await quick("held while inactive");
    await waitForReason(late.id, "waiting: tenant is inactive");
    usage = await h.api.call("tenantUsage", { params: { id: DEFAULT_TENANT_ID } });
    expect(usage.admission).toEqual({ open: false, reason: "waiting: tenant is inactive", freeSlots: 0 });

    // Active again: the waiting session is admitted and runs.
    expect(await patchDefault({ active: true })).toMatchObject({ active: true, maxConcurrentSessions: 10 });
    await waitForStatus(h.api, a.id, ["completed"], 60_000);
    await waitForStatus(h.api, late.id, ["completed"], 60_000);

    // This month's tokens and cost are the sums over the tenant's sessions, as admission counts them.
    const sessions = (await h.api.call("listSessions", { query: { limit: 200 } })).items;
    const tokens = sessions.reduce(
      (n, s) => n + s.metrics.tokens.input + s.metrics.tokens.output + s.metrics.tokens.reasoning,
      0,
    );
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
    expect((await h.api.call("tenantUsage", { params: { id: DEFAULT_TENANT_ID } })).tokens).toEqual({
      used: tokens,
      budget: tokens,
    });
    await patchDefault({ monthlyTokenBudget: null });
    await waitForStatus(h.api, b.id, ["completed"], 60_000);
    TenantSchema.parse(await h.api.call("getTenant", { params: { id: DEFAULT_TENANT_ID } }));
  });

  it("keeps sessions and agents to the tenant's model list; a lead sets it, a member cannot", async () => {
    const lead = await h.api.call("createApiKey", { body: { name: "models-lead", role: "lead" } });
    const member = await h.api.call("createApiKey", { body: { name: "models-member", role: "member" } });
    // /me names the key it was called with (its public prefix and name; never the key).
    const me = (await sendJson(h.orc.url, "GET", "/me", undefined, lead.key)).json as Record<string, unknown>;
    expect(me).toMatchObject({
      role: "lead",
      keyId: lead.id,
      keyName: "models-lead",
      keyPrefix: lead.prefix,
      userName: null,
    });
    expect(JSON.stringify(me)).not.toContain(lead.key);
    await expectError(
      sendJson(
        h.orc.url,
        "PATCH",
        `/tenants/${DEFAULT_TENANT_ID}`,
        { allowedModels: ["scripted/scripted-model"] },
        member.key,
      ),
      403,
      "FORBIDDEN",
    );
    const patched = await sendJson(
      h.orc.url,
      "PATCH",
      `/tenants/${DEFAULT_TENANT_ID}`,
      { allowedModels: ["scripted/scripted-model"] },
      lead.key,
    );
    expect(TenantSchema.parse(patched.json).allowedModels).toEqual(["scripted/scripted-model"]);
    try {
      await expectError(
        send("POST", "/sessions", { prompt: "x", model: "anthropic/claude-opus", start: false }),
        400,
        "INVALID_INPUT",
        "body.model",
      );
      await expectError(
        send("POST", "/agents", { name: "pricey", type: "implementer", model: "openai/gpt-5" }),
        400,
        "INVALID_INPUT",
        "body.model",
      );
      const ok = await send("POST", "/sessions", { prompt: "x", model: "scripted/scripted-model", start: false });
      expect(ok.status).toBe(201);
      // A session naming no model is not refused: it runs on its agent's or the server's default.
      expect((await send("POST", "/sessions", { prompt: "x", start: false })).status).toBe(201);
    } finally {
      await patchDefault({ allowedModels: null });
    }
  });
});
