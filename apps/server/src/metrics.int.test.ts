import { parsePrometheusText, promValue, waitFor, type PromSample } from "@industrial/testkit";
import { answerInputRequest, listInbox } from "@industrial/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { TestWsClient } from "./testing/ws-client";
import { createAskingAgent } from "./testing/asking-agent";

let h: TestOrchestrator;
beforeAll(async () => {
  // Leases renew every 200 ms so a 1 s session renews a few times; no periodic heartbeat
  // frames, so the frames counted out are exactly the ones this test's client received.
  h = await startTestOrchestrator({
    env: { ORCHESTRATOR_LEASE_RENEW_MS: "200", ORCHESTRATOR_WS_PING_INTERVAL_MS: "600000" },
  });
});
afterAll(async () => h?.close());

const scrape = async (): Promise<PromSample[]> => {
  const res = await fetch(`${h.orc.url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
};

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describe(`/metrics after real sessions (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("moves every metric by what happened: requests, transitions, queue, dispatch, tokens and cost as OpenCode reported them, agents, runners, WebSocket, leases", async () => {
    const before = await scrape();
    const feed = await TestWsClient.connect(`${h.orc.url}/ws/sessions`);
    await feed.waitFor("hello");

    const ok = await Promise.all(
      [1, 2, 3].map((i) =>
        h.api.call("createSession", {
          body: {
            title: `metrics ${i}`,
            prompt: scripted(`write ${i}`, [
              { tool: "write", input: { filePath: `m${i}.txt`, content: `${i}\n` } },
              { sleep_ms: 1000 },
              { text: `wrote ${i}` },
            ]),
            retry: { maxAttempts: 1 },
          },
        }),
      ),
    );
    const bad = await h.api.call("createSession", {
      body: {
        title: "metrics fails",
        prompt: scripted("fail", [{ error: { status: 400, message: "invalid_request_error: scripted failure" } }]),
        retry: { maxAttempts: 1 },
      },
    });
    for (const s of ok)
      expect((await waitForStatus(h.api, s.id, ["completed", "failed"], 60_000)).status).toBe("completed");
    expect((await waitForStatus(h.api, bad.id, ["completed", "failed"], 60_000)).status).toBe("failed");
    const sessions = await Promise.all([...ok, bad].map((s) => h.api.call("getSession", { params: { id: s.id } })));
    feed.send({ v: 1, type: "ping", payload: {} });
    await feed.waitFor("heartbeat");

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      promValue(after, name, labels) - promValue(before, name, labels);

    // HTTP: route templates, never raw URLs.
    expect(delta("http_requests_total", { method: "POST", route: "/api/v1/sessions", status: "201" })).toBe(4);
    expect(
      delta("http_request_duration_seconds_count", { method: "GET", route: "/api/v1/sessions/:id" }),
    ).toBeGreaterThanOrEqual(4);
    const routes = after.filter((s) => s.name === "http_requests_total").map((s) => s.labels.route!);
    expect(routes.filter((r) => UUID.test(r))).toEqual([]);

    // Sessions: one transition per committed change, the fleet gauge from the database.
    expect(delta("orchestrator_session_transitions_total", { from: "queued", to: "running" })).toBe(4);
    expect(delta("orchestrator_session_transitions_total", { from: "running", to: "completed" })).toBe(3);
    expect(delta("orchestrator_session_transitions_total", { from: "running", to: "failed" })).toBe(1);
    expect(promValue(after, "orchestrator_sessions", { status: "completed" })).toBe(3);
    expect(promValue(after, "orchestrator_sessions", { status: "failed" })).toBe(1);
    expect(after.filter((s) => s.name === "orchestrator_sessions")).toHaveLength(12);
    expect(promValue(after, "orchestrator_queue_depth", { priority: "medium" })).toBe(0);
    expect(delta("orchestrator_queue_wait_seconds_count")).toBe(4);
    expect(delta("orchestrator_session_duration_seconds_count", { outcome: "completed" })).toBe(3);
    expect(delta("orchestrator_session_duration_seconds_count", { outcome: "failed" })).toBe(1);
    // Each completed session ran ≥ 1 s (the scripted sleep).
    expect(delta("orchestrator_session_duration_seconds_sum", { outcome: "completed" })).toBeGreaterThanOrEqual(3);
    expect(delta("orchestrator_dispatch_total", { result: "claimed" })).toBe(4);

    // Tokens and cost: exactly what OpenCode reported into the sessions.
    const reported = { input: 0, output: 0, reasoning: 0, cache_read: 0, cache_write: 0, cost: 0 };
    for (const s of sessions) {
      reported.input += s.metrics.tokens.input;
      reported.output += s.metrics.tokens.output;
      reported.reasoning += s.metrics.tokens.reasoning;
      reported.cache_read += s.metrics.tokens.cacheRead;
      reported.cache_write += s.metrics.tokens.cacheWrite;
      reported.cost += s.metrics.costUsd;
    }
    expect(reported.input).toBeGreaterThan(0);
    for (const kind of ["input", "output", "reasoning", "cache_read", "cache_write"] as const)
      expect(delta("orchestrator_tokens_total", { kind, agent: "default" }), kind).toBe(reported[kind]);
    expect(delta("orchestrator_cost_usd_total", { agent: "default" })).toBeCloseTo(reported.cost, 9);

    // Agents and runners as they stand.
    expect(promValue(after, "orchestrator_agent_load", { agent: "default" })).toBe(0);
    expect(
      after.some((s) => s.name === "orchestrator_agent_breaker_state" && s.labels.agent === "default" && s.value === 0),
    ).toBe(true);
    const up = after.filter((s) => s.name === "orchestrator_runner_up");
    expect(up.length).toBeGreaterThanOrEqual(1);
    expect(up.some((s) => s.value === 1)).toBe(true);
    expect(delta("orchestrator_opencode_requests_total", { op: "create_session", result: "ok" })).toBe(4);
    expect(delta("orchestrator_opencode_requests_total", { op: "prompt", result: "ok" })).toBe(4);

    // WebSocket: this client is connected; it received the frames counted out, and its ping counted in.
    expect(feed.of("error")).toEqual([]);
    expect(promValue(after, "orchestrator_ws_connections")).toBe(1);
    expect(delta("orchestrator_ws_messages_total", { direction: "in" })).toBe(1);
    expect(delta("orchestrator_ws_messages_total", { direction: "out" })).toBe(feed.frames.length);

    // Leases: renewed while the sessions ran.
    expect(delta("orchestrator_lease_renewals_total", { result: "renewed" })).toBeGreaterThanOrEqual(3);
    expect(promValue(after, "orchestrator_lease_renewals_total", { result: "lost" })).toBe(0);

    // Input requests: every kind × outcome and the wait histogram per kind are there before any request resolves.
    for (const kind of ["permission", "question"]) {
      for (const outcome of ["answered", "rejected", "expired", "cancelled"])
        expect(
          after.some(
            (s) =>
              s.name === "orchestrator_input_requests_total" && s.labels.kind === kind && s.labels.outcome === outcome,
          ),
        ).toBe(true);
      expect(after.some((s) => s.name === "orchestrator_input_wait_seconds_count" && s.labels.kind === kind)).toBe(
        true,
      );
    }

    // Node process defaults.
    expect(after.some((s) => s.name === "process_cpu_user_seconds_total")).toBe(true);
    expect(after.some((s) => s.name === "nodejs_heap_size_used_bytes")).toBe(true);

    // The server forgets the socket when its close handshake ends.
    await feed.close();
    await waitFor(
      async () => promValue(await scrape(), "orchestrator_ws_connections") === 0,
      "the connection gauge to drop to 0",
      { timeoutMs: 10_000 },
    );
  }, 180_000);

  it("counts an input request answered by kind and outcome, and observes its wait", async () => {
    const before = await scrape();
    const agent = await createAskingAgent(h.api, "asks-first");
    const s = await h.api.call("createSession", {
      body: {
        prompt: scripted("write after asking", [
          { tool: "write", input: { filePath: "asked.txt", content: "x\n" } },
          { text: "done" },
        ]),
        preferredAgentId: agent.id,
        retry: { maxAttempts: 1 },
      },
    });
    const [item] = await waitFor(
      async () => {
        const page = await listInbox(h.orc.db, { tenantId: s.tenantId, sessionId: s.id }, { limit: 10 });
        return page.items.length ? page.items : null;
      },
      "the write's permission request",
      { timeoutMs: 60_000 },
    );
    await new Promise((r) => setTimeout(r, 1100));
    await h.orc.db.transaction((tx) =>
      answerInputRequest(tx, s.tenantId, item!.id, {
        body: { reply: "once" },
        actor: { actor: "test", keyId: null, userId: null },
        authorize: () => undefined,
      }),
    );
    expect((await waitForStatus(h.api, s.id, ["completed", "failed"], 60_000)).status).toBe("completed");

    // The attempt tells the observer when the reply is delivered, which may come a moment after the session's end is read.
    const answered = { kind: "permission", outcome: "answered" };
    const delta = (after: typeof before, name: string, labels: Record<string, string>) =>
      promValue(after, name, labels) - promValue(before, name, labels);
    const after = await waitFor(
      async () => {
        const now = await scrape();
        return delta(now, "orchestrator_input_requests_total", answered) > 0 ? now : null;
      },
      "the answered request counted",
      { timeoutMs: 10_000 },
    );
    expect(delta(after, "orchestrator_input_requests_total", answered)).toBe(1);
    expect(delta(after, "orchestrator_input_requests_total", { kind: "question", outcome: "answered" })).toBe(0);
    expect(delta(after, "orchestrator_input_wait_seconds_count", { kind: "permission" })).toBe(1);
    // It waited at least the second this test slept before answering.
    expect(delta(after, "orchestrator_input_wait_seconds_sum", { kind: "permission" })).toBeGreaterThanOrEqual(1);
  }, 180_000);
});
