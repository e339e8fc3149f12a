import { createApiClient, ReadinessSchema, type ApiClient } from "@industrial/contracts";
import { bearer, tempDir } from "@industrial/testkit";
import { afterEach, describe, expect, it } from "vitest";
import { startTestOrchestrator } from "./testing/harness";
import { killReplica, startServerProcess } from "./testing/server-process";
import { runCommands, startCommands } from "./testing/session-commands";

// ORCHESTRATOR_SANDBOX on a machine where bubblewrap does not work (named
// missing through ORCHESTRATOR_SANDBOX_BWRAP): which installations refuse
// sessions and which run them unsandboxed, what readiness says, and the
// warning at start. Each case is an orchestrator of its own (the decision is
// made once, at start); the sandboxed case is sandbox.int's.
const MISSING = "/nonexistent/bwrap";
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Every one runs, the last registered first, even when one fails.
  const failed: unknown[] = [];
  for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => failed.push(e));
  if (failed.length) throw failed[0];
});

async function sandboxComponent(url: string) {
  const ready = ReadinessSchema.parse(await (await fetch(`${url}/health/ready`)).json());
  // Reported, never a reason to be unready.
  expect(ready.status).toBe("ready");
  return ready.components.sandbox;
}

/** A session's command, told apart inside and outside: only outside does the data dir show the runners' state (inside it is empty but for the session's own folder). */
const PEEK = { title: "peek", commands: `ls "$DATA" | grep -x opencode; echo "peeked=$?"` };

/** Expects sessions refused before any command: SANDBOX_UNAVAILABLE, naming the cause, not retried. */
async function expectRefused(api: ApiClient, url: string, dataDir: string) {
  const done = await startCommands(api, { ...PEEK, vars: { DATA: dataDir }, maxAttempts: 3 });
  expect(done.status).toBe("failed");
  expect(done.error).toMatchObject({ code: "SANDBOX_UNAVAILABLE", retryable: false });
  expect(done.error!.message).toContain(`bubblewrap (${MISSING}) is not installed`);
  expect(done.attempt).toBe(1);
  const sandbox = await sandboxComponent(url);
  expect(sandbox).toMatchObject({
    status: "down",
    detail: expect.stringContaining(`bubblewrap (${MISSING}) is not installed`),
  });
}

/** Expects sessions to run their commands unsandboxed (the data dir in plain sight), readiness `degraded`. */
async function expectUnsandboxed(api: ApiClient, url: string, dataDir: string) {
  const { out } = await runCommands(api, { ...PEEK, vars: { DATA: dataDir } });
  expect(out).toMatch(/^opencode\npeeked=0$/m);
  expect(await sandboxComponent(url)).toMatchObject({
    status: "degraded",
    detail: expect.stringContaining("unsandboxed"),
  });
}

describe("ORCHESTRATOR_SANDBOX where bubblewrap does not work", () => {
  it("required: sessions fail SANDBOX_UNAVAILABLE naming the cause, not retried; readiness says the sandbox is down", async () => {
    const h = await startTestOrchestrator({
      env: { ORCHESTRATOR_SANDBOX: "required", ORCHESTRATOR_SANDBOX_BWRAP: MISSING },
    });
    cleanups.push(() => h.close());
    await expectRefused(h.api, h.orc.url, h.dataDir);
  }, 120_000);

  it("auto with authentication on (a shared installation): refused the same way", async () => {
    const h = await startTestOrchestrator({ env: { ORCHESTRATOR_SANDBOX_BWRAP: MISSING } });
    cleanups.push(() => h.close());
    expect(h.orc.config.ORCHESTRATOR_SANDBOX).toBe("auto");
    await expectRefused(h.api, h.orc.url, h.dataDir);
  }, 120_000);

  it("auto with ORCHESTRATOR_AUTH=off (single user): runs them unsandboxed, says so in the log at start, readiness degraded", async () => {
    const dir = tempDir("orch-sandbox-auth-off-");
    cleanups.push(async () => dir.remove());
    const server = await startServerProcess(
      {
        ORCHESTRATOR_DATA_DIR: dir.path,
        ORCHESTRATOR_DEMO: "1",
        ORCHESTRATOR_AUTH: "off",
        ORCHESTRATOR_SANDBOX_BWRAP: MISSING,
        LOG_FORMAT: "json",
        ORCHESTRATOR_DASHBOARD: "off",
      },
      [],
      { ownGroup: true },
    );
    cleanups.push(() => killReplica(server.child, dir.path));
    const warnings = server
      .stdout()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.level === 40 && l.msg.includes("agents' commands run unsandboxed"));
    expect(warnings.map((w) => w.msg)).toEqual([expect.stringContaining(`bubblewrap (${MISSING}) is not installed`)]);
    expect(warnings[0]!.msg).toContain("ORCHESTRATOR_AUTH=off");
    // With authentication off any key is the admin (a keyless write would count as a browser's, and be refused as cross-site).
    await expectUnsandboxed(createApiClient({ baseUrl: server.url, headers: bearer() }), server.url, dir.path);
  }, 120_000);

  it("off: runs them unsandboxed whatever bubblewrap does; readiness degraded", async () => {
    const h = await startTestOrchestrator({ env: { ORCHESTRATOR_SANDBOX: "off" } });
    cleanups.push(() => h.close());
    await expectUnsandboxed(h.api, h.orc.url, h.dataDir);
    expect(await sandboxComponent(h.orc.url)).toMatchObject({
      detail: expect.stringContaining("ORCHESTRATOR_SANDBOX=off"),
    });
  }, 120_000);
});
