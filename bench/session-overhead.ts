import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiClient } from "@industrial/contracts";
import { computeOpenCodeConfig, createManagedRunner, createOpenCodeClient, subscribeEvents } from "@industrial/opencode";
import { createScriptedModel } from "@industrial/scripted-model";
import { startOrchestrator } from "@industrial/server";

const PROMPT = `Answer at once.\nSCRIPT: [{"text":"done"}]`;

/** One session driven straight through OpenCode: create, prompt, wait for idle (what the orchestrator adds work on top of). */
async function direct(url: string, dir: string): Promise<number> {
  const client = createOpenCodeClient({ baseUrl: url, directory: dir });
  let idle!: () => void;
  const done = new Promise<void>((r) => (idle = r));
  let id = "";
  let busy = false;
  const sub = subscribeEvents({
    baseUrl: url,
    directory: dir,
    onEvent: (e) => {
      const p = e.properties as { sessionID?: string; status?: { type?: string } };
      if (p.sessionID !== id) return;
      if (e.type === "session.status" && p.status?.type === "busy") busy = true;
      if (e.type === "session.idle" && busy) idle();
    },
  });
  await sub.ready;
  const t0 = performance.now();
  id = (await client.createSession({ title: "bench" })).id;
  await client.promptAsync(id, { text: PROMPT });
  await done;
  await client.messages(id);
  const ms = performance.now() - t0;
  sub.close();
  return ms;
}

/**
 * Per-session overhead of the orchestrator over driving OpenCode directly,
 * both against the same `opencode serve` and scripted model, one session at
 * a time in one warm directory, so the difference is our own work: the API,
 * queueing, dispatch, leases, event translation and writes, the checkpoint
 * commit and the final diff.
 */
export async function benchSessionOverhead(n: number): Promise<{ directMs: number; orchestratorMs: number }> {
  const root = mkdtempSync(join(tmpdir(), "orch-bench-"));
  const dir = join(root, "work");
  execFileSync("mkdir", ["-p", dir]);
  const model = await createScriptedModel({ port: 0 });
  // A remote runner as an operator may run one, without a password: ORCHESTRATOR_REMOTE_RUNNERS names none.
  const runner = await createManagedRunner({ stateDir: join(root, "runner"), config: computeOpenCodeConfig({ mode: "scripted", baseUrl: model.baseUrl }), isolate: true, authenticate: false });
  // The bench calls the API as the default tenant's admin, with a key made for this run.
  const adminKey = `bench-${randomBytes(24).toString("hex")}`;
  const orc = await startOrchestrator({
    env: {
      ORCHESTRATOR_ADMIN_KEY: adminKey,
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: "0",
      LOG_LEVEL: "silent",
      ORCHESTRATOR_DATA_DIR: join(root, "orc"),
      ORCHESTRATOR_WORKSPACE_ROOTS: root,
      ORCHESTRATOR_MANAGED_RUNNERS: "0",
      ORCHESTRATOR_REMOTE_RUNNERS: runner.url,
      ORCHESTRATOR_DEFAULT_MODEL: "scripted/scripted-model",
      // The bench polls every 5 ms: it measures overhead, not the limiter.
      ORCHESTRATOR_RATE_LIMIT: "0",
    },
  });
  try {
    const api = createApiClient({ baseUrl: orc.url, headers: { authorization: `Bearer ${adminKey}` } });
    const viaOrchestrator = async () => {
      const t0 = performance.now();
      const s = await api.call("createSession", { body: { prompt: PROMPT, directory: dir, retry: { maxAttempts: 1 } } });
      for (;;) {
        const cur = await api.call("getSession", { params: { id: s.id } });
        if (cur.status === "completed") return performance.now() - t0;
        if (cur.status === "failed") throw new Error(`bench session failed: ${cur.error?.message}`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    // The orchestrator makes the directory a repository on first use; both sides then share its warm instance.
    await viaOrchestrator();
    await direct(runner.url, dir);
    let directTotal = 0;
    let orchestratorTotal = 0;
    // Interleaved, so drift in OpenCode's own speed falls on both sides alike.
    for (let i = 0; i < n; i++) {
      directTotal += await direct(runner.url, dir);
      orchestratorTotal += await viaOrchestrator();
    }
    return { directMs: directTotal / n, orchestratorMs: orchestratorTotal / n };
  } finally {
    await orc.stop();
    await runner.stop();
    await model.close();
    rmSync(root, { recursive: true, force: true });
  }
}
