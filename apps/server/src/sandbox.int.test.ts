import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sessionShortId } from "@industrial/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGitRepo } from "./testing/git-fixture";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { runCommands as run } from "./testing/session-commands";

// Agents' commands in the sandbox (bubblewrap), through the real opencode
// serve and its bash tool: a second session's shell cannot see the first's
// worktree, the data dir or the runner state, and can work in its own.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => h?.close());

const runCommands = async (commands: string, title: string, vars: Record<string, string> = {}) =>
  run(h.api, { title, commands, vars });

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

  it("two sessions of one repository: the second's git shows its own branch only, and none of the first's commits", async () => {
    const repo = createTestGitRepo({ "README.md": "shared base\n" });
    try {
      const first = await run(h.api, {
        title: "first of the repository",
        commands: "echo the-first-sessions-work > work.txt; echo written",
        repository: repo.path,
      });
      const cps = await h.api.call("listCheckpoints", { params: { id: first.session.id } });
      const commits = cps.items.flatMap((c) => (c.gitCommit ? [c.gitCommit] : []));
      expect(commits.length).toBeGreaterThan(0);
      const second = await run(h.api, {
        title: "second of the repository",
        commands: [
          `git branch --all --format='branch %(refname:short)'`,
          `git for-each-ref --format='ref %(refname)'`,
          // Every object it can read, its own and the borrowed ones (the repository's).
          `git cat-file --batch-all-objects --batch-check='%(objectname)' > /tmp/objects; echo "objects=$(wc -l < /tmp/objects)"`,
          `for c in $FIRST; do grep -c "$c" /tmp/objects; done | paste -sd+ | sed 's/^/first-commits-seen=/'`,
          `ls "$REPO/.git/refs/heads"; echo "list-repository-refs=$?"`,
          `git log --oneline | wc -l | sed 's/^/log=/'`,
        ].join("; "),
        vars: { FIRST: commits.join(" "), REPO: repo.path },
        repository: repo.path,
      });
      const out = second.out;
      const short = sessionShortId(second.session.id);
      expect(out.match(/^branch .*$/gm)).toEqual([`branch orchestrator/${short}`]);
      expect(out.match(/^ref .*$/gm)?.sort()).toEqual([
        `ref refs/heads/orchestrator/${short}`,
        `ref refs/orchestrator/base/${short}`,
      ]);
      expect(Number(/objects=(\d+)/.exec(out)?.[1])).toBeGreaterThan(0);
      expect(out).toMatch(/first-commits-seen=0(\+0)*$/m);
      // The repository it borrows from: its object store alone is mounted, not its refs.
      expect(out).toMatch(/list-repository-refs=2/);
      expect(out).toMatch(/log=[1-9]/);
      expect(out).not.toContain("the-first-sessions-work");
    } finally {
      repo.remove();
    }
  }, 180_000);
});
