import { WsServerMessageSchema } from "@industrial/contracts";
import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { sessionEventFrames } from "./frames";

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
    expect(f).toMatchObject({ v: 1, type: "session.status_changed", seq: 9, ts: "2026-01-01T00:00:00.000Z", payload: { to: "running", attempt: 2 } });
    expect(bytes).toBe(frames[0]!.data.length);
  });

  it("add session.completed / session.failed, without a seq, after the status change that ends a run", () => {
    for (const to of ["completed", "failed"] as const) {
      const [, derived] = sessionEventFrames(status(to)).frames.map((x) => WsServerMessageSchema.parse(JSON.parse(x.data.toString())));
      expect(derived).toMatchObject({ type: `session.${to}`, payload: { status: to, atSeq: 9, reason: "done" } });
      expect(derived!.seq).toBeUndefined();
    }
  });

  it("are serialised once per event object", () => {
    const e = status("running");
    expect(sessionEventFrames(e)).toBe(sessionEventFrames(e));
  });
});
