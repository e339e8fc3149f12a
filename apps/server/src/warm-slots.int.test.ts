import { runGit as git } from "@industrial/testkit";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { sessionShortId } from "@industrial/core";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTestGitRepo } from "./testing/git-fixture";
import {
  allEvents,
  scripted,
  startTestOrchestrator,
  waitForPushed,
  waitForStatus,
  type TestOrchestrator,
} from "./testing/harness";

// Warm slots (docs/warm-slots.md) through the real binary: one slot per repository, so the
// second session of a repository gets the first one's path the moment it may.
let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({
    env: {
      ORCHESTRATOR_WARM_SLOTS: "1",
      ORCHESTRATOR_RETENTION_INTERVAL_MS: "0",
      ORCHESTRATOR_DISK_USAGE_INTERVAL_MS: "0",
      ORCHESTRATOR_WORKTREE_GRACE_HOURS: "0",
    },
  });
});
afterAll(async () => h?.close());

async function run(title: string, steps: unknown[], repository: string, status = "completed") {
  const s = await h.api.call("createSession", {
    body: { title, prompt: scripted(title, steps), retry: { maxAttempts: 1 }, repository },
  });
  const done = await waitForStatus(h.api, s.id, ["completed", "failed"], 90_000);
  expect(done.status, JSON.stringify(done.error)).toBe(status);
  return done;
}

/** Every file under `dir` but `.git`, with its content: what a later session's work must leave exactly as it was. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === ".git") continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

const FIRST = [
  { tool: "write", input: { filePath: "README.md", content: "changed by the first session\n" } },
  { tool: "write", input: { filePath: "first-untracked.txt", content: "first\n" } },
  { tool: "write", input: { filePath: "build/first-ignored.txt", content: "ignored, never checkpointed\n" } },
  { text: "first done" },
];

// What the second session's agent looks at, through its own shell (the sandbox's, as every command).
const LOOK =
  "{ ls -A; echo ---; git log --all --format=%s; echo ---; git for-each-ref --format='%(refname)'; echo ---; git reflog --all --format=%gs; echo ---; cat build/first-ignored.txt first-untracked.txt 2>&1; } > seen.txt";

describe(`warm slots (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("the next session of a repository works at the same path and sees nothing of the last one; the last one's diff is rebuilt elsewhere and leaves it alone", async () => {
    const repo = createTestGitRepo({ "README.md": "base\n", ".gitignore": "build/\n" });
    onTestFinished(() => repo.remove());
    const first = await run("first in the slot", FIRST, repo.path);
    await waitForPushed(h.api, first.id);
    const slot = first.workspace.path!;
    expect(relative(h.dataDir, slot).split("/").slice(0, 2)).toEqual(["worktrees", "slots"]);

    const second = await run(
      "second in the slot",
      [{ tool: "bash", input: { command: LOOK, description: "look around" } }, { text: "looked" }],
      repo.path,
    );
    expect(second.workspace.path).toBe(slot);
    const [listing, log, refs, reflog, cat] = readFileSync(join(slot, "seen.txt"), "utf8").split("---\n");
    expect(listing!.split("\n").filter(Boolean).sort()).toEqual([".git", ".gitignore", "README.md", "seen.txt"]);
    // Only the repository's own commit (the base): none of the first session's checkpoints.
    expect(log!.trim()).toBe(git(repo.path, "log", "--format=%s", "-1"));
    const shortB = sessionShortId(second.id);
    expect(refs!.split("\n").filter(Boolean).sort()).toEqual([
      `refs/heads/orchestrator/${shortB}`,
      `refs/orchestrator/base/${shortB}`,
    ]);
    expect(reflog).not.toContain(sessionShortId(first.id));
    expect(cat).toMatch(/No such file or directory[\s\S]*No such file or directory/);
    expect(readFileSync(join(slot, "README.md"), "utf8")).toBe("base\n");

    // The first session read later: its diff comes from its checkpoints, in a folder of its own.
    const secondFiles = filesOf(slot);
    const diff = await h.api.call("sessionDiff", { params: { id: first.id } });
    expect(diff.files.map((f) => f.path).sort()).toEqual(["README.md", "first-untracked.txt"]);
    expect(filesOf(slot)).toEqual(secondFiles);
    expect(existsSync(join(h.dataDir, "worktrees", sessionShortId(first.id), "first-untracked.txt"))).toBe(true);
  });

  it("a session that may run again keeps its slot; once retention takes its folder the slot passes on, and a restore of it runs elsewhere without touching the slot or rewinding OpenCode there", async () => {
    const repo = createTestGitRepo({ "README.md": "base\n" });
    onTestFinished(() => repo.remove());
    const failed = await run(
      "fails in the slot",
      [
        { tool: "write", input: { filePath: "a.txt", content: "a\n" } },
        { error: { status: 400, message: "scripted failure" } },
      ],
      repo.path,
      "failed",
    );
    const cps = await waitForPushed(h.api, failed.id);
    const slot = failed.workspace.path!;

    // Failed may be retried or restored: the slot stays its own, the next session gets a folder of its own.
    const beside = await run(
      "beside it",
      [{ tool: "write", input: { filePath: "b.txt", content: "b\n" } }, { text: "b" }],
      repo.path,
    );
    expect(beside.workspace.path).toBe(join(h.dataDir, "worktrees", sessionShortId(beside.id)));
    expect(readFileSync(join(slot, "a.txt"), "utf8")).toBe("a\n");

    // Retention removes the failed session's folder (grace 0 here); the slot is free for the next one.
    await waitForPushed(h.api, beside.id);
    expect((await h.orc.housekeeping.retention.runRound()).worktrees).toBeGreaterThanOrEqual(1);
    expect(existsSync(slot)).toBe(false);
    const next = await run(
      "next in the slot",
      [{ tool: "write", input: { filePath: "c.txt", content: "c\n" } }, { text: "c" }],
      repo.path,
    );
    expect(next.workspace.path).toBe(slot);
    const nextFiles = filesOf(slot);
    expect(nextFiles).toEqual({ "README.md": "base\n", "c.txt": "c\n" });
    const nextHead = git(slot, "rev-parse", "HEAD");

    // The failed session restored to its checkpoint: recreated in a folder of its own, and run again there.
    const restored = await h.api.call("restoreCheckpoint", { params: { id: failed.id, seq: cps[0]!.seq } });
    expect(restored.workspace.path).not.toBe(slot);
    // Recorded with the workspace (not in its API view): OpenCode was not asked to revert in the slot.
    const [row] = await h.orc.db.query<{ workspace: { reset?: { openCodeRewound: boolean } } }>(
      "SELECT workspace FROM sessions WHERE id = $1",
      [failed.id],
    );
    expect(row!.workspace.reset?.openCodeRewound).toBe(false);
    const again = await waitForStatus(h.api, failed.id, ["completed", "failed"], 90_000);
    expect(again.attempt).toBe(2);
    expect(again.workspace.path).not.toBe(slot);
    expect(existsSync(join(again.workspace.path!, "a.txt"))).toBe(true);
    expect(filesOf(slot)).toEqual(nextFiles);
    expect(git(slot, "rev-parse", "HEAD")).toBe(nextHead);
    expect((await allEvents(h.api, failed.id)).some((e) => e.type === "session.restored")).toBe(true);
    expect(statSync(slot).isDirectory()).toBe(true);
  });
});
