import { WsServerMessageSchema } from "@industrial/contracts";
import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { inboxFrame, sessionEventFrames } from "./frames";

const status = (to: "completed" | "failed" | "running"): SessionEvent => ({
  sessionId: "0b8e6a52-3f7c-4c55-9d59-0a3c5f6f1b2e",
  seq: 9,
  attempt: 2,
  ts: "2026-01-01T00:00:00.000Z",
  type: "session.status_changed",
  payload: { from: "running", to, reason: "done" },
});

describe("session event frames", () => {
  it("carry the event's seq, ts, and payload with sessionId and attempt; valid against the contract", () => {
    const { frames, bytes } = sessionEventFrames(status("running"));
    expect(frames).toHaveLength(1);
    const f = WsServerMessageSchema.parse(JSON.parse(frames[0]!.data.toString()));
    expect(f).toMatchObject({
      v: 1,
      type: "session.status_changed",
      seq: 9,
      ts: "2026-01-01T00:00:00.000Z",
      payload: { to: "running", attempt: 2 },
    });
    expect(bytes).toBe(frames[0]!.data.length);
  });

  it("add session.completed / session.failed, without a seq, after the status change that ends a run", () => {
    for (const to of ["completed", "failed"] as const) {
      const [, derived] = sessionEventFrames(status(to)).frames.map((x) =>
        WsServerMessageSchema.parse(JSON.parse(x.data.toString())),
      );
      expect(derived).toMatchObject({ type: `session.${to}`, payload: { status: to, atSeq: 9, reason: "done" } });
      expect(derived!.seq).toBeUndefined();
    }
  });

  it("are serialised once per event object", () => {
    const e = status("running");
    expect(sessionEventFrames(e)).toBe(sessionEventFrames(e));
  });

  it("derive the inbox room's frames from the input events, with the request, and nothing from other events", () => {
    const base = { sessionId: status("running").sessionId, attempt: 1, ts: "2026-01-01T00:01:00.000Z" };
    const item = {
      id: "5d7c2f0e-7a51-4c1e-9b3f-2a4d6e8f0a1b",
      openCodeRequestId: "per_1",
      kind: "permission" as const,
      sessionId: base.sessionId,
      sessionTitle: "write x",
      agentId: "a1",
      createdAt: base.ts,
      expiresAt: null,
      permission: { name: "edit", patterns: ["x.txt"], diff: "+x" },
    };
    const parse = (e: SessionEvent) => WsServerMessageSchema.parse(JSON.parse(inboxFrame(e)!.data.toString()));
    const created = parse({ ...base, seq: 4, type: "session.input_requested", payload: item });
    expect(created).toMatchObject({ type: "inbox.request_created", ts: base.ts, payload: { ...item, atSeq: 4 } });
    expect(created.seq).toBeUndefined();
    const actor = { actor: "key:k1", keyId: "k1", userId: null };
    const resolved = parse({
      ...base,
      seq: 6,
      type: "session.input_replied",
      payload: { requestId: item.id, kind: "permission", outcome: "answered", actor, reply: { reply: "once" } },
    });
    expect(resolved).toMatchObject({
      type: "inbox.request_resolved",
      payload: {
        id: item.id,
        sessionId: base.sessionId,
        kind: "permission",
        status: "answered",
        reply: { reply: "once" },
        answeredBy: actor,
        resolvedAt: base.ts,
        atSeq: 6,
      },
    });
    expect(inboxFrame(status("completed"))).toBeNull();
  });
});
