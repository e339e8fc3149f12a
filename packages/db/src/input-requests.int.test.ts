import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  canAnswer,
  ForbiddenError,
  SYSTEM_INPUT_ACTOR,
  type InputReplyBody,
  type Role,
  type Session,
} from "@industrial/core";
import { createTestDatabase, type TestDatabase } from "@industrial/testkit";
import {
  answerInputRequest,
  batchReadPendingInput,
  closeInputRequests,
  findInputRequest,
  forTenant,
  insertInputRequest,
  insertSession,
  listEvents,
  listInbox,
  lockSession,
  markInputRequestDelivered,
  readInputRequests,
  readRepliesToDeliver,
  transitionSession,
  updateSession,
  type Database,
  type NewInputRequest,
} from "./index";
import { newSession, seedTenant, type TenantRows } from "./testing/two-tenants";

// Input requests (docs/input-requests.md §3) on both backends, through the
// tenant wall as requests use it: the lease holder's writes, a person's
// answer, the closes, the inbox page and the session views' pending input.

let t: TestDatabase;
let a: TenantRows;
let b: TenantRows;
let asA: Database;
let serial = 0;

beforeAll(async () => {
  t = await createTestDatabase();
  a = await seedTenant(t.db, "input-a");
  b = await seedTenant(t.db, "input-b");
  asA = forTenant(t.db, a.tenantId);
});
afterAll(async () => t?.drop());

/** A running session of tenant A (attempt 1, the seed's agent), made by `createdBy`. */
async function runningSession(title = "needs a person", createdBy: string | null = "key:k-member"): Promise<Session> {
  return asA.transaction(async (tx) => {
    const { session } = await insertSession(tx, newSession(a.tenantId, { title, createdBy }));
    await updateSession(tx, session, { status: "running", attempt: 1, agentId: a.agentId });
    return lockSession(tx, session.id, { tenantId: a.tenantId });
  });
}

const permission = (over: Partial<NewInputRequest> = {}): NewInputRequest =>
  ({
    attempt: 1,
    agentId: a.agentId,
    kind: "permission",
    openCodeRequestId: `per_${++serial}`,
    openCodeSessionId: "ses_1",
    payload: { name: "edit", patterns: ["src/a.ts"], diff: "+a" },
    expiresAt: null,
    ...over,
  }) as NewInputRequest;
const question = (over: Partial<NewInputRequest> = {}): NewInputRequest =>
  ({
    attempt: 1,
    agentId: a.agentId,
    kind: "question",
    openCodeRequestId: `que_${++serial}`,
    openCodeSessionId: "ses_1",
    payload: {
      questions: [
        {
          question: "Which?",
          header: "Pick",
          options: [
            { label: "x", description: "" },
            { label: "y", description: "" },
          ],
          multiple: false,
          custom: false,
        },
      ],
    },
    expiresAt: null,
    ...over,
  }) as NewInputRequest;

const insert = (s: Session, f: NewInputRequest) => asA.transaction((tx) => insertInputRequest(tx, s, f));
const member = { actor: "key:k-member", keyId: "k-member", userId: null };
const answer = (
  id: string,
  body: InputReplyBody,
  who: { role: Role; keyId: string; userId: null } = { role: "member", keyId: "k-member", userId: null },
) =>
  asA.transaction((tx) =>
    answerInputRequest(tx, a.tenantId, id, {
      body,
      actor: { actor: `key:${who.keyId}`, keyId: who.keyId, userId: who.userId },
      authorize: (s) => {
        if (!canAnswer(who, s.createdBy)) throw new ForbiddenError("not yours");
      },
    }),
  );
const types = async (s: Session) => (await listEvents(asA, a.tenantId, s.id, 0, 100)).map((e) => e.type);

describe(`input requests on ${process.env.ORCHESTRATOR_TEST_DB}`, () => {
  it("records an OpenCode request once, with session.input_requested (the inbox item) under the caller's lock", async () => {
    const s = await runningSession("Fix the parser");
    const expiresAt = new Date(Date.now() + 900_000);
    const f = permission({ expiresAt });
    const first = await asA.transaction(async (tx) => {
      const locked = await lockSession(tx, s.id, { tenantId: a.tenantId });
      const r = await insertInputRequest(tx, locked, f);
      // The caller's Session keeps in step: its next append takes the next seq.
      expect(locked.lastEventSeq).toBe(r.events[0]!.seq);
      return r;
    });
    expect(first.inserted).toBe(true);
    expect(first.request).toMatchObject({
      status: "open",
      kind: "permission",
      attempt: 1,
      agentId: a.agentId,
      sessionId: s.id,
      tenantId: a.tenantId,
      reply: null,
      deliveredAt: null,
    });
    expect(first.request.expiresAt).toBe(expiresAt.toISOString());
    expect(first.events.map((e) => [e.type, e.attempt])).toEqual([["session.input_requested", 1]]);
    expect(first.events[0]!.payload).toEqual({
      id: first.request.id,
      openCodeRequestId: f.openCodeRequestId,
      kind: "permission",
      sessionId: s.id,
      sessionTitle: "Fix the parser",
      agentId: a.agentId,
      createdAt: first.request.createdAt,
      expiresAt: expiresAt.toISOString(),
      permission: { name: "edit", patterns: ["src/a.ts"], diff: "+a" },
    });
    // A re-read after a re-attach: the same row, no second event.
    const again = await insert(s, { ...f, openCodeSessionId: "ses_other" });
    expect(again).toMatchObject({
      inserted: false,
      events: [],
      request: { id: first.request.id, openCodeSessionId: "ses_1" },
    });
    expect(await types(s)).toEqual(["session.created", "session.input_requested"]);
  });

  it("reads a session's requests oldest first, by status and attempt", async () => {
    const s = await runningSession();
    const one = (await insert(s, permission())).request;
    const two = (await insert(s, question({ attempt: 2 }))).request;
    const three = (await insert(s, permission())).request;
    await asA.transaction((tx) => closeInputRequests(tx, s, "cancelled", [three.id]));
    expect((await readInputRequests(asA, s)).map((r) => r.id)).toEqual([one.id, two.id, three.id]);
    expect((await readInputRequests(asA, s, { status: ["open"] })).map((r) => r.id)).toEqual([one.id, two.id]);
    expect((await readInputRequests(asA, s, { attempt: 2 })).map((r) => r.id)).toEqual([two.id]);
    expect((await readInputRequests(asA, s, { status: ["cancelled"], attempt: 1 })).map((r) => r.id)).toEqual([
      three.id,
    ]);
    // Another tenant's session: nothing, whatever the id.
    expect(await readInputRequests(asA, { id: b.sessionId, tenantId: b.tenantId })).toEqual([]);
  });

  it("answers an open request once: the reply, its actor and session.input_replied; then delivery is marked once", async () => {
    const s = await runningSession();
    const p = (await insert(s, permission())).request;
    const q = (await insert(s, question())).request;
    const answered = await answer(p.id, { reply: "once" });
    expect(answered.request).toMatchObject({
      status: "answered",
      reply: { reply: "once" },
      answeredBy: member,
      deliveredAt: null,
    });
    expect(answered.request.resolvedAt).not.toBeNull();
    expect(answered.events.map((e) => e.payload)).toEqual([
      { requestId: p.id, kind: "permission", outcome: "answered", actor: member, reply: { reply: "once" } },
    ]);
    const rejected = await answer(q.id, { reject: true });
    expect(rejected.request).toMatchObject({ status: "rejected", reply: { reject: true } });

    expect((await readRepliesToDeliver(asA, s)).map((r) => r.id)).toEqual([p.id, q.id]);
    expect(await markInputRequestDelivered(asA, s, p.id)).toBe(true);
    expect(await markInputRequestDelivered(asA, s, p.id)).toBe(false);
    expect((await readRepliesToDeliver(asA, s)).map((r) => r.id)).toEqual([q.id]);
    expect(await markInputRequestDelivered(asA, { id: b.sessionId, tenantId: b.tenantId }, q.id)).toBe(false);
    expect(await types(s)).toEqual([
      "session.created",
      "session.input_requested",
      "session.input_requested",
      "session.input_replied",
      "session.input_replied",
    ]);
  });

  it("refuses: 409 with the status when no longer open, 400 naming the field, the caller's refusal, 404 for another tenant's", async () => {
    const s = await runningSession();
    const q = (await insert(s, question())).request;
    await expect(answer(q.id, { answers: [["z"]] })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      details: [{ path: "body.answers.0.0" }],
    });
    await expect(answer(q.id, { reply: "once" })).rejects.toMatchObject({
      code: "INVALID_INPUT",
      details: [{ path: "body.reply" }],
    });
    await expect(
      answer(q.id, { answers: [["x"]] }, { role: "member", keyId: "k-other", userId: null }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Nothing of the refusals was written.
    expect((await readInputRequests(asA, s))[0]).toMatchObject({ status: "open", reply: null });
    await answer(q.id, { answers: [["y"]] }, { role: "lead", keyId: "k-lead", userId: null });
    await expect(answer(q.id, { answers: [["x"]] })).rejects.toMatchObject({
      code: "CONFLICT",
      context: { requestId: q.id, status: "answered", answeredBy: { actor: "key:k-lead" } },
    });
    const foreign = await t.db.query<{ id: string }>("SELECT id FROM input_requests WHERE tenant_id = $1", [
      b.tenantId,
    ]);
    await expect(answer(foreign[0]!.id, { reply: "once" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await findInputRequest(asA, a.tenantId, foreign[0]!.id)).toBeNull();
  });

  it("closes open requests as the system: expired keeps the reject still to send, cancelled is delivered at once; closed ones stay", async () => {
    const s = await runningSession();
    const [p, q, later] = [
      (await insert(s, permission())).request,
      (await insert(s, question())).request,
      (await insert(s, permission())).request,
    ];
    await answer(later.id, { reply: "always" });
    const expired = await asA.transaction((tx) => closeInputRequests(tx, s, "expired", [p.id, q.id, later.id]));
    expect(expired.requests.map((r) => [r.id, r.status, r.answeredBy?.actor, r.deliveredAt])).toEqual([
      [p.id, "expired", "system", null],
      [q.id, "expired", "system", null],
    ]);
    expect(expired.requests[0]!.reply).toMatchObject({
      reply: "reject",
      message: expect.stringContaining("Nobody answered"),
    });
    expect(expired.requests[1]!.reply).toEqual({ reject: true });
    expect(expired.events.map((e) => e.payload)).toEqual(
      expired.requests.map((r) => ({
        requestId: r.id,
        kind: r.kind,
        outcome: "expired",
        actor: SYSTEM_INPUT_ACTOR,
        reply: r.reply,
      })),
    );
    expect((await readInputRequests(asA, s, { status: ["answered"] }))[0]).toMatchObject({
      id: later.id,
      reply: { reply: "always" },
    });
    // The expired rejects wait to be sent with the answer, oldest first.
    expect((await readRepliesToDeliver(asA, s)).map((r) => r.id)).toEqual([p.id, q.id, later.id]);

    const open = (await insert(s, question())).request;
    const cancelled = await asA.transaction((tx) => closeInputRequests(tx, s, "cancelled"));
    expect(cancelled.requests.map((r) => [r.id, r.status, r.reply])).toEqual([[open.id, "cancelled", null]]);
    expect(cancelled.requests[0]!.deliveredAt).not.toBeNull();
    expect(await asA.transaction((tx) => closeInputRequests(tx, s, "cancelled"))).toEqual({ requests: [], events: [] });
    expect(await asA.transaction((tx) => closeInputRequests(tx, s, "expired", []))).toEqual({
      requests: [],
      events: [],
    });
  });

  it("cancels a session's open requests, with their events, when it stops running — not when it degrades", async () => {
    const s = await runningSession();
    const p = (await insert(s, permission())).request;
    await asA.transaction(async (tx) =>
      transitionSession(tx, await lockSession(tx, s.id, { tenantId: a.tenantId }), "degraded", "provider retrying"),
    );
    expect((await readInputRequests(asA, s))[0]!.status).toBe("open");
    await asA.transaction(async (tx) =>
      transitionSession(tx, await lockSession(tx, s.id, { tenantId: a.tenantId }), "running", "recovered"),
    );
    const events = await asA.transaction(async (tx) =>
      transitionSession(tx, await lockSession(tx, s.id, { tenantId: a.tenantId }), "paused", "paused by request"),
    );
    expect(events.map((e) => e.type)).toEqual(["session.status_changed", "session.input_replied"]);
    expect(events[1]!.payload).toEqual({
      requestId: p.id,
      kind: "permission",
      outcome: "cancelled",
      actor: SYSTEM_INPUT_ACTOR,
      reply: null,
    });
    expect(events.map((e) => e.seq)).toEqual([events[0]!.seq, events[0]!.seq + 1]);
    expect((await readInputRequests(asA, s))[0]).toMatchObject({ status: "cancelled" });
    // The pending input of the view follows.
    expect((await batchReadPendingInput(asA, a.tenantId, [s.id])).get(s.id)).toEqual([]);
  });

  it("pages the tenant's inbox oldest first with its total, by session, agent and kind, with each session's title", async () => {
    const s1 = await runningSession("first session");
    const s2 = await runningSession("second session");
    const made = [
      (await insert(s1, permission())).request,
      (await insert(s2, question())).request,
      (await insert(s1, question())).request,
      (await insert(s2, permission())).request,
    ];
    await answer(made[3]!.id, { reply: "reject", message: "no" });
    const mine = made.slice(0, 3).map((r) => r.id);
    const all = await listInbox(asA, { tenantId: a.tenantId, agentId: a.agentId }, { limit: 200 });
    // Every open request of the tenant (earlier tests' and the seed's too), none of B's, oldest first.
    expect(all.items.slice(-3).map((i) => i.id)).toEqual(mine);
    expect(all.total).toBe(all.items.length);
    expect(all.items.every((i) => i.sessionTitle.length > 0 && i.agentId === a.agentId)).toBe(true);
    const times = all.items.map((i) => i.createdAt);
    expect([...times].sort()).toEqual(times);

    const bySession = await listInbox(asA, { tenantId: a.tenantId, sessionId: s1.id }, { limit: 1 });
    expect(bySession).toMatchObject({
      total: 2,
      items: [{ id: made[0]!.id, sessionTitle: "first session", kind: "permission", permission: { name: "edit" } }],
    });
    const next = await listInbox(
      asA,
      { tenantId: a.tenantId, sessionId: s1.id },
      { limit: 1, cursor: bySession.nextCursor! },
    );
    expect(next).toMatchObject({
      total: 2,
      nextCursor: null,
      items: [{ id: made[2]!.id, kind: "question", questions: [{ header: "Pick" }] }],
    });
    const questions = await listInbox(asA, { tenantId: a.tenantId, sessionId: s2.id, kind: "question" }, { limit: 10 });
    expect(questions.items.map((i) => i.id)).toEqual([made[1]!.id]);
    expect(await listInbox(asA, { tenantId: a.tenantId, agentId: b.agentId }, { limit: 10 })).toEqual({
      items: [],
      total: 0,
      nextCursor: null,
    });
    // B's inbox, even asked for through A's wall with B's id, shows nothing.
    expect((await listInbox(asA, { tenantId: b.tenantId }, { limit: 10 })).total).toBe(0);
    expect(
      (await listInbox(forTenant(t.db, b.tenantId), { tenantId: b.tenantId }, { limit: 10 })).items.map(
        (i) => i.sessionId,
      ),
    ).toEqual([b.sessionId]);

    const pending = await batchReadPendingInput(asA, a.tenantId, [s1.id, s2.id, b.sessionId]);
    expect(pending.get(s1.id)!.map((i) => i.id)).toEqual([made[0]!.id, made[2]!.id]);
    expect(pending.get(s2.id)!.map((i) => i.id)).toEqual([made[1]!.id]);
    expect(pending.get(b.sessionId)).toEqual([]);
  });
});
