import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";

// Agents' commands in the sandbox (bubblewrap), through the real opencode
// serve and its bash tool: a second session's shell cannot see the first's
// worktree, the data dir or the runner state, and can work in its own.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

/**
 * Runs `commands` as one bash tool call; what they print lands in `out.txt`
 * of the session's folder, read from the host. `vars` are written to a file
 * first and sourced: OpenCode's own permission check reads absolute paths out
 * of a command and denies those outside the folder, and an agent steered by a
 * prompt injection would hide them just so — the sandbox must hold anyway.
 */
async function runCommands(commands: string, title: string, vars: Record<string, string> = {}): Promise<{ id: string; ws: string; out: string }> {
  const env = Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join("\n");
  const s = await h.api.call("createSession", {
    body: {
      title,
      prompt: scripted(title, [
        { tool: "write", input: { filePath: "vars.sh", content: `${env}\n` } },
        { tool: "bash", input: { command: `{ . ./vars.sh; ${commands}; } > out.txt 2>&1`, description: title } },
        { text: "done" },
      ]),
      retry: { maxAttempts: 1 },
    },
  });
  const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 60_000);
  expect(done.status, done.statusReason ?? "").toBe("completed");
  const ws = done.workspace.path!;
  if (!existsSync(join(ws, "out.txt"))) throw new Error(`no out.txt: ${JSON.stringify((await allEvents(h.api, s.id)).filter((e) => e.type === "session.tool").map((e) => e.payload)).slice(0, 2000)}`);
  return { id: s.id, ws, out: readFileSync(join(ws, "out.txt"), "utf8") };
}

describe("the sandbox around an agent's commands", () => {
  it("readiness says the sessions' commands are sandboxed", async () => {
    const res = await fetch(`${h.orc.url}/health/ready`);
    const body = (await res.json()) as { components: Record<string, { status: string; detail?: string }> };
    expect(body.components.sandbox).toMatchObject({ status: "up", detail: expect.stringContaining("bubblewrap") });
  });

  it("a second session's shell cannot reach the first's worktree, the data dir or the runner state, and works in its own", async () => {
    const first = await runCommands("echo the-first-sessions-secret > secret.txt; echo written", "first");
    expect(first.out).toContain("written");
    const dataDir = h.orc.config.ORCHESTRATOR_DATA_DIR;
    const second = await runCommands(
      [
        `cat "$OTHER/secret.txt"; echo "read-other=$?"`,
        `ls "$DATA/workspaces" | grep -c . ; echo "list-workspaces=$?"`,
        `ls "$DATA/opencode"; echo "list-runner-state=$?"`,
        `echo x > "$OTHER/intruder.txt"; echo "write-other=$?"`,
        `ls /proc | grep -c '^[0-9]'`,
        `git status --short; echo "git=$?"`,
        `node -e 'console.log("node=" + 6 * 7)'`,
        `echo mine > own.txt && cat own.txt`,
        `echo "home=$HOME"`,
      ].join("; "),
      "second",
      { OTHER: first.ws, DATA: dataDir },
    );
    const out = second.out;
    expect(out).not.toContain("the-first-sessions-secret");
    expect(out).toMatch(/read-other=1/);
    // The data dir's workspaces hold this session's own folder only (bound alone), not the first's.
    expect(out).toMatch(/^1\nlist-workspaces=0$/m);
    expect(out).toMatch(/list-runner-state=2/);
    expect(out).toMatch(/write-other=1/);
    expect(readFileSync(join(second.ws, "own.txt"), "utf8")).toBe("mine\n");
    expect(out).toContain("node=42");
    expect(out).toMatch(/git=0/);
    expect(out).toContain("home=/tmp/home");
    // Its own PID namespace: a handful of processes, not the machine's.
    const pids = Number(/^(\d+)$/m.exec(out.split("write-other")[1]!)?.[1]);
    expect(pids).toBeLessThan(10);
    expect(() => readFileSync(join(first.ws, "intruder.txt"))).toThrow();
  }, 120_000);
});
