import { ApiError, type ApiClient } from "@industrial/contracts";
import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { EVENTS_PAGE, followEvents } from "./follow";

const log = (seq: number): SessionEvent => ({
  sessionId: "s",
  seq,
  attempt: 1,
  ts: "2026-01-01T00:00:00Z",
  type: "session.log",
  payload: { level: "info", text: `e${seq}`, source: "assistant" },
});
type Page = { items: SessionEvent[]; lastSeq: number; finished: boolean } | Error;

/** A client that answers the events route from a list of pages and records the `after` it was asked for. */
function scriptedClient(pages: Page[]) {
  const asked: number[] = [];
  const client = {
    baseUrl: "http://test",
    call: async (_name: string, input: { query: { after: number } }) => {
      asked.push(input.query.after);
      const next = pages.shift();
      if (!next) throw new Error("no more pages");
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as ApiClient;
  return { client, asked };
}

async function run(pages: Page[], follow: boolean) {
  const { client, asked } = scriptedClient(pages);
  const seen: number[] = [];
  const sleeps: number[] = [];
  const last = await followEvents(client, "s", {
    follow,
    onEvents: (es) => void seen.push(...es.map((e) => e.seq)),
    sleep: async (ms) => void sleeps.push(ms),
  });
  return { last, seen, asked, sleeps };
}

describe("followEvents", () => {
  it("without follow, reads to the end of the log once", async () => {
    const r = await run([{ items: [log(1), log(2)], lastSeq: 5, finished: false }], false);
    expect(r).toMatchObject({ last: 2, seen: [1, 2], asked: [0], sleeps: [] });
  });

  it("pages through full pages without waiting", async () => {
    const full = Array.from({ length: EVENTS_PAGE }, (_, i) => log(i + 1));
    const r = await run(
      [
        { items: full, lastSeq: EVENTS_PAGE + 1, finished: true },
        { items: [log(EVENTS_PAGE + 1)], lastSeq: EVENTS_PAGE + 1, finished: true },
      ],
      false,
    );
    expect(r.asked).toEqual([0, EVENTS_PAGE]);
    expect(r.last).toBe(EVENTS_PAGE + 1);
  });

  it("when following, polls with after=<last seq> until finished and drained", async () => {
    const r = await run(
      [
        { items: [log(1)], lastSeq: 1, finished: false },
        { items: [], lastSeq: 1, finished: false },
        { items: [log(2), log(3)], lastSeq: 4, finished: true },
        { items: [log(4)], lastSeq: 4, finished: true },
      ],
      true,
    );
    expect(r).toMatchObject({ last: 4, seen: [1, 2, 3, 4], asked: [0, 1, 1, 3], sleeps: [300, 300, 300] });
  });

  it("rides out a server hiccup while following, but not a 404", async () => {
    const r = await run(
      [
        new ApiError(503, { code: "UNAVAILABLE", message: "x", requestId: "r" }),
        { items: [log(1)], lastSeq: 1, finished: true },
      ],
      true,
    );
    expect(r.seen).toEqual([1]);
    await expect(
      run([new ApiError(404, { code: "NOT_FOUND", message: "gone", requestId: "r" })], true),
    ).rejects.toThrow("gone");
  });
});
