import { AgentSchema, type AgentView } from "@industrial/contracts";
import { DEFAULT_INPUT_TIMEOUT_SECONDS, DEFAULT_TENANT_ID } from "@industrial/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { expectError, sendJson } from "./testing/http";

/**
 * An agent's issue-14 settings over the HTTP API (docs/input-requests.md §3):
 * allowQuestions, inputTimeoutSeconds and fallbackModels — the defaults (the
 * service's and migration 0016's columns), changes one at a time, each bad
 * value named, and the tenant's model list applied to every fallback.
 */
let h: TestOrchestrator;

beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => {
  await h?.close();
});

const send = (method: string, path: string, body?: unknown) => sendJson(h.orc.url, method, path, body);
let n = 0;
const name = () => `fallbacker-${++n}`;
const created = async (fields: Record<string, unknown> = {}): Promise<AgentView> => {
  const r = await send("POST", "/agents", { name: name(), type: "implementer", ...fields });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return AgentSchema.parse(r.json);
};
const defaults = { allowQuestions: false, inputTimeoutSeconds: DEFAULT_INPUT_TIMEOUT_SECONDS, fallbackModels: [] };

describe(`agent input and fallback settings over the HTTP API (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("gives a new agent, the default agent and a row the migration filled the defaults", async () => {
    expect(await created()).toMatchObject(defaults);
    const list = await h.api.call("listAgents", { query: {} });
    expect(list.items.find((a) => a.name === "default")).toMatchObject(defaults);

    const changed = await created({
      allowQuestions: true,
      inputTimeoutSeconds: 0,
      fallbackModels: ["scripted/scripted-model"],
    });
    await h.orc.db.query(
      "UPDATE agents SET allow_questions = DEFAULT, input_timeout_seconds = DEFAULT, fallback_models = DEFAULT WHERE id = $1",
      [changed.id],
    );
    expect(await h.api.call("getAgent", { params: { id: changed.id } })).toMatchObject(defaults);
  });

  it("stores the fallback list in order, and changes each setting alone on PATCH", async () => {
    const fallbackModels = ["scripted/scripted-model-large", "scripted/scripted-model"];
    const a = await created({
      model: "scripted/scripted-unavailable",
      allowQuestions: true,
      inputTimeoutSeconds: 0,
      fallbackModels,
    });
    expect(a).toMatchObject({
      model: "scripted/scripted-unavailable",
      allowQuestions: true,
      inputTimeoutSeconds: 0,
      fallbackModels,
    });

    const id = { id: a.id };
    expect(await h.api.call("patchAgent", { params: id, body: { inputTimeoutSeconds: 120 } })).toMatchObject({
      allowQuestions: true,
      inputTimeoutSeconds: 120,
      fallbackModels,
    });
    expect(await h.api.call("patchAgent", { params: id, body: { allowQuestions: false } })).toMatchObject({
      allowQuestions: false,
      inputTimeoutSeconds: 120,
      fallbackModels,
    });
    const reordered = [...fallbackModels].reverse();
    expect(
      (await h.api.call("patchAgent", { params: id, body: { fallbackModels: reordered } })).fallbackModels,
    ).toEqual(reordered);
    // Another field's change keeps the list; an empty list removes every fallback.
    expect((await h.api.call("patchAgent", { params: id, body: { maxConcurrent: 3 } })).fallbackModels).toEqual(
      reordered,
    );
    expect((await h.api.call("patchAgent", { params: id, body: { fallbackModels: [] } })).fallbackModels).toEqual([]);
    expect(await h.api.call("getAgent", { params: id })).toMatchObject({
      allowQuestions: false,
      inputTimeoutSeconds: 120,
      fallbackModels: [],
    });
  });

  it("names each bad value's field with a 400, and writes nothing", async () => {
    const a = await created({ fallbackModels: ["scripted/scripted-model"] });
    const bad: [Record<string, unknown>, string][] = [
      [{ fallbackModels: ["scripted/scripted-model", "gpt-4"] }, "body.fallbackModels.1"],
      [{ fallbackModels: ["scripted/scripted-model", "scripted/scripted-model"] }, "body.fallbackModels.1"],
      [{ fallbackModels: ["a/1", "a/2", "a/3", "a/4", "a/5", "a/6"] }, "body.fallbackModels"],
      [{ fallbackModels: "scripted/scripted-model" }, "body.fallbackModels"],
      [{ inputTimeoutSeconds: -1 }, "body.inputTimeoutSeconds"],
      [{ inputTimeoutSeconds: 2.5 }, "body.inputTimeoutSeconds"],
      [{ allowQuestions: "yes" }, "body.allowQuestions"],
    ];
    for (const [fields, field] of bad) {
      await expectError(
        send("POST", "/agents", { name: name(), type: "implementer", ...fields }),
        400,
        "INVALID_INPUT",
        field,
      );
      await expectError(send("PATCH", `/agents/${a.id}`, fields), 400, "INVALID_INPUT", field);
    }
    const ref = await expectError(send("PATCH", `/agents/${a.id}`, { fallbackModels: ["nope"] }), 400, "INVALID_INPUT");
    expect(ref.details).toEqual([{ path: "body.fallbackModels.0", reason: "must be provider/model" }]);
    expect(await h.api.call("getAgent", { params: { id: a.id } })).toMatchObject({
      ...defaults,
      fallbackModels: ["scripted/scripted-model"],
    });
  });

  it("keeps every fallback to the tenant's model list, naming the entry", async () => {
    const a = await created();
    await h.api.call("patchTenant", {
      params: { id: DEFAULT_TENANT_ID },
      body: { allowedModels: ["scripted/scripted-model"] },
    });
    try {
      const refused = await expectError(
        send("POST", "/agents", {
          name: name(),
          type: "implementer",
          fallbackModels: ["scripted/scripted-model", "openai/gpt-5"],
        }),
        400,
        "INVALID_INPUT",
        "body.fallbackModels.1",
      );
      expect(refused.details?.[0]?.reason).toContain("model openai/gpt-5 is not on this tenant's list");
      await expectError(
        send("PATCH", `/agents/${a.id}`, { fallbackModels: ["openai/gpt-5"] }),
        400,
        "INVALID_INPUT",
        "body.fallbackModels.0",
      );
      expect(
        (
          await h.api.call("patchAgent", {
            params: { id: a.id },
            body: { fallbackModels: ["scripted/scripted-model"] },
          })
        ).fallbackModels,
      ).toEqual(["scripted/scripted-model"]);
    } finally {
      await h.api.call("patchTenant", { params: { id: DEFAULT_TENANT_ID }, body: { allowedModels: null } });
    }
  });
});
