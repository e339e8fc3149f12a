import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyTokenTotals } from "@industrial/core";
import { createTestDatabase, type TestDatabase } from "@industrial/testkit";
import {
  appendCheckpoint,
  bypassTenantWall,
  checkpointPushHistory,
  insertSession,
  listCheckpoints,
  listUnpushedCheckpoints,
  markCheckpointsPushed,
  insertTenant,
} from "./index";
import { newSession, newTenant } from "./testing/two-tenants";

// What the work remote's bookkeeping asks of storage (docs/work-remote.md), on both backends: the
// pushes recorded, the branch's expected commit, and the start-up sweep of what was never pushed.
// The git side runs once, in apps/server's work-remote.int.test.ts.
const TENANT = "00000000-0000-4000-8000-000000000000";
let t: TestDatabase;
let OTHER: string;

async function sessionWithCheckpoints(commits: (string | null)[], tenantId = TENANT) {
  const { session } = await t.db.transaction((tx) =>
    insertSession(
      tx,
      newSession(tenantId, {
        workspace: {
          repository: null,
          baseRef: "HEAD",
          baseCommit: null,
          branch: null,
          path: "/somewhere",
          directory: null,
        },
      }),
    ),
  );
  for (const [i, gitCommit] of commits.entries())
    await t.db.transaction((tx) =>
      appendCheckpoint(tx, session, {
        attempt: 1,
        trigger: "step",
        openCodeMessageId: `msg_${i}`,
        gitCommit,
        diffStat: { files: 0, additions: 0, deletions: 0 },
        tokens: emptyTokenTotals(),
        costUsd: 0,
      }),
    );
  return session;
}

beforeAll(async () => {
  t = await createTestDatabase();
  OTHER = (await insertTenant(t.db, newTenant("other-pushes", { name: "other" }))).id;
});
afterAll(async () => t?.drop());

describe(`checkpoint pushes on ${process.env.ORCHESTRATOR_TEST_DB}`, () => {
  it("records a push once: the first remote and time are kept, and only the tenant's own session is marked", async () => {
    const s = await sessionWithCheckpoints(["c1", "c2", "c3"]);
    const first = new Date("2026-01-01T00:00:00Z");
    expect(
      await markCheckpointsPushed(t.db, TENANT, s.id, { seqs: [1, 2], remote: "git://a/work.git", at: first }),
    ).toBe(2);
    expect(
      await markCheckpointsPushed(t.db, TENANT, s.id, { seqs: [2, 3], remote: "git://b/work.git", at: new Date() }),
    ).toBe(1);
    expect(
      await markCheckpointsPushed(t.db, OTHER, s.id, { seqs: [1, 2, 3], remote: "git://c/work.git", at: new Date() }),
    ).toBe(0);
    expect(
      await markCheckpointsPushed(t.db, TENANT, s.id, { seqs: [], remote: "git://c/work.git", at: new Date() }),
    ).toBe(0);
    const cps = await listCheckpoints(t.db, TENANT, s.id);
    expect(cps.map((c) => c.pushed?.remote ?? null)).toEqual([
      "git://a/work.git",
      "git://a/work.git",
      "git://b/work.git",
    ]);
    expect(cps[0]!.pushed?.at).toBe(first.toISOString());
  });

  it("gives the branch's expected commit: the last checkpoint whose push was recorded, commits in seq order", async () => {
    const s = await sessionWithCheckpoints(["a", null, "b", "c"]);
    expect(await checkpointPushHistory(t.db, TENANT, s.id)).toEqual({
      commits: ["a", "b", "c"],
      lastPushedCommit: null,
    });
    await markCheckpointsPushed(t.db, TENANT, s.id, { seqs: [3], remote: "r", at: new Date() });
    expect(await checkpointPushHistory(t.db, TENANT, s.id)).toEqual({
      commits: ["a", "b", "c"],
      lastPushedCommit: "b",
    });
    expect(await checkpointPushHistory(t.db, OTHER, s.id)).toEqual({ commits: [], lastPushedCommit: null });
  });

  it("sweeps what was never pushed, of every tenant, oldest first, without commitless or deleted sessions' checkpoints", async () => {
    const mine = await sessionWithCheckpoints(["m1", null, "m2"]);
    const theirs = await sessionWithCheckpoints(["o1"], OTHER);
    const deleted = await sessionWithCheckpoints(["d1"]);
    await t.db.query("UPDATE sessions SET deleted_at = now() WHERE id = $1", [deleted.id]);
    await markCheckpointsPushed(t.db, TENANT, mine.id, { seqs: [1], remote: "r", at: new Date() });
    const swept = (
      await listUnpushedCheckpoints(bypassTenantWall(t.db, "the work remote's start-up sweep spans tenants"), 1000)
    ).filter((c) => [mine.id, theirs.id, deleted.id].includes(c.sessionId));
    expect(swept.map((c) => [c.sessionId, c.seq, c.gitCommit, c.tenantId])).toEqual([
      [mine.id, 3, "m2", TENANT],
      [theirs.id, 1, "o1", OTHER],
    ]);
    expect(swept[0]!.workspace.path).toBe("/somewhere");
  });
});
