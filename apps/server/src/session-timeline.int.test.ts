import { SessionTimelineSchema, type SessionTimeline } from "@industrial/contracts";
import { emptyTokenTotals, type SessionStatus } from "@industrial/core";
import { appendCheckpoint, lockSession, updateSession } from "@industrial/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { expectError, sendJson } from "./testing/http";
import { asOperator, uniqueName } from "./testing/principals";

// Sessions are made through the API (never started: the scheduler is off), then finished and
// checkpointed with the db functions at chosen times, so every bucket's expected figure is known.
let h: TestOrchestrator;
let other: string;
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_SCHEDULER: "off" } });
  other = (
    await asOperator<{ id: string }>(h.orc.url, "createTenant", {
      body: { name: uniqueName("timeline-b"), maxConcurrentSessions: 10 },
    })
  ).id;
});
afterAll(async () => h?.close());

const DAY = "2026-02-03";
const t = (hhmm: string) => new Date(`${DAY}T${hhmm}:00Z`);

async function newSession(tenantId?: string): Promise<{ id: string; tenantId: string }> {
  const s = await asOperator<{ id: string; tenantId: string }>(
    h.orc.url,
    "createSession",
    { body: { title: "timeline", prompt: "never runs", start: false } },
    tenantId,
  );
  return { id: s.id, tenantId: s.tenantId };
}

async function finish(s: { id: string; tenantId: string }, status: SessionStatus, at: Date) {
  await updateSession(h.orc.db, s, { status, finishedAt: at });
}

/** A checkpoint recording the session's totals so far (input tokens and cost) at `at`. */
async function checkpoint(s: { id: string; tenantId: string }, at: Date, input: number, costUsd: number) {
  await h.orc.db.transaction(async (tx) => {
    const locked = await lockSession(tx, s.id, { tenantId: s.tenantId });
    await appendCheckpoint(tx, locked, {
      attempt: 1,
      trigger: "step",
      openCodeMessageId: null,
      gitCommit: null,
      diffStat: { files: 0, additions: 0, deletions: 0 },
      tokens: { ...emptyTokenTotals(), input, output: input / 10 },
      costUsd,
      createdAt: at.toISOString(),
    });
  });
}

async function timeline(query: Record<string, string>, tenantId?: string): Promise<SessionTimeline> {
  return SessionTimelineSchema.parse(await asOperator(h.orc.url, "sessionTimeline", { query }, tenantId));
}

const hours = { from: `${DAY}T00:00:00Z`, to: `${DAY}T04:00:00Z`, bucket: "1h" };

describe(`GET /sessions/stats/timeline (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  beforeAll(async () => {
    // The default tenant: finished sessions of every kind in hours 0, 1 and 3; hour 2 stays empty.
    const statuses: [SessionStatus, string][] = [
      ["completed", "00:10"],
      ["completed", "00:59"],
      ["partially_completed", "00:30"],
      ["failed", "01:00"],
      ["timeout", "01:15"],
      ["stopped", "03:00"],
      ["cancelled", "03:59"],
      // Outside the range: before it and at its end (to is exclusive).
      ["failed", "04:00"],
    ];
    for (const [status, at] of statuses) await finish(await newSession(), status, t(at));
    const before = await newSession();
    await finish(before, "completed", new Date("2026-02-02T23:00:00Z"));
    // A deleted session is left out, as the stats leave it out.
    const deleted = await newSession();
    await finish(deleted, "completed", t("00:20"));
    await updateSession(h.orc.db, deleted, { deletedAt: new Date() });

    // Spend: session A wrote its first checkpoint before the range; only the growth after it counts.
    const a = await newSession();
    await checkpoint(a, new Date("2026-02-02T23:00:00Z"), 1000, 1);
    await checkpoint(a, t("00:30"), 1500, 1.5);
    await checkpoint(a, t("01:30"), 1700, 1.75);
    // Session B: its first checkpoint counts from zero; its last is after the range.
    const b = await newSession();
    await checkpoint(b, t("01:45"), 200, 0.25);
    await checkpoint(b, t("03:10"), 600, 0.5);
    await checkpoint(b, t("04:00"), 900, 1);

    // The other tenant: a finish and spend in the same hours, which the default tenant must not see.
    const foreign = await newSession(other);
    await finish(foreign, "failed", t("02:30"));
    await checkpoint(foreign, t("02:40"), 5000, 5);
  });

  it("has every bucket of the range, zeros included, with finished sessions counted by status in the hour they ended", async () => {
    const { buckets } = await timeline(hours);
    expect(buckets.map((b) => b.start)).toEqual([0, 1, 2, 3].map((i) => `${DAY}T0${i}:00:00.000Z`));
    expect(buckets[0]!.finished).toEqual({
      completed: 2,
      partiallyCompleted: 1,
      failed: 0,
      timeout: 0,
      stopped: 0,
      cancelled: 0,
      orphaned: 0,
    });
    expect(buckets[1]!.finished).toEqual({
      completed: 0,
      partiallyCompleted: 0,
      failed: 1,
      timeout: 1,
      stopped: 0,
      cancelled: 0,
      orphaned: 0,
    });
    expect(buckets[2]!.finished).toEqual({
      completed: 0,
      partiallyCompleted: 0,
      failed: 0,
      timeout: 0,
      stopped: 0,
      cancelled: 0,
      orphaned: 0,
    });
    expect(buckets[3]!.finished).toEqual({
      completed: 0,
      partiallyCompleted: 0,
      failed: 0,
      timeout: 0,
      stopped: 1,
      cancelled: 1,
      orphaned: 0,
    });
  });

  it("counts tokens and cost spent in each bucket: the deltas between consecutive checkpoints, the first from zero", async () => {
    const { buckets } = await timeline(hours);
    expect(buckets.map((b) => b.tokens.input)).toEqual([500, 200 + 200, 0, 400]);
    expect(buckets.map((b) => b.tokens.output)).toEqual([50, 40, 0, 40]);
    expect(buckets.map((b) => b.costUsd)).toEqual([0.5, 0.25 + 0.25, 0, 0.25]);
    // Five-minute buckets over the same hours: 48 of them, the spend where each checkpoint was written.
    const fine = await timeline({ ...hours, bucket: "5m" });
    expect(fine.buckets).toHaveLength(48);
    expect(fine.buckets.filter((b) => b.tokens.input > 0).map((b) => [b.start.slice(11, 16), b.tokens.input])).toEqual([
      ["00:30", 500],
      ["01:30", 200],
      ["01:45", 200],
      ["03:10", 400],
    ]);
    // One day bucket holds it all, the checkpoint at 04:00 included.
    const day = await timeline({ from: `${DAY}T00:00:00Z`, to: "2026-02-04T00:00:00Z", bucket: "1d" });
    expect(day.buckets).toHaveLength(1);
    // A: 500 + 200 (its first checkpoint was the day before); B: 200 + 400 + 300.
    expect(day.buckets[0]!.tokens.input).toBe(700 + 900);
  });

  it("is the caller's tenant only", async () => {
    const mine = await timeline(hours);
    expect(mine.buckets[2]!.finished.failed).toBe(0);
    expect(mine.buckets[2]!.tokens.input).toBe(0);
    const theirs = await timeline(hours, other);
    expect(theirs.buckets.map((b) => b.finished.failed)).toEqual([0, 0, 1, 0]);
    expect(theirs.buckets.map((b) => b.tokens.input)).toEqual([0, 0, 5000, 0]);
    expect(theirs.buckets.map((b) => b.costUsd)).toEqual([0, 0, 5, 0]);
  });

  it("does not clash with /sessions/stats or /sessions/:id", async () => {
    const s = await newSession();
    expect((await h.api.call("getSession", { params: { id: s.id } })).id).toBe(s.id);
    expect((await h.api.call("sessionStats")).total).toBeGreaterThan(0);
    await expectError(sendJson(h.orc.url, "GET", "/sessions/stats/timeline/x"), 404, "NOT_FOUND");
  });

  it("refuses a bad range with a 400 naming the field", async () => {
    const q = (query: Record<string, string>) =>
      sendJson(h.orc.url, "GET", `/sessions/stats/timeline?${new URLSearchParams(query).toString()}`);
    await expectError(q({ ...hours, to: hours.from }), 400, "INVALID_INPUT", "query.to");
    await expectError(q({ ...hours, from: hours.to, to: hours.from }), 400, "INVALID_INPUT", "query.to");
    // 10 days of 5-minute buckets is 2,880: over the limit of 2,000. The same days in hours are fine.
    const tenDays = { from: "2026-02-01T00:00:00Z", to: "2026-02-11T00:00:00Z" };
    const big = await expectError(q({ ...tenDays, bucket: "5m" }), 400, "INVALID_INPUT", "query.to");
    expect(big.details?.find((d) => d.path === "query.to")?.reason).toContain("2880 buckets");
    expect((await timeline({ ...tenDays, bucket: "1h" })).buckets).toHaveLength(240);
    await expectError(q({ ...hours, bucket: "2h" }), 400, "INVALID_INPUT", "query.bucket");
    await expectError(q({ to: hours.to, bucket: "1h" }), 400, "INVALID_INPUT", "query.from");
    await expectError(q({ ...hours, from: "yesterday" }), 400, "INVALID_INPUT", "query.from");
    await expectError(q({ ...hours, colour: "red" }), 400, "INVALID_INPUT", "query.colour");
  });
});
