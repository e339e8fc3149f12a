import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import { createGitRepo, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { subscribeEvents, type OpenCodeEvent } from "../event-stream";
import { createManagedRunner, type ManagedRunner } from "./managed-runner";
import { createOpenCodeClient } from "../opencode-client";
import { computeOpenCodeConfig } from "./opencode-config";

// What an agent's shell sees of the orchestrator's environment, asked of the
// real `opencode serve` through a scripted `env`: the orchestrator's secrets
// in this process's environment must not reach it, nor the runner's own
// password (runner-auth.ts); the provider variables the operator named must.
// Runs once, in the int-pglite project (no storage).

/** The orchestrator's own variables, with values unlikely to appear anywhere by chance. */
const SECRETS = {
  ORCHESTRATOR_ADMIN_KEY: "fake-admin-key-5f0c2e1d9b8a7c6d5e4f3a2b1c0d9e8f",
  ORCHESTRATOR_SECRET: "fake-server-secret-0a1b2c3d4e5f60718293a4b5c6d7e8f9",
  ORCHESTRATOR_METRICS_TOKEN: "fake-metrics-token-77aa88bb99cc",
  DATABASE_URL: "postgres://orchestrator:fake-db-password-31337@db.invalid:5432/orchestrator",
  REDIS_URL: "redis://:fake-redis-password-4242@redis.invalid:6379",
};
/** Named in the runner's list (the operator's ORCHESTRATOR_RUNNER_ENV): exactly and by pattern. */
const PROVIDER = {
  FAKEPROVIDER_API_KEY: "fake-provider-key-abc123",
  FAKECLOUD_REGION: "eu-fake-1",
  FAKECLOUD_TOKEN: "fake-cloud-token-def456",
};
/** Set, but on no list: stays with the orchestrator too. */
const UNLISTED = { UNLISTED_SERVICE_TOKEN: "fake-unlisted-token-9999" };
/** A locale variable: allow-listed ("C" exists everywhere, so bash does not complain). */
const LOCALE = { LC_MEASUREMENT: "C" };

const planted = { ...SECRETS, ...PROVIDER, ...UNLISTED, ...LOCALE };
const saved = Object.fromEntries(Object.keys(planted).map((k) => [k, process.env[k]]));
const cleanups: Array<() => Promise<void> | void> = [];
let tmp: ReturnType<typeof tempDir>;
let model: ScriptedModel;
let runner: ManagedRunner;

beforeAll(async () => {
  tmp = tempDir("oc-runner-env-int-");
  cleanups.push(() => tmp.remove());
  model = await createScriptedModel();
  cleanups.push(() => model.close());
  // The runner reads the orchestrator's environment (process.env) when it starts.
  Object.assign(process.env, planted);
  cleanups.push(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  runner = await createManagedRunner({
    stateDir: join(tmp.path, "runner"),
    isolate: true,
    config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }),
    inheritEnv: ["FAKEPROVIDER_API_KEY", "FAKECLOUD_*"],
  });
  cleanups.push(() => runner.stop());
});

afterAll(async () => {
  // Newest first: the runner (its whole process group), the environment, the model, the temp dir.
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** `NAME=value` lines into a map (values of the variables we planted hold no newline). */
function parseEnv(text: string): Map<string, string> {
  return new Map(
    text
      .split("\n")
      .flatMap((line) =>
        /^[A-Za-z_][A-Za-z0-9_]*=/.test(line)
          ? [[line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)] as const]
          : [],
      ),
  );
}

/** The runner's own password, from the header it gives its callers. */
const passwordOf = (r: ManagedRunner) =>
  Buffer.from((r.headers().authorization ?? "").replace(/^Basic /, ""), "base64")
    .toString()
    .replace(/^opencode:/, "");

function expectOnlyTheAllowed(seen: Map<string, string>, raw: string): void {
  for (const [name, value] of Object.entries(SECRETS)) {
    expect(seen.has(name), `${name} reached the agent`).toBe(false);
    expect(raw, `the value of ${name} reached the agent`).not.toContain(value);
  }
  expect([...seen.keys()].filter((k) => k.startsWith("ORCHESTRATOR_"))).toEqual(["ORCHESTRATOR_RUNNER_STATE_DIR"]); // our process marker, a path
  expect(seen.has("UNLISTED_SERVICE_TOKEN")).toBe(false);
  expect(raw).not.toContain(UNLISTED.UNLISTED_SERVICE_TOKEN);
  for (const [name, value] of Object.entries({ ...PROVIDER, ...LOCALE })) expect(seen.get(name), name).toBe(value);
  expect(seen.get("PATH")).toBe(process.env.PATH);
  expect(seen.get("HOME")).toBe(process.env.HOME);
}

describe("the agent's environment (a scripted `env` through the real OpenCode)", () => {
  it("shows the allow-list and the named provider variables, never the orchestrator's secrets", async () => {
    const repo = join(tmp.path, "repo");
    mkdirSync(repo, { recursive: true });
    createGitRepo(repo);
    const events: OpenCodeEvent[] = [];
    const sub = subscribeEvents({
      baseUrl: () => runner.url,
      directory: repo,
      headers: runner.headers(),
      onEvent: (e) => events.push(e),
    });
    cleanups.push(async () => {
      sub.close();
      await sub.done;
    });
    await sub.ready; // before the prompt: nothing of the turn may be missed
    const client = createOpenCodeClient({ baseUrl: () => runner.url, directory: repo, headers: runner.headers() });
    const session = await client.createSession({ title: "env" });
    const steps = [
      { tool: "bash", input: { command: "env", description: "Print the environment" } },
      { text: "Printed it." },
    ];
    await client.promptAsync(session.id, { text: `Show me the environment\nSCRIPT: ${JSON.stringify(steps)}` });

    // What the orchestrator's event log is built from: the tool part as OpenCode streams it.
    const completed = await waitFor(
      () =>
        events.find((e) => {
          const part = e.properties.part as
            { sessionID?: string; type?: string; tool?: string; state?: { status?: string } } | undefined;
          return (
            e.type === "message.part.updated" &&
            part?.sessionID === session.id &&
            part.tool === "bash" &&
            part.state?.status === "completed"
          );
        }),
      "the completed bash tool",
      { timeoutMs: 60_000 },
    );
    const streamed = String((completed.properties.part as { state: { output: unknown } }).state.output);
    expectOnlyTheAllowed(parseEnv(streamed), streamed);
    // Blanked by the runner's plugin: the command cannot use it, and the session's events never carry it.
    expect(parseEnv(streamed).get("OPENCODE_SERVER_PASSWORD")).toBe("");
    expect(passwordOf(runner).length).toBeGreaterThan(20);
    expect(JSON.stringify(events)).not.toContain(passwordOf(runner));

    // And the session as re-read after idle (what decides the outcome).
    await waitFor(
      () => events.find((e) => e.type === "session.idle" && e.properties.sessionID === session.id),
      "idle",
      { timeoutMs: 60_000 },
    );
    const tool = (await client.messages(session.id))
      .flatMap((m) => m.parts)
      .find((p) => p.type === "tool" && p.tool === "bash");
    expect(tool?.type === "tool" && tool.state).toMatchObject({ status: "completed", input: { command: "env" } });
    const output = tool?.type === "tool" && tool.state.status === "completed" ? tool.state.output : "";
    expectOnlyTheAllowed(parseEnv(output), output);
    expect(output).not.toContain(passwordOf(runner));
  });

  it("holds for the `opencode serve` process itself, not only for its tools; only it holds the runner's password", () => {
    const environ = readFileSync(`/proc/${runner.pid}/environ`, "utf8").split("\0").join("\n");
    expectOnlyTheAllowed(parseEnv(environ), environ);
    expect(parseEnv(environ).get("OPENCODE_SERVER_PASSWORD")).toBe(passwordOf(runner));
    expect(parseEnv(environ).get("OPENCODE_SERVER_USERNAME")).toBe("opencode");
  });
});
