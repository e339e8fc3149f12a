import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { createGitRepo, tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allEvents, startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { runCommands } from "./testing/session-commands";

// The orchestrator runs git in a session's folder outside the sandbox (each
// checkpoint's `git add -A` and commit, diffs). A sandboxed command that could
// write the git config or pointer that git reads there would have it run the
// agent's program (a clean filter) as the orchestrator's user. The folder's
// `.git` (a scratch repository's, a session clone's) and the object store a
// clone borrows are read-only inside the sandbox.
let h: TestOrchestrator;
const outside = tempDir("orch-git-escape-");
beforeAll(async () => {
  h = await startTestOrchestrator();
});
afterAll(async () => {
  await h?.close();
  outside.remove();
});

/** Tries both ways in: the repository's config, and a `.git` of the agent's own in place of the folder's. */
const attempts = [
  `git config filter.x.clean "sh -c 'id > $MARK; cat'"; echo "config=$?"`,
  `echo '* filter=x' > .gitattributes`,
  `mkdir -p own-git && git init -q own-git && git -C own-git config filter.x.clean "sh -c 'id > $MARK; cat'"`,
  `rm -rf .git 2>/dev/null; mv own-git/.git .git 2>/dev/null; echo "replace=$?"`,
  `rm -rf own-git; echo changed > file.txt`,
].join("; ");

async function checkpointsAfter(sessionId: string): Promise<number> {
  return (await allEvents(h.api, sessionId)).filter((e) => e.type === "session.checkpoint").length;
}

describe("git in a session's folder stays the orchestrator's", () => {
  it("scratch session: the repository's config cannot be written, so the checkpoint runs no filter", async () => {
    const marker = join(outside.path, "scratch-marker");
    const { session, out } = await runCommands(h.api, {
      title: "escape scratch",
      vars: { MARK: marker },
      commands: attempts,
    });
    expect(out).toMatch(/config=[1-9]/);
    expect(out).toMatch(/replace=[1-9]/);
    expect(await checkpointsAfter(session.id)).toBeGreaterThan(0);
    expect(existsSync(marker)).toBe(false);
  }, 120_000);

  it("a repository's session (its own clone): neither its .git nor what it borrows can be changed", async () => {
    const repo = join(outside.path, "repo");
    mkdirSync(repo);
    createGitRepo(repo, { "README.md": "# repo\n" });
    const marker = join(outside.path, "clone-marker");
    const { session, out } = await runCommands(h.api, {
      title: "escape clone",
      vars: { MARK: marker },
      commands: attempts,
      repository: repo,
    });
    expect(out).toMatch(/config=[1-9]/);
    expect(out).toMatch(/replace=[1-9]/);
    expect(await checkpointsAfter(session.id)).toBeGreaterThan(0);
    expect(existsSync(marker)).toBe(false);
  }, 120_000);
});
