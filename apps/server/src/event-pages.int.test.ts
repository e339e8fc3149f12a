import { appendGeneratedLogEvents } from "@industrial/db";
import { bearer } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TENANT_ID } from "./main";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";

let h: TestOrchestrator;
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_SCHEDULER: "off" } });
});
afterAll(async () => {
  await h?.close();
});

describe("GET /sessions/{id}/events from the end (order=desc, before=)", () => {
  it("reads a long log's tail first, then earlier pages, each seq once, down to the first", async () => {
    const s = await h.api.call("createSession", { body: { prompt: "a long log", start: false } });
    const created = (await h.api.call("getSession", { params: { id: s.id } })).lastEventSeq;
    const last = await appendGeneratedLogEvents(h.orc.db, { id: s.id, tenantId: DEFAULT_TENANT_ID }, 2_500, "line");
    expect(last).toBe(created + 2_500);

    const tail = await h.api.call("sessionEvents", { params: { id: s.id }, query: { order: "desc", limit: 1000 } });
    expect(tail.lastSeq).toBe(last);
    expect(tail.items.map((e) => e.seq)).toEqual(Array.from({ length: 1000 }, (_, i) => last - i));
    expect(tail.items[0]).toMatchObject({ type: "session.log", payload: { text: `line ${last}`, level: "info" } });

    // Page back until the log's start: every seq once, none skipped.
    const seen = tail.items.map((e) => e.seq);
    let before = seen[seen.length - 1]!;
    for (;;) {
      const page = await h.api.call("sessionEvents", {
        params: { id: s.id },
        query: { order: "desc", before, limit: 1000 },
      });
      if (!page.items.length) break;
      seen.push(...page.items.map((e) => e.seq));
      before = page.items[page.items.length - 1]!.seq;
    }
    expect(seen).toEqual(Array.from({ length: last }, (_, i) => last - i));

    // `after` and `before` together bound a range; ascending stays the default.
    const mid = await h.api.call("sessionEvents", { params: { id: s.id }, query: { after: 10, before: 15 } });
    expect(mid.items.map((e) => e.seq)).toEqual([11, 12, 13, 14]);
    const newest = await h.api.call("sessionEvents", {
      params: { id: s.id },
      query: { after: 10, before: 15, order: "desc", limit: 2 },
    });
    expect(newest.items.map((e) => e.seq)).toEqual([14, 13]);
  });

  it("refuses an order it does not know, and a before or after out of a seq's range, naming the field", async () => {
    const s = await h.api.call("createSession", { body: { prompt: "short", start: false } });
    const cases: [string, string][] = [
      ["order=up", "query.order"],
      ["before=0", "query.before"],
      ["before=3000000000", "query.before"],
      ["after=3000000000", "query.after"],
    ];
    for (const [q, field] of cases) {
      const r = await fetch(`${h.orc.url}/api/v1/sessions/${s.id}/events?${q}`, { headers: bearer() });
      expect(r.status, q).toBe(400);
      const body = (await r.json()) as { error: { details?: { path: string }[] } };
      expect(
        body.error.details?.map((d) => d.path),
        q,
      ).toContain(field);
    }
  });
});
