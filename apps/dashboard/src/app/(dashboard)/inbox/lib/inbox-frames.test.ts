import type { WsServerMessage } from "@industrial/contracts";
import type { InboxItem } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { applyInboxFrame, type InboxPage } from "./inbox-frames";

const item = (id: string, kind: "permission" | "question" = "permission"): InboxItem => ({
  id,
  openCodeRequestId: `per_${id}`,
  kind,
  sessionId: "s1",
  sessionTitle: "t",
  agentId: "a1",
  createdAt: "2026-01-01T00:00:00.000Z",
  expiresAt: null,
  permission: { name: "edit", patterns: ["x"] },
});
const created = (i: InboxItem): WsServerMessage => ({
  v: 1,
  type: "inbox.request_created",
  ts: i.createdAt,
  payload: { ...i, atSeq: 3 },
});
const resolved = (id: string): WsServerMessage => ({
  v: 1,
  type: "inbox.request_resolved",
  ts: "2026-01-01T00:01:00.000Z",
  payload: {
    id,
    sessionId: "s1",
    kind: "permission",
    status: "answered",
    reply: { reply: "once" },
    answeredBy: { actor: "key:k", keyId: "k", userId: null },
    resolvedAt: "2026-01-01T00:01:00.000Z",
    atSeq: 4,
  },
});
const page = (items: InboxItem[], nextCursor: string | null = null): InboxPage => ({
  items,
  nextCursor,
  total: items.length,
});

describe("inbox frames on a cached page", () => {
  it("a new request joins the end, once; an answered one leaves", () => {
    const p = applyInboxFrame(page([item("a")]), created(item("b")), {});
    expect(p.items.map((i) => i.id)).toEqual(["a", "b"]);
    expect(p.total).toBe(2);
    expect(applyInboxFrame(p, created(item("b")), {})).toBe(p);
    const q = applyInboxFrame(p, resolved("a"), {});
    expect(q.items.map((i) => i.id)).toEqual(["b"]);
    expect(q.total).toBe(1);
    expect(applyInboxFrame(q, resolved("zz"), {})).toBe(q);
  });

  it("keeps out what the filter does not show, and only counts what lies past the page", () => {
    expect(applyInboxFrame(page([]), created(item("q", "question")), { kind: "permission" }).items).toEqual([]);
    expect(applyInboxFrame(page([]), created(item("a")), { sessionId: "other" }).total).toBe(0);
    const more = applyInboxFrame(page([item("a")], "cursor"), created(item("b")), {});
    expect(more.items.map((i) => i.id)).toEqual(["a"]);
    expect(more.total).toBe(2);
  });
});
