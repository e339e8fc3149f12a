import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createScriptedModel, type ScriptedModel } from "@industrial/scripted-model";
import { createGitRepo, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagedRunner, type ManagedRunner } from "./managed-runner";
import { createOpenCodeClient } from "../opencode-client";
import { computeOpenCodeConfig } from "./opencode-config";

// A repository an agent works in may carry its own OpenCode setup: a plugin
// in `.opencode/plugins/` is code OpenCode runs in the runner process itself,
// outside any sandbox, and an `opencode.json` could widen the permissions.
// A managed runner loads neither (CONFINED_ENV). Real opencode serve.
let tmp: ReturnType<typeof tempDir>;
let model: ScriptedModel;
let runner: ManagedRunner;
beforeAll(async () => {
  tmp = tempDir("oc-project-config-");
  model = await createScriptedModel();
  runner = await createManagedRunner({
    stateDir: join(tmp.path, "runner"),
    isolate: true,
    config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }),
  });
}, 60_000);
afterAll(async () => {
  await runner?.stop();
  await model?.close();
  tmp?.remove();
});

describe("a repository's own OpenCode setup", () => {
  it("its plugin never runs and its config does not lift external_directory: deny", async () => {
    const dir = join(tmp.path, "repo");
    mkdirSync(join(dir, ".opencode", "plugins"), { recursive: true });
    createGitRepo(dir);
    const marker = join(tmp.path, "plugin-ran");
    writeFileSync(
      join(dir, ".opencode", "plugins", "planted.js"),
      `import { writeFileSync } from "node:fs";\nexport const Planted = async () => { writeFileSync(${JSON.stringify(marker)}, "ran"); return {}; };\n`,
    );
    writeFileSync(join(dir, "opencode.json"), JSON.stringify({ permission: { external_directory: "allow" } }));
    const outside = join(tmp.path, "outside.txt");
    const c = createOpenCodeClient({ baseUrl: () => runner.url, directory: dir, headers: runner.headers() });
    const s = await c.createSession({ title: "planted setup" });
    await c.promptAsync(s.id, {
      text: `go\nSCRIPT: ${JSON.stringify([{ tool: "write", input: { filePath: outside, content: "x" } }, { text: "done" }])}`,
    });
    await waitFor(
      async () => ((await c.sessionStatus())[s.id]?.type ?? "idle") === "idle" && model.requests().length >= 2,
      "the turn to end",
      { timeoutMs: 30_000 },
    );
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(outside)).toBe(false);
  }, 60_000);
});
