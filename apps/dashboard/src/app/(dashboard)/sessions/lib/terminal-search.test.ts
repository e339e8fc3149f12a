import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { lineMatches, toTermLines, type LineLevel, type TermLine } from "./terminal-lines";
import { computeRows, createRowCache, matchOrdinal, nextProblem } from "./terminal-rows";

const log = (seq: number, text: string, level = "info") =>
  ({
    sessionId: "s",
    seq,
    attempt: 1,
    ts: "2025-01-01T00:00:00.000Z",
    type: "session.log",
    payload: { level, source: "assistant", text },
  }) as unknown as SessionEvent;
const ALL = new Set<LineLevel>(["debug", "info", "warn", "error"]);
const none = new Set<number>();

/** Counts the lines a search reads, through a proxy on the lines array. */
function counted(lines: TermLine[]): { lines: TermLine[]; reads: () => number } {
  let n = 0;
  const proxy = new Proxy(lines, {
    get(target, key, receiver) {
      if (typeof key === "string" && /^\d+$/.test(key)) n++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { lines: proxy, reads: () => n };
}

describe("terminal search", () => {
  it("lists the matches with their count, and they follow the level filter", () => {
    const lines = toTermLines([log(1, "build ok"), log(2, "Error: disk full", "error"), log(3, "error again", "warn")]);
    const v = computeRows(lines, { query: "error", levels: ALL, open: none });
    expect(v.matches).toEqual([1, 2]);
    expect(computeRows(lines, { query: "error", levels: new Set(["warn"]), open: none }).matches).toEqual([2]);
    expect(computeRows(lines, { query: "", levels: ALL, open: none }).matches).toEqual([]);
  });

  it("is incremental: a new event costs its own lines, whatever the log's length", () => {
    const base = toTermLines(
      Array.from({ length: 5_000 }, (_, i) => log(i + 1, i % 100 === 0 ? "match here" : "plain")),
    );
    const c = counted(base);
    const cache = createRowCache();
    const opts = { query: "match", levels: ALL, open: none };
    expect(cache(c.lines, opts).matches).toHaveLength(50);
    const before = c.reads();
    for (const l of toTermLines([log(5_001, "another match"), log(5_002, "plain")])) base.push(l);
    const v = cache(c.lines, opts);
    expect(v.matches).toHaveLength(51);
    expect(v.matches[50]).toBe(5_000);
    expect(c.reads() - before).toBeLessThanOrEqual(4); // the two new lines (each read at most twice), not 5,002
  });

  it("a longer query narrows the previous matches instead of reading the log again", () => {
    const base = toTermLines(
      Array.from({ length: 2_000 }, (_, i) => log(i + 1, i % 10 === 0 ? `error ${i}` : `ok ${i}`)),
    );
    const c = counted(base);
    const cache = createRowCache();
    expect(cache(c.lines, { query: "error", levels: ALL, open: none }).matches).toHaveLength(200);
    const before = c.reads();
    const v = cache(c.lines, { query: "error 1", levels: ALL, open: none });
    expect(c.reads() - before).toBeLessThanOrEqual(4); // the first line's key, checked; the 200 matches are read from the rows
    const full = computeRows(base, { query: "error 1", levels: ALL, open: none });
    expect(v.matches).toEqual(full.matches);
    expect(v.rows.map((r) => r.key)).toEqual(full.rows.map((r) => r.key));
    // Lines appended after a narrowing are searched too.
    for (const l of toTermLines([log(2_001, "error 1 late")])) base.push(l);
    expect(cache(c.lines, { query: "error 1", levels: ALL, open: none }).matches.at(-1)).toBe(2_000);
    // Shorter again: a full search.
    expect(cache(c.lines, { query: "err", levels: ALL, open: none }).matches).toHaveLength(201);
    expect(v.rows.every((r) => r.kind === "line" && lineMatches(r.line, "error 1", ALL))).toBe(true);
  });

  it("next and previous go round the matches, and the ordinal says which one is shown", () => {
    const matches = [3, 8, 20];
    expect(nextProblem(matches, -1, 1)).toBe(3);
    expect(nextProblem(matches, 3, 1)).toBe(8);
    expect(nextProblem(matches, 20, 1)).toBe(3);
    expect(nextProblem(matches, 3, -1)).toBe(20);
    expect(nextProblem(matches, 10, -1)).toBe(8);
    expect([
      matchOrdinal(matches, 3),
      matchOrdinal(matches, 20),
      matchOrdinal(matches, 9),
      matchOrdinal(matches, null),
    ]).toEqual([1, 3, 0, 0]);
    expect(nextProblem([], 0, 1)).toBeNull();
  });
});
