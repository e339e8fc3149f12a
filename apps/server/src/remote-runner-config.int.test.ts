import { computeOpenCodeConfig, createManagedRunner, type ManagedRunner } from "@industrial/opencode";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// A remote runner that requires its password, named in ORCHESTRATOR_REMOTE_RUNNERS with the
// password in its URL (as a runner pod per tenant is): no registration through the API needed.
let model: ScriptedModel;
let runner: ManagedRunner;
let h: TestOrchestrator;
const runnerDir = tempDir("orch-remote-pw-");

/** The password the runner requires (OPENCODE_SERVER_PASSWORD), from the header it gives its callers. */
const passwordOf = (r: ManagedRunner) =>
  Buffer.from((r.headers().authorization ?? "").replace(/^Basic /, ""), "base64")
    .toString()
    .replace(/^opencode:/, "");

beforeAll(async () => {
  model = await createScriptedModel({ port: 0 });
  runner = await createManagedRunner({
    stateDir: runnerDir.path,
    config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }),
    isolate: true,
  });
  const withPassword = new URL(runner.url);
  withPassword.username = "opencode";
  withPassword.password = passwordOf(runner);
  h = await startTestOrchestrator({
    env: {
      ORCHESTRATOR_DEMO: "",
      ORCHESTRATOR_DEFAULT_MODEL: "scripted/scripted-model",
      ORCHESTRATOR_MANAGED_RUNNERS: "0",
      ORCHESTRATOR_REMOTE_RUNNERS: withPassword.toString(),
    },
  });
}, 120_000);

afterAll(async () => {
  await h?.close();
  await runner?.stop();
  await model?.close();
  runnerDir.remove();
});

describe("a remote runner configured with its password", () => {
  it("runs sessions with it; the password is stored sealed and shown nowhere", async () => {
    const password = passwordOf(runner);
    expect(password.length).toBeGreaterThan(20);
    // The runner itself refuses a caller without it.
    expect((await fetch(`${runner.url}/global/health`)).status).toBe(401);

    const s = await h.api.call("createSession", {
      body: {
        title: "on the remote runner",
        prompt: scripted("hi", [{ text: "hello from remote-1" }]),
        retry: { maxAttempts: 1 },
      },
    });
    const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 90_000);
    expect(done.status, JSON.stringify(done.error)).toBe("completed");

    const { items } = await h.api.call("listRunners", { query: {} });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      name: "remote-1",
      kind: "remote",
      url: runner.url.replace(/\/+$/, ""),
      health: "healthy",
      passwordSet: true,
    });
    const [row] = await h.orc.db.query<{ password: string }>("SELECT password FROM runners WHERE name = 'remote-1'");
    expect(row!.password).not.toContain(password);
    expect(JSON.stringify(items)).not.toContain(password);
    expect(JSON.stringify(await h.api.call("getSession", { params: { id: s.id } }))).not.toContain(password);
  });
});
