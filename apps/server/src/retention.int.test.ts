import { TenantSchema } from "@industrial/contracts";
import { parsePrometheusText, promValue, tempDir, waitFor } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TENANT_ID } from "./main";
import { createTestGitRepo } from "./testing/git-fixture";
import { scripted, startTestOrchestrator, waitForStatus, type TestOrchestrator } from "./testing/harness";
import { expectError, sendJson } from "./testing/http";
import { asOperator } from "./testing/principals";
import { TestWsClient } from "./testing/ws-client";

// Rounds run when the test says so (no background loop), and OpenCode sessions have a grace of an hour.
let h: TestOrchestrator;
let repo: ReturnType<typeof createTestGitRepo>;
let scratch: ReturnType<typeof tempDir>;
beforeAll(async () => {
  h = await startTestOrchestrator({
    env: {
      ORCHESTRATOR_RETENTION_INTERVAL_MS: "0",
      ORCHESTRATOR_DISK_USAGE_INTERVAL_MS: "0",
      ORCHESTRATOR_OPENCODE_SESSION_GRACE_HOURS: "1",
    },
  });
  repo = createTestGitRepo({ "README.md": "retention\n" });
  scratch = tempDir("orch-retention-");
});
afterAll(async () => {
  await h?.close();
  repo?.remove();
  scratch?.remove();
});

const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => h.orc.db.query<T>(text, params);
const count = async (text: string, params: unknown[] = []) =>
  Number((await sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${text}`, params))[0]!.n);
const seqsOf = async (id: string) =>
  (await sql<{ seq: number }>("SELECT seq FROM session_events WHERE session_id = $1 ORDER BY seq", [id])).map(
    (r) => r.seq,
  );
const openCodeSessionOf = async (id: string) =>
  (
    await sql<{ oc: string }>(
      "SELECT opencode_session_id AS oc FROM attempts WHERE session_id = $1 ORDER BY number DESC LIMIT 1",
      [id],
    )
  )[0]!.oc;

/** The OpenCode sessions the managed runner lists for a directory (its own API, `GET /session`). */
async function openCodeSessions(directory: string): Promise<string[]> {
  const url = h.orc.runners.managedProcesses().find((p) => p.state === "running")!.url!;
  const res = await fetch(`${url}/session?directory=${encodeURIComponent(directory)}`, {
    headers: h.orc.runners.headersFor(url),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: string }[]).map((s) => s.id);
}

const session = (title: string, steps: unknown[], where: { repository?: string; directory?: string }) =>
  h.api.call("createSession", { body: { title, prompt: scripted(title, steps), ...where, retry: { maxAttempts: 1 } } });

describe(`retention (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("keeps a tenant's events and audit entries for retentionDays: a lead sets it, null keeps forever, 0 is refused", async () => {
    const created = TenantSchema.parse(
      (await sendJson(h.orc.url, "POST", "/tenants", { name: "keeps forever", retentionDays: null })).json,
    );
    expect(created.retentionDays).toBeNull();
    const plain = await h.api.call("createTenant", { body: { name: "plain retention" } });
    expect(plain.retentionDays).toBe(90);
    await expectError(
      sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, { retentionDays: 0 }),
      400,
      "INVALID_INPUT",
      "body.retentionDays",
    );
    await expectError(
      sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, { retentionDays: 36_501 }),
      400,
      "INVALID_INPUT",
      "body.retentionDays",
    );
    const key = async (role: "lead" | "member") =>
      (
        await asOperator<{ key: string }>(h.orc.url, "createApiKey", {
          body: { name: `retention-${role}`, role, tenantId: DEFAULT_TENANT_ID },
        })
      ).key;
    await expectError(
      sendJson(h.orc.url, "PATCH", `/tenants/${DEFAULT_TENANT_ID}`, { retentionDays: 1 }, await key("member")),
      403,
      "FORBIDDEN",
    );
    const patched = await sendJson(
      h.orc.url,
      "PATCH",
      `/tenants/${DEFAULT_TENANT_ID}`,
      { retentionDays: 1 },
      await key("lead"),
    );
    expect(TenantSchema.parse(patched.json).retentionDays).toBe(1);
  });

  it("deletes events and audit entries past the retention, keeps sessions, checkpoints and recent rows; a replay of a pruned log starts at its first seq and says so; ended OpenCode sessions leave the runner, a paused one stays; the disk is measured", async () => {
    const old = await session(
      "old work",
      [{ tool: "write", input: { filePath: "old.txt", content: "old\n" } }, { text: "wrote old" }],
      { repository: repo.path },
    );
    const recent = await session("recent work", [{ text: "nothing to do" }], { directory: scratch.path });
    const paused = await session(
      "paused work",
      [{ tool: "write", input: { filePath: "p.txt", content: "p\n" } }, { sleep_ms: 60_000 }, { text: "late" }],
      { directory: scratch.path },
    );
    expect((await waitForStatus(h.api, old.id, ["completed", "failed"], 60_000)).status).toBe("completed");
    expect((await waitForStatus(h.api, recent.id, ["completed", "failed"], 60_000)).status).toBe("completed");
    await waitForStatus(h.api, paused.id, ["running"], 60_000);
    await h.api.call("pauseSession", { params: { id: paused.id } });
    await waitForStatus(h.api, paused.id, ["paused"], 30_000);

    // A session of a tenant that keeps everything, and one audit entry of it.
    const forever = (await sql<{ id: string }>("SELECT id FROM tenants WHERE slug = 'keeps-forever'"))[0]!.id;
    const keptId = (
      await asOperator<{ id: string }>(h.orc.url, "createSession", { body: { prompt: "held", start: false } }, forever)
    ).id;

    // Age everything but the old session's last two events, every audit entry so far, and the old attempt's end.
    const oldSeqs = await seqsOf(old.id);
    const oldCut = oldSeqs.at(-3)!;
    await sql("UPDATE session_events SET created_at = now() - interval '2 days' WHERE session_id = $1 AND seq <= $2", [
      old.id,
      oldCut,
    ]);
    await sql("UPDATE session_events SET created_at = now() - interval '2 days' WHERE session_id = $1", [keptId]);
    await sql("UPDATE audit_log SET at = now() - interval '2 days'");
    await sql("UPDATE attempts SET finished_at = now() - interval '2 hours' WHERE session_id = $1", [old.id]);
    const oldAudit = await count("audit_log WHERE tenant_id = $1", [DEFAULT_TENANT_ID]);
    const foreverAudit = await count("audit_log WHERE tenant_id = $1", [forever]);
    expect(oldAudit).toBeGreaterThan(0);
    expect(foreverAudit).toBeGreaterThan(0);
    await h.api.call("patchSession", { params: { id: recent.id }, body: { tags: ["audited-now"] } });

    const checkpointsBefore = await h.api.call("listCheckpoints", { params: { id: old.id } });
    expect(checkpointsBefore.items.length).toBeGreaterThan(0);
    const oldOc = await openCodeSessionOf(old.id);
    const recentOc = await openCodeSessionOf(recent.id);
    const pausedOc = await openCodeSessionOf(paused.id);
    // The old session worked in its own worktree (of `repo`, under the data dir).
    const worktree = (await h.api.call("getSession", { params: { id: old.id } })).workspace.path!;
    expect(await openCodeSessions(worktree)).toContain(oldOc);

    const report = await h.orc.housekeeping.retention.runRound();
    expect(report).toMatchObject({ events: oldCut, audit: oldAudit, openCodeSessions: 1, busy: false, backlog: false });

    // Events: the old prefix is gone, the tail and every other session's log stay; the session and its checkpoints stay.
    expect(await seqsOf(old.id)).toEqual(oldSeqs.slice(-2));
    expect((await seqsOf(recent.id))[0]).toBe(1);
    expect((await seqsOf(paused.id))[0]).toBe(1);
    expect(await seqsOf(keptId)).toEqual([1]);
    const view = await h.api.call("getSession", { params: { id: old.id } });
    expect(view).toMatchObject({ status: "completed", lastEventSeq: oldSeqs.at(-1) });
    expect(await h.api.call("listCheckpoints", { params: { id: old.id } })).toEqual(checkpointsBefore);
    expect((await h.api.call("verifyCheckpoints", { params: { id: old.id } })).intact).toBe(true);

    // Audit: the aged entries of the default tenant are gone, the new one and the other tenant's stay.
    expect(await count("audit_log WHERE tenant_id = $1 AND at < now() - interval '1 day'", [DEFAULT_TENANT_ID])).toBe(
      0,
    );
    expect(await count("audit_log WHERE tenant_id = $1 AND action = 'patchSession'", [DEFAULT_TENANT_ID])).toBe(1);
    expect(await count("audit_log WHERE tenant_id = $1", [forever])).toBe(foreverAudit);

    // Replay: the page and the socket start at the first seq kept, and say so.
    const page = await h.api.call("sessionEvents", { params: { id: old.id }, query: { after: 0, limit: 100 } });
    expect(page.firstSeq).toBe(oldCut + 1);
    expect(page.items.map((e) => e.seq)).toEqual(oldSeqs.slice(-2));
    expect(
      (await h.api.call("sessionEvents", { params: { id: recent.id }, query: { after: 0, limit: 1 } })).firstSeq,
    ).toBe(1);
    const gapsBefore = h.orc.ws.counters.gapReads;
    const ws = await TestWsClient.connect(`${h.orc.url}/ws/sessions/${old.id}?after=0`);
    const replayed = await ws.waitFor("replayed");
    expect(replayed.payload).toEqual({
      room: `session:${old.id}`,
      afterSeq: 0,
      lastSeq: oldSeqs.at(-1),
      firstSeq: oldCut + 1,
    });
    expect(ws.seqs()).toEqual(oldSeqs.slice(-2));
    const unpruned = await TestWsClient.connect(`${h.orc.url}/ws/sessions/${recent.id}?after=0`);
    expect((await unpruned.waitFor("replayed")).payload.firstSeq).toBeUndefined();
    expect(unpruned.seqs()[0]).toBe(1);
    await Promise.all([ws.close(), unpruned.close()]);
    expect(h.orc.ws.counters.gapReads).toBe(gapsBefore);

    // OpenCode: the ended attempt's session left the runner's store; the recent one (inside the grace) and the paused one stayed.
    expect(await openCodeSessions(worktree)).not.toContain(oldOc);
    expect(await openCodeSessions(scratch.path)).toEqual(expect.arrayContaining([recentOc, pausedOc]));
    expect(await count("attempts WHERE session_id = $1 AND opencode_pruned_at IS NOT NULL", [old.id])).toBe(1);
    // Aged past the grace, the paused session's is still kept (a resume continues it); a second round removes nothing more.
    await sql("UPDATE attempts SET finished_at = now() - interval '2 hours' WHERE session_id = $1", [paused.id]);
    expect(await h.orc.housekeeping.retention.runRound()).toMatchObject({ events: 0, audit: 0, openCodeSessions: 0 });
    expect(await openCodeSessions(scratch.path)).toContain(pausedOc);

    // Disk: measured by the background walk (here on demand), exported per part.
    const sizes = await h.orc.housekeeping.diskUsage.measure();
    expect(sizes.worktrees).toBeGreaterThan(0);
    expect(sizes.opencode).toBeGreaterThan(0);
    expect(sizes.database).toBeGreaterThan(0);
    const samples = parsePrometheusText(await (await fetch(`${h.orc.url}/metrics`)).text());
    for (const part of ["worktrees", "opencode", "database"])
      expect(promValue(samples, "orchestrator_disk_bytes", { part }), part).toBeGreaterThan(0);
    expect(promValue(samples, "orchestrator_retention_deleted_total", { kind: "events" })).toBe(oldCut);
    expect(promValue(samples, "orchestrator_retention_deleted_total", { kind: "opencode_sessions" })).toBe(1);

    await h.api.call("stopSession", { params: { id: paused.id } });
  });
});

describe(`the background loops (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("run on their own every interval: retention rounds are counted, the data dir is measured", async () => {
    const own = await startTestOrchestrator({
      env: { ORCHESTRATOR_RETENTION_INTERVAL_MS: "1000", ORCHESTRATOR_DISK_USAGE_INTERVAL_MS: "1000" },
    });
    try {
      const samples = await waitFor(
        async () => {
          const s = parsePrometheusText(await (await fetch(`${own.orc.url}/metrics`)).text());
          const counted = s.some((x) => x.name === "orchestrator_retention_deleted_total" && x.labels.kind === "audit");
          return counted && promValue(s, "orchestrator_disk_bytes", { part: "database" }) > 0 ? s : null;
        },
        "a retention round and a disk measurement",
        { timeoutMs: 20_000, intervalMs: 250 },
      );
      for (const part of ["worktrees", "workspaces", "opencode", "database", "work_remote", "mirrors", "other"])
        expect(
          samples.some((x) => x.name === "orchestrator_disk_bytes" && x.labels.part === part),
          part,
        ).toBe(true);
    } finally {
      await own.close();
    }
  });
});
