import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SessionView } from "@industrial/contracts";
import { tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

let h: TestOrchestrator;
let dir: ReturnType<typeof tempDir>;
const COOLDOWN_SECONDS = 4;

beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_BREAKER_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS) } });
  // One plain directory for every session: one OpenCode instance, no per-session warm-up.
  dir = tempDir("orch-fleet-");
  // The default agent can do everything; this fleet is about specialists.
  const agents = await h.api.call("listAgents", { query: {} });
  for (const a of agents.items) await h.api.call("deleteAgent", { params: { id: a.id }, query: {} });
});
afterAll(async () => {
  await h?.close();
  dir?.remove();
});

const once = { maxAttempts: 1 };
const submit = (prompt: string, requiredCapabilities: string[], title: string) =>
  h.api.call("createSession", {
    body: { title, prompt, directory: dir.path, requiredCapabilities: requiredCapabilities as never, retry: once },
  });

describe(`a fleet of agents on the real OpenCode binary (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("routes by capability, and each agent's system prompt, model and permission rules reach OpenCode", async () => {
    const auditor = await h.api.call("createAgent", {
      body: {
        name: "auditor",
        type: "reviewer",
        model: "scripted/scripted-model-large",
        systemPrompt: "You are AUDITOR-7. Report security findings only.",
        permissions: [{ permission: "edit", pattern: "*", action: "deny" }],
        maxConcurrent: 2,
      },
    });
    const builder = await h.api.call("createAgent", {
      body: {
        name: "builder",
        type: "implementer",
        model: "scripted/scripted-model",
        systemPrompt: "You are BUILDER-3. Write the code.",
        temperature: 0.35,
        maxConcurrent: 2,
      },
    });
    // OpenCode sets temperature per OpenCode agent: only build's copies have one.
    await expect(
      h.api.call("createAgent", {
        body: { name: "planner", type: "architect", openCodeAgent: "plan", temperature: 0.2 },
      }),
    ).rejects.toMatchObject({
      status: 400,
      envelope: { details: [expect.objectContaining({ path: "body.temperature" })] },
    });
    expect(auditor.capabilities).toContain("security_audit");
    expect(builder.capabilities).not.toContain("security_audit");
    expect(auditor.tier).toBe("PROBATION");

    const dry = await h.api.call("routeAgent", { body: { requiredCapabilities: ["security_audit"] } });
    expect(dry.agentId).toBe(auditor.id);
    expect(dry.excluded).toContainEqual({
      agentId: builder.id,
      agentName: "builder",
      why: "lacks a required capability",
    });
    const s = dry.score!;
    expect(s.total).toBeCloseTo(
      0.35 * s.tier + 0.25 * s.capabilitySuccess + 0.2 * s.load + 0.1 * s.cost + 0.1 * s.affinity,
      9,
    );

    const audits = await Promise.all(
      [1, 2, 3].map((i) =>
        submit(scripted(`audit ${i}`, [{ text: `audit ${i}: no findings` }]), ["security_audit"], `audit ${i}`),
      ),
    );
    const builds = await Promise.all(
      [1, 2].map((i) =>
        submit(scripted(`build ${i}`, [{ text: `build ${i} done` }]), ["code_generation"], `build ${i}`),
      ),
    );
    const done = await Promise.all(
      [...audits, ...builds].map((x) => waitForStatus(h.api, x.id, ["completed", "failed"], 90_000)),
    );
    for (const d of done) expect(d.status, d.statusReason ?? "").toBe("completed");
    for (const d of done.slice(0, 3)) expect(d.agentId).toBe(auditor.id);
    for (const d of done.slice(3)) expect(d.agentId).toBe(builder.id);
    const dispatch = (await allEvents(h.api, audits[0]!.id)).find(
      (e) => e.type === "session.status_changed" && e.payload.to === "running",
    );
    expect(String((dispatch?.payload as { reason?: string }).reason)).toMatch(/^dispatched to auditor: auditor scored/);

    // The scripted model's request log: every call made for an audit carried the auditor's prompt and model.
    const calls = h.orc.scriptedModel!.requests().filter((r) => r.tools.length > 0);
    const auditCalls = calls.filter((r) => r.system.includes("AUDITOR-7"));
    const buildCalls = calls.filter((r) => r.system.includes("BUILDER-3"));
    expect(auditCalls.length).toBeGreaterThanOrEqual(3);
    expect(buildCalls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(auditCalls.map((r) => r.model))).toEqual(new Set(["scripted-model-large"]));
    expect(new Set(buildCalls.map((r) => r.model))).toEqual(new Set(["scripted-model"]));
    expect(auditCalls.some((r) => r.system.includes("BUILDER-3"))).toBe(false);
    // The builder's temperature reached the model; the auditor has none, so OpenCode sent none.
    expect(new Set(buildCalls.map((r) => r.temperature))).toEqual(new Set([0.35]));
    expect(new Set(auditCalls.map((r) => r.temperature))).toEqual(new Set([null]));

    // Stats come from these real outcomes.
    const perf = await h.api.call("agentPerformance", { params: { id: auditor.id } });
    expect(perf.stats).toMatchObject({ finished: 3, succeeded: 3, failed: 0, successRate: 1 });
    expect(perf.perCapability).toContainEqual({
      capability: "security_audit",
      finished: 3,
      succeeded: 3,
      successRate: 1,
    });
    expect(perf.stats.avgTokens).toBeGreaterThan(0);
    expect(perf.stats.avgCostUsd).toBeGreaterThan(0);
    // And per model (routing's cost score, core model-cost.ts): every audit ran to its end on the auditor's model.
    const priced = (await h.api.call("getAgent", { params: { id: auditor.id } })).costByModel;
    expect(Object.keys(priced)).toEqual(["scripted/scripted-model-large"]);
    expect(priced["scripted/scripted-model-large"]).toMatchObject({ attempts: 3, switchedAwayAt: null });
    expect(priced["scripted/scripted-model-large"]!.avgCostUsd).toBeCloseTo(perf.stats.avgCostUsd, 12);
    expect(perf.recentSessions).toHaveLength(3);
    expect(perf.tierHistory.at(-1)).toMatchObject({ from: null, to: "PROBATION", reason: "registered" });

    // A reviewer with `edit: deny` cannot write, whatever the model asks for.
    const write = await submit(
      scripted("try to write", [
        { tool: "write", input: { filePath: "forbidden.txt", content: "should not exist\n" } },
        { text: "tried" },
      ]),
      ["security_audit"],
      "reviewer tries to write",
    );
    const ended = await waitForStatus(h.api, write.id, ["completed", "failed"], 60_000);
    expect(ended.agentId).toBe(auditor.id);
    expect(existsSync(join(dir.path, "forbidden.txt"))).toBe(false);
    const tools = (await allEvents(h.api, write.id)).filter(
      (e) => e.type === "session.tool" && (e.payload as { tool?: string }).tool === "write",
    );
    expect(tools.some((e) => (e.payload as { status?: string }).status === "completed")).toBe(false);

    // Out of the fleet for the next test.
    for (const a of [auditor, builder]) await h.api.call("deleteAgent", { params: { id: a.id }, query: {} });
  }, 180_000);

  it("takes an agent that fails 5 times in a row out of rotation, sends exactly one trial after the cooldown, and closes on its success", async () => {
    const flaky = await h.api.call("createAgent", { body: { name: "flaky", type: "debugger", maxConcurrent: 2 } });
    const fail = (i: number) =>
      submit(
        scripted(`fail ${i}`, [{ error: { status: 400, message: "invalid_request_error: scripted failure" } }]),
        ["troubleshooting"],
        `fail ${i}`,
      );
    for (let i = 1; i <= 5; i++) {
      const s = await fail(i);
      const ended = await waitForStatus(h.api, s.id, ["completed", "failed"], 60_000);
      expect(ended.status).toBe("failed");
      expect(ended.agentId).toBe(flaky.id);
    }
    let agent = await h.api.call("getAgent", { params: { id: flaky.id } });
    expect(agent.breaker.state).toBe("open");
    expect(agent.breaker.consecutiveFailures).toBe(5);
    expect(agent.available).toBe(false);
    expect(agent.stats).toMatchObject({ finished: 5, failed: 5 });
    const openedAt = Date.parse(agent.breaker.openedAt!);

    // Two sessions wait while the breaker is open; the first one to go is the trial.
    const trial = await submit(
      scripted("trial", [{ sleep_ms: 2500 }, { text: "trial passed" }]),
      ["troubleshooting"],
      "trial",
    );
    await new Promise((r) => setTimeout(r, 200));
    const second = await submit(scripted("second", [{ text: "second passed" }]), ["troubleshooting"], "second");
    const waiting = await waitFor(async () => {
      const s = await h.api.call("getSession", { params: { id: second.id } });
      return s.status === "queued" && s.statusReason?.includes("circuit breaker open") ? s : null;
    }, "the second session to wait on the open breaker");
    expect(waiting.agentId).toBeNull();

    const trialRunning = await waitForStatus(h.api, trial.id, ["running"], (COOLDOWN_SECONDS + 10) * 1000);
    expect(Date.parse(trialRunning.startedAt!)).toBeGreaterThanOrEqual(openedAt + COOLDOWN_SECONDS * 1000);
    agent = await h.api.call("getAgent", { params: { id: flaky.id } });
    expect(agent.breaker).toMatchObject({ state: "half_open", trialInFlight: true });
    // While the trial runs, nothing else goes to the agent.
    const during: SessionView = await h.api.call("getSession", { params: { id: second.id } });
    expect(during.status).toBe("queued");
    expect(during.statusReason).toContain("half-open");

    expect((await waitForStatus(h.api, trial.id, ["completed", "failed"], 60_000)).status).toBe("completed");
    agent = await h.api.call("getAgent", { params: { id: flaky.id } });
    expect(agent.breaker).toMatchObject({ state: "closed", consecutiveFailures: 0, trialInFlight: false });
    const after = await waitForStatus(h.api, second.id, ["completed", "failed"], 60_000);
    expect(after.status).toBe("completed");
    expect(after.agentId).toBe(flaky.id);
    expect(Date.parse(after.startedAt!)).toBeGreaterThanOrEqual(
      Date.parse((await h.api.call("getSession", { params: { id: trial.id } })).finishedAt!),
    );
  }, 180_000);
});

describe("an agent that goes while sessions wait for it", () => {
  it("sends the queued sessions only it could take back to pending, saying why, when it is drained; they run once it is back", async () => {
    const deployer = await h.api.call("createAgent", {
      body: { name: "deployer", type: "integrator", maxConcurrent: 1 },
    });
    expect(deployer.capabilities).toContain("deployment");
    const busy = await submit(
      scripted("long deploy", [{ sleep_ms: 4000 }, { text: "deployed" }]),
      ["deployment"],
      "long deploy",
    );
    await waitForStatus(h.api, busy.id, ["running"]);
    const waiting = await submit(scripted("next deploy", [{ text: "deployed too" }]), ["deployment"], "next deploy");
    await waitFor(
      async () => (await h.api.call("getSession", { params: { id: waiting.id } })).status === "queued" || null,
      "the second deploy queued behind the first",
      { timeoutMs: 30_000 },
    );

    await h.api.call("drainAgent", { params: { id: deployer.id }, body: {} });
    const back = await h.api.call("getSession", { params: { id: waiting.id } });
    expect(back).toMatchObject({
      status: "pending",
      statusReason: expect.stringContaining("no active agent of the tenant has deployment"),
    });
    await waitForStatus(h.api, busy.id, ["completed"]);

    await h.api.call("patchAgent", { params: { id: deployer.id }, body: { status: "active" } });
    await waitForStatus(h.api, waiting.id, ["completed"]);
  });
});
