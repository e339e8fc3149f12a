import { existsSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_TENANT_ID } from "@industrial/core";
import { tempDir } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestGitRepo } from "./testing/git-fixture";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { runCommands } from "./testing/session-commands";

// ORCHESTRATOR_SHARED_WORKSPACES (docs/workspaces.md, "Shared workspaces"):
// a tenant's session folders on a volume apart from the data dir, clones that
// borrow nothing, and the same sandbox around every command.
let h: TestOrchestrator;
const shared = tempDir("orch-shared-ws-");
const repo = createTestGitRepo({ "README.md": "# shared\n" });
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_SHARED_WORKSPACES: shared.path } });
});
afterAll(async () => {
  await h?.close();
  shared.remove();
  repo.remove();
});

describe("shared workspaces", () => {
  it("a session's clone is in its tenant's folder, holds its own objects, and its shell sees it alone; its checkpoints and diff work as anywhere", async () => {
    const tenantDir = join(shared.path, DEFAULT_TENANT_ID);
    const first = await runCommands(h.api, {
      title: "first in the shared folder",
      commands: "echo the-first-sessions-work > work.txt; echo written",
      repository: repo.path,
    });
    expect(first.ws.startsWith(join(tenantDir, "worktrees") + "/")).toBe(true);
    expect(existsSync(join(first.ws, ".git", "objects", "info", "alternates"))).toBe(false);

    const second = await runCommands(h.api, {
      title: "second in the shared folder",
      commands: [
        `cat "$OTHER/work.txt"; echo "read-other=$?"`,
        `ls "$SHARED/$TENANT/worktrees" | grep -c . ; echo "list-shared=$?"`,
        `git log --format=%s | tail -1`,
        `git status --short; echo "git=$?"`,
        `echo mine > own.txt && cat own.txt`,
      ].join("; "),
      vars: { OTHER: first.ws, SHARED: shared.path, TENANT: DEFAULT_TENANT_ID },
      repository: repo.path,
    });
    expect(second.out).not.toContain("the-first-sessions-work");
    expect(second.out).toMatch(/read-other=1/);
    // The shared folder is hidden like the data dir: of the tenant's clones, the session's own alone is bound.
    expect(second.out).toMatch(/^1\nlist-shared=0$/m);
    expect(second.out).toContain("initial");
    expect(second.out).toMatch(/git=0/);

    const diff = await h.api.call("sessionDiff", { params: { id: second.session.id } });
    expect(diff.files.map((f) => f.path)).toEqual(expect.arrayContaining(["own.txt"]));
    const checkpoints = await h.api.call("listCheckpoints", { params: { id: second.session.id } });
    expect(checkpoints.items.length).toBeGreaterThan(0);
  }, 180_000);
});
