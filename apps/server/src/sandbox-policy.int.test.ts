import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentSandboxChange } from "@industrial/contracts";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { runCommands } from "./testing/session-commands";

// An agent's sandbox policy (network, limits, an admin's mounts) as its
// sessions' commands meet it: the real opencode serve, its bash tool, and
// bubblewrap, each session routed to its agent.
let h: TestOrchestrator;
const shared = tempDir("orch-sandbox-shared-");
beforeAll(async () => {
  writeFileSync(join(shared.path, "notes.txt"), "the-admins-shared-notes\n");
  h = await startTestOrchestrator();
});
afterAll(async () => {
  await h?.close();
  shared.remove();
});

let n = 0;
async function agentWith(sandbox: AgentSandboxChange): Promise<string> {
  const agent = await h.api.call("createAgent", { body: { name: `policy-${++n}`, type: "implementer", sandbox } });
  return agent.id;
}

/** Runs `commands` in a session of a new agent with `sandbox`; what they printed. */
async function runAs(
  sandbox: AgentSandboxChange,
  title: string,
  commands: string[],
  vars: Record<string, string> = {},
): Promise<string> {
  const agentId = await agentWith(sandbox);
  const { session, out } = await runCommands(h.api, { title, commands: commands.join("; "), vars, agentId });
  expect(session.agentId).toBe(agentId);
  return out;
}

// What fetch says about the orchestrator's own port (its URL in the vars file).
const FETCH = `node -e 'fetch(process.argv[1]).then((r) => console.log("status=" + r.status), (e) => console.log("error=" + (e.cause?.code ?? e.message)))' "$URL/health"`;

describe("an agent's sandbox policy, applied to its sessions' commands", () => {
  it("network none cannot reach the orchestrator's port on loopback; network full can", async () => {
    const vars = { URL: h.orc.url };
    const [none, full] = await Promise.all([
      runAs({ network: "none" }, "offline", [FETCH], vars),
      runAs({ network: "full" }, "online", [FETCH], vars),
    ]);
    expect(none).toMatch(/^error=ECONNREFUSED$/m);
    expect(full).toMatch(/^status=200$/m);
  }, 120_000);

  it("applies the limits: CPU seconds kill a busy loop, the address space stops a big allocation, the process limit is set", async () => {
    const out = await runAs({ cpuSeconds: 1, maxProcesses: 64, memoryMb: 1024 }, "limited", [
      `echo "cpu=$(ulimit -t) procs=$(ulimit -u) as=$(ulimit -v)"`,
      // Over 1 s of CPU: SIGXCPU (152), or SIGKILL (137) at the hard limit, long before timeout's 20 s.
      `timeout 20 bash -c 'while :; do :; done'; echo "busy-loop=$?"`,
      // 1.5 GiB in one piece is past the 1 GiB address space, whatever the heap's own limit.
      `python3 -c 'bytearray(1536 << 20)' 2>&1 | tail -n 1; echo "big-alloc=\${PIPESTATUS[0]}"`,
      `python3 -c 'bytearray(64 << 20); print("small-alloc=ok")'`,
    ]);
    // Set, but only checked as set: the kernel never applies RLIMIT_NPROC to root, which these tests may run as (README, Sandbox).
    expect(out).toContain("cpu=1 procs=64 as=1048576");
    expect(out).toMatch(/^busy-loop=(152|137)$/m);
    expect(out).toMatch(/^MemoryError$/m);
    expect(out).toMatch(/^big-alloc=1$/m);
    expect(out).toContain("small-alloc=ok");
  }, 120_000);

  it("shows an admin's read-only mount: the file reads, nothing writes there; a mount missing here leaves the rest running", async () => {
    const missing = { path: `${shared.path}-missing`, mode: "rw" as const };
    const out = await runAs(
      { mounts: [{ path: shared.path, mode: "ro" }, missing] },
      "mounted",
      [
        `cat "$SHARED/notes.txt"; echo "read=$?"`,
        `echo x > "$SHARED/intruder.txt"; echo "write=$?"`,
        `rm -f "$SHARED/notes.txt"; echo "remove=$?"`,
      ],
      { SHARED: shared.path },
    );
    expect(out).toContain("the-admins-shared-notes");
    expect(out).toMatch(/^read=0$/m);
    expect(out).toMatch(/Read-only file system/);
    expect(out).toMatch(/^write=1$/m);
    expect(out).toMatch(/^remove=1$/m);
    expect(existsSync(join(shared.path, "intruder.txt"))).toBe(false);
    expect(existsSync(join(shared.path, "notes.txt"))).toBe(true);
  }, 120_000);
});
