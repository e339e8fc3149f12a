import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { appendLines, prependLines, tailWindow, type LogWindow, type WindowLimit } from "./log-window";
import { toTermLines, type TermLine } from "./terminal-lines";

/** Events from `seq` on, event i having `sizes[i]` lines. */
const events = (seq: number, sizes: readonly number[]): TermLine[] =>
  toTermLines(
    sizes.map((n, i) => ({
      sessionId: "s",
      seq: seq + i,
      attempt: null,
      ts: "2026-01-01T00:00:00.000Z",
      type: "session.log",
      payload: {
        level: "info",
        source: "assistant",
        text: Array.from({ length: n }, (_, k) => `${seq + i}:${k}`).join("\n"),
      },
    })) as SessionEvent[],
  );

/** Every list of 1 to 3 event sizes from {1, 3, 7}. */
const SHAPES: number[][] = [];
for (const a of [1, 3, 7]) {
  SHAPES.push([a]);
  for (const b of [1, 3, 7]) {
    SHAPES.push([a, b]);
    for (const c of [1, 3, 7]) SHAPES.push([a, b, c]);
  }
}

const limit: WindowLimit = { max: 6, slack: 3, keep: 2 };

/** Whole events only, seqs consecutive, ends as the window says. */
function expectSound(w: LogWindow) {
  expect(w.lines.length).toBeGreaterThan(0);
  expect(w.lines[0]!.part).toBe(0);
  const last = w.lines[w.lines.length - 1]!;
  expect(last.part).toBe(last.parts - 1);
  for (let i = 1; i < w.lines.length; i++) {
    const [a, b] = [w.lines[i - 1]!, w.lines[i]!];
    if (b.seq === a.seq) expect(b.part).toBe(a.part + 1);
    else expect([b.seq, a.part, b.part]).toEqual([a.seq + 1, a.parts - 1, 0]);
  }
  expect([w.firstSeq, w.lastSeq]).toEqual([w.lines[0]!.seq, last.seq]);
}

/** How many lines from the top (or the bottom) make `keep` lines or more, whole events. */
function protectedLines(ls: readonly TermLine[], keep: number, fromBottom: boolean): number {
  const seq = fromBottom ? ls[Math.max(0, ls.length - keep)]!.seq : ls[Math.min(ls.length, keep) - 1]!.seq;
  return ls.filter((l) => (fromBottom ? l.seq >= seq : l.seq <= seq)).length;
}

/** The lines of `before` still held in `after` sit at the same absolute position (`origin + index`). */
function expectSamePlaces(before: LogWindow, beforeLines: readonly TermLine[], after: LogWindow) {
  for (let i = 0; i < after.lines.length; i++) {
    const abs = after.origin + i - before.origin;
    if (abs >= 0 && abs < beforeLines.length) expect(after.lines[i]!.key).toBe(beforeLines[abs]!.key);
  }
}

describe("log window bounds, every shape of window and page", () => {
  it("a page put in front keeps the window's top rows and the page's part nearest them, never empties", () => {
    for (const old of SHAPES)
      for (const page of SHAPES) {
        const held = events(100, old);
        const w = { ...tailWindow(held, 100 + old.length - 1, false), origin: 5 };
        const front = events(100 - page.length, page);
        const next = prependLines(w, front, true, limit);
        expectSound(next);
        const total = held.length + front.length;
        if (total <= limit.max + limit.slack) {
          expect(next.lines.length).toBe(total);
          expect([next.atStart, next.atEnd]).toEqual([true, true]);
        } else {
          // The rows on screen (the old top) stay; one new event at least; cut to max unless those two alone are more.
          const top = protectedLines(held, limit.keep!, false);
          expect(next.lines.slice(-top).length).toBe(top);
          expect(next.lines.map((l) => l.key)).toEqual(expect.arrayContaining(held.slice(0, top).map((l) => l.key)));
          expect(next.firstSeq).toBeLessThan(100);
          const minimum = top + page[page.length - 1]!;
          expect(next.lines.length).toBeLessThanOrEqual(Math.max(limit.max, minimum));
          expect(next.atStart).toBe(next.firstSeq === 100 - page.length);
          expect(next.atEnd).toBe(next.lastSeq === w.lastSeq);
        }
        expect(next.lastSeq).toBeGreaterThanOrEqual(100);
        expect(next.origin).toBe(5 - next.lines.filter((l) => l.seq < 100).length);
        expectSamePlaces(w, held, next);
      }
  });

  it("a page read towards the end keeps the window's bottom rows and the page's head, never empties", () => {
    for (const old of SHAPES)
      for (const page of SHAPES) {
        const held = events(100, old);
        const lastSeq = 100 + old.length - 1;
        const w = { ...tailWindow(held, lastSeq, true), atEnd: false, origin: 5 };
        const keys = held.map((l) => l.key);
        const back = events(lastSeq + 1, page);
        const next = appendLines(w, back, { atEnd: true, following: false, limit });
        expectSound(next);
        const total = keys.length + back.length;
        if (total <= limit.max + limit.slack) {
          expect(next.lines.length).toBe(total);
          expect([next.atStart, next.atEnd]).toEqual([true, true]);
        } else {
          const bottom = protectedLines(events(100, old), limit.keep!, true);
          expect(next.lines.map((l) => l.key)).toEqual(expect.arrayContaining(keys.slice(-bottom)));
          expect(next.lastSeq).toBeGreaterThan(lastSeq);
          expect(next.lines.length).toBeLessThanOrEqual(Math.max(limit.max, bottom + page[0]!));
          expect(next.atEnd).toBe(next.lastSeq === lastSeq + page.length);
          expect(next.atStart).toBe(next.firstSeq === 100);
        }
        expect(next.origin).toBe(5 + keys.findIndex((k) => k === next.lines[0]!.key));
      }
  });

  it("a following window keeps its last event, however long, and what it held before at the same places", () => {
    for (const old of SHAPES)
      for (const page of SHAPES)
        for (const live of [true, false]) {
          const held = events(100, old);
          const lastSeq = 100 + old.length - 1;
          const w = tailWindow(held, lastSeq, true);
          const keys = held.map((l) => l.key);
          const next = appendLines(w, events(lastSeq + 1, page), { live, limit });
          expectSound(next);
          expect([next.lastSeq, next.atEnd]).toEqual([lastSeq + page.length, true]);
          expect(next.lines.length).toBeLessThanOrEqual(Math.max(limit.max + limit.slack, page[page.length - 1]!));
          const all = [...keys, ...events(lastSeq + 1, page).map((l) => l.key)];
          expect(next.lines.map((l) => l.key)).toEqual(all.slice(next.origin));
        }
  });

  it("one event longer than the whole limit is held alone rather than dropped", () => {
    const big = events(1, [40]);
    let w = tailWindow(events(0, [1]), 0, true);
    w = appendLines(w, big, { live: true, limit });
    expect([w.firstSeq, w.lastSeq, w.lines.length]).toEqual([1, 1, 40]);
    let up = tailWindow(events(50, [1]), 50, false);
    up = prependLines(up, events(49, [40]), false, limit);
    expect([up.firstSeq, up.lastSeq, up.lines.length]).toEqual([49, 50, 41]);
  });
});
