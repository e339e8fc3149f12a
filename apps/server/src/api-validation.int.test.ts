import { randomUUID } from "node:crypto";
import { ErrorEnvelope } from "@industrial/contracts";
import { bearer } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";

// The scheduler is off here: these tests are about the HTTP boundary, and no session should run.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_SCHEDULER: "off" } });
});
afterAll(async () => h?.close());

async function send(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  const res = await fetch(`${h.orc.url}${path}`, {
    method,
    headers: { ...bearer(), ...headers },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text ? (JSON.parse(text) as unknown) : null,
    requestId: res.headers.get("x-request-id"),
  };
}

async function expectError(p: Promise<Awaited<ReturnType<typeof send>>>, status: number, code: string, field?: string) {
  const r = await p;
  expect(r.status).toBe(status);
  const env = ErrorEnvelope.parse(r.json);
  expect(env.error.code).toBe(code);
  expect(env.error.requestId).toBe(r.requestId);
  if (field) expect(env.error.details?.map((d) => d.path)).toContain(field);
  return env;
}

/** A session body the boundary refuses: 400 INVALID_INPUT, naming `field` when given. */
const refusesSessionBody = (body: unknown, field?: string) =>
  expectError(send("POST", "/api/v1/sessions", JSON.stringify(body)), 400, "INVALID_INPUT", field);

describe(`HTTP boundary (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("rejects malformed JSON, unknown fields, wrong types and unknown enum values with the field named", async () => {
    await expectError(send("POST", "/api/v1/sessions", '{"prompt": "x",'), 400, "INVALID_INPUT");
    await refusesSessionBody({ prompt: "x", colour: "red" }, "body.colour");
    await refusesSessionBody({ prompt: 42 }, "body.prompt");
    await refusesSessionBody({ prompt: "x", priority: "urgent" }, "body.priority");
    await refusesSessionBody({ prompt: "x", retry: { maxAttempts: "three" } }, "body.retry.maxAttempts");
    await refusesSessionBody({ prompt: "x", maxDurationSeconds: 1 }, "body.maxDurationSeconds");
    await refusesSessionBody({ prompt: "x", requiredCapabilities: ["telepathy"] }, "body.requiredCapabilities.0");
    await refusesSessionBody([1, 2], "body");
    await expectError(
      send("POST", "/api/v1/sessions", "x", { "content-type": "text/plain" }),
      400,
      "INVALID_INPUT",
      "headers.content-type",
    );
    await refusesSessionBody({ prompt: "x", repository: "/definitely/not/here" }, "body.repository");
    await refusesSessionBody({ prompt: "x", baseRef: "main" }, "body.baseRef");
  });

  it("refuses NUL bytes, which PostgreSQL text cannot hold, as a 400", async () => {
    await refusesSessionBody({ prompt: "a\u0000b" }, "body.prompt");
    await refusesSessionBody({ prompt: "x", title: "t\u0000" });
    await refusesSessionBody({ prompt: "x", directory: "/tmp/\u0000" }, "body.directory");
  });

  it("orphans the children of a deleted parent", async () => {
    const parent = await h.api.call("createSession", { body: { prompt: "parent", start: false } });
    const child = await h.api.call("createSession", {
      body: { prompt: "child", start: false, parentSessionId: parent.id },
    });
    const tree = await h.api.call("sessionTree", { params: { id: parent.id } });
    expect(tree.children.map((c) => c.id)).toEqual([child.id]);
    await h.api.call("cancelSession", { params: { id: parent.id } });
    await h.api.call("deleteSession", { params: { id: parent.id } });
    expect((await h.api.call("getSession", { params: { id: child.id } })).status).toBe("orphaned");
  });

  it("says which limit a huge body or field breaks", async () => {
    await refusesSessionBody({ prompt: "x".repeat(100_001) }, "body.prompt");
    await expectError(
      send("POST", "/api/v1/sessions", JSON.stringify({ prompt: "x".repeat(2 * 1024 * 1024) })),
      413,
      "PAYLOAD_TOO_LARGE",
      "body",
    );
  });

  it("rejects bad UUIDs, bad queries and unknown routes", async () => {
    await expectError(send("GET", "/api/v1/sessions/not-a-uuid"), 400, "INVALID_INPUT", "params.id");
    await expectError(send("GET", `/api/v1/sessions/${randomUUID()}`), 404, "NOT_FOUND");
    await expectError(send("GET", "/api/v1/sessions?status=sleeping"), 400, "INVALID_INPUT", "query.status.0");
    await expectError(send("GET", "/api/v1/sessions?limit=0"), 400, "INVALID_INPUT", "query.limit");
    await expectError(send("GET", "/api/v1/sessions?cursor=garbage"), 400, "INVALID_INPUT", "query.cursor");
    await expectError(send("GET", "/api/v1/nothing-here"), 404, "NOT_FOUND");
    await expectError(send("PATCH", `/api/v1/sessions/${randomUUID()}`, "{}"), 400, "INVALID_INPUT");
  });

  it("answers transitions the table forbids with 409 naming both states", async () => {
    const created = await h.api.call("createSession", { body: { prompt: "hold me", start: false } });
    const env = await expectError(send("POST", `/api/v1/sessions/${created.id}/pause`, ""), 409, "INVALID_TRANSITION");
    expect(env.error.message).toContain("pending");
    expect(env.error.message).toContain("paused");
    await expectError(send("DELETE", `/api/v1/sessions/${created.id}`), 409, "CONFLICT");
    const cancelled = await h.api.call("cancelSession", { params: { id: created.id } });
    expect(cancelled.status).toBe("cancelled");
    await expectError(send("POST", `/api/v1/sessions/${created.id}/cancel`), 409, "INVALID_TRANSITION");
    expect((await send("DELETE", `/api/v1/sessions/${created.id}`)).status).toBe(200);
    await expectError(send("GET", `/api/v1/sessions/${created.id}`), 404, "NOT_FOUND");
  });

  it("never answers 500 to random bodies (fuzz)", async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = (): unknown => {
      const k = Math.floor(rnd() * 9);
      if (k === 0) return null;
      if (k === 1) return rnd() > 0.5;
      if (k === 2) return Math.floor(rnd() * 1e6) - 5e5;
      if (k === 3) return "x".repeat(Math.floor(rnd() * 300));
      if (k === 4) return [values(), values()];
      if (k === 5) return { prompt: values(), title: values() };
      if (k === 6) return "\u0000\uffff💥";
      if (k === 7) return -0.5;
      return {};
    };
    const keys = [
      "prompt",
      "title",
      "type",
      "priority",
      "retry",
      "budget",
      "tags",
      "metadata",
      "start",
      "maxDurationSeconds",
      "directory",
      "__proto__",
      "constructor",
    ];
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = {};
      for (const k of keys) if (rnd() > 0.6) body[k] = values();
      const r = await send("POST", "/api/v1/sessions", JSON.stringify(body));
      expect(r.status, JSON.stringify(body)).toBeLessThan(500);
      if (r.status >= 400) ErrorEnvelope.parse(r.json);
      const id = rnd() > 0.5 ? randomUUID() : String(values());
      const action = ["pause", "resume", "stop", "cancel", "retry", "start", "messages", "checkpoints"][
        Math.floor(rnd() * 8)
      ];
      const r2 = await send("POST", `/api/v1/sessions/${encodeURIComponent(id)}/${action}`, JSON.stringify(values()));
      expect(r2.status).toBeLessThan(500);
    }
  });

  it("serves health, readiness, the OpenAPI document and its UI", async () => {
    expect((await send("GET", "/health")).status).toBe(200);
    const ready = await send("GET", "/health/ready");
    expect(ready.status).toBe(200);
    expect(ready.json).toMatchObject({ status: "ready", components: { database: { status: "up" } } });
    const doc = (await send("GET", "/openapi.json")).json as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/v1/sessions/{id}/checkpoints/{seq}/restore");
    const ui = await fetch(`${h.orc.url}/docs`);
    expect(ui.status).toBe(200);
  });

  it("pages the session list with a cursor, newest first", async () => {
    for (let i = 0; i < 5; i++)
      await h.api.call("createSession", { body: { prompt: `page ${i}`, start: false, tags: ["page-test"] } });
    const first = await h.api.call("listSessions", { query: { limit: 2, tag: "page-test" } });
    expect(first.total).toBe(5);
    expect(first.items.map((s) => s.title)).toEqual(["page 4", "page 3"]);
    const second = await h.api.call("listSessions", {
      query: { limit: 2, tag: "page-test", cursor: first.nextCursor! },
    });
    expect(second.items.map((s) => s.title)).toEqual(["page 2", "page 1"]);
    const stats = await h.api.call("sessionStats");
    expect(stats.byStatus.pending).toBeGreaterThanOrEqual(5);
  });
});
