import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { AgentGate } from "@industrial/core";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import { createGitRepo, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagedRunner, type ManagedRunner } from "../runner/managed-runner";
import { createOpenCodeClient } from "../opencode-client";
import { computeOpenCodeConfig } from "../runner/opencode-config";
import { startAgentGate, type AgentGateServer } from "./gate-server";
import { writeAgentGatePlugin } from "./gate-plugin";

// The real `opencode serve` with the gate's plugin loaded, driven by the
// scripted model: the plugin holds the agent still on `wait`, lets it go on
// `go`, and stops it on `stop` before the model is asked or a tool runs.
let tmp: ReturnType<typeof tempDir>;
let model: ScriptedModel;
let gate: AgentGateServer;
let runner: ManagedRunner;

beforeAll(async () => {
  tmp = tempDir("agent-gate-int-");
  model = await createScriptedModel();
  gate = await startAgentGate({ holdMs: 1_000 });
  const plugin = writeAgentGatePlugin(tmp.path, gate.url);
  runner = await createManagedRunner({
    stateDir: join(tmp.path, "runner"),
    isolate: true,
    config: { ...computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }), plugin: [plugin] },
  });
}, 60_000);

afterAll(async () => {
  await runner?.stop();
  await gate?.close();
  await model?.close();
  tmp?.remove();
});

function repo(name: string): string {
  const dir = join(tmp.path, name);
  mkdirSync(dir, { recursive: true });
  createGitRepo(dir);
  return dir;
}

const script = (steps: unknown[]) => `Write the files\nSCRIPT: ${JSON.stringify(steps)}`;
const stepsOf = (dir: string) =>
  model.requests().filter((r) => r.workingDirectory === dir && r.reply.kind !== "title").length;

async function idle(c: ReturnType<typeof createOpenCodeClient>, id: string): Promise<void> {
  await waitFor(async () => ((await c.sessionStatus())[id]?.type ?? "idle") === "idle", `${id} idle`, {
    timeoutMs: 30_000,
  });
}

const writeA = { tool: "write", input: { filePath: "a.txt", content: "a" } };

/** A session in a repository of its own under the gate (`go` until `set`), prompted with `a.txt`'s write and then `steps`; resolves once `a.txt` is written. */
async function gatedSession(name: string, steps: unknown[]) {
  const dir = repo(name);
  const c = createOpenCodeClient({ baseUrl: () => runner.url, directory: dir, headers: runner.headers() });
  const s = await c.createSession({ title: name });
  let verdict: AgentGate = "go";
  const off = gate.register(s.id, () => verdict);
  await c.promptAsync(s.id, { text: script([writeA, ...steps]) });
  await waitFor(() => existsSync(join(dir, "a.txt")), "a.txt");
  return { dir, c, s, off, set: (v: AgentGate) => (verdict = v) };
}

describe("the agent gate inside a managed runner", () => {
  it("go: the agent works as without the gate", async () => {
    const { dir, c, s, off } = await gatedSession("go", [{ text: "done" }]);
    await idle(c, s.id);
    expect(stepsOf(dir)).toBe(2);
    off();
  }, 60_000);

  it("wait holds the agent before its next step for as long as it lasts; go lets it carry on", async () => {
    const { dir, c, s, off, set } = await gatedSession("wait", [
      { sleep_ms: 500 },
      { tool: "write", input: { filePath: "b.txt", content: "b" } },
      { text: "done" },
    ]);
    set("wait");
    const before = stepsOf(dir);
    // Several of the plugin's held asks (1 s each) pass: nothing more reaches the model, no tool runs.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(existsSync(join(dir, "b.txt"))).toBe(false);
    expect(stepsOf(dir)).toBeLessThanOrEqual(before + 1);
    set("go");
    await waitFor(() => existsSync(join(dir, "b.txt")), "b.txt after go", { timeoutMs: 30_000 });
    await idle(c, s.id);
    off();
  }, 60_000);

  it("stop, and a session nobody registered: the model is not asked and no tool runs", async () => {
    const { dir, c, s, off, set } = await gatedSession("stop", [
      { sleep_ms: 1_500 },
      { tool: "write", input: { filePath: "b.txt", content: "b" } },
      { text: "done" },
    ]);
    // The request for the next step is with the model (sleeping): its tool call comes back to a stopped gate.
    await waitFor(() => stepsOf(dir) >= 2, "the second request");
    set("stop");
    await idle(c, s.id);
    expect(existsSync(join(dir, "b.txt"))).toBe(false);
    const asked = stepsOf(dir);
    off();

    const other = await c.createSession({ title: "never registered" });
    await c.promptAsync(other.id, {
      text: script([{ tool: "write", input: { filePath: "c.txt", content: "c" } }, { text: "done" }]),
    });
    await waitFor(
      async () => JSON.stringify(await c.messages(other.id)).includes("stopped this session here"),
      "the turn to fail at the gate",
      { timeoutMs: 30_000 },
    );
    expect(existsSync(join(dir, "c.txt"))).toBe(false);
    expect(stepsOf(dir)).toBe(asked);
  }, 60_000);
});
