import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { appendLines, prependLines, tailWindow } from "./log-window";
import { toTermLines } from "./terminal-lines";

/** Log events `from..to`, one line each (`line <seq>`). */
const lines = (from: number, to: number) =>
  toTermLines(
    Array.from({ length: to - from + 1 }, (_, i) => ({
      sessionId: "s",
      seq: from + i,
      attempt: null,
      ts: "2026-01-01T00:00:00.000Z",
      type: "session.log",
      payload: { level: "info", source: "assistant", text: `line ${from + i}` },
    })) as SessionEvent[],
  );
const seqs = (w: { lines: { seq: number }[] }) => w.lines.map((l) => l.seq);

describe("log window", () => {
  it("starts from the tail, puts earlier pages in front and appends live lines, each seq once", () => {
    let w = tailWindow(lines(91, 100), 100, false);
    expect([w.firstSeq, w.lastSeq, w.atStart, w.atEnd, w.origin]).toEqual([91, 100, false, true, 0]);
    const held = w.lines;
    w = appendLines(w, lines(99, 102)); // overlapping the tail: 99 and 100 are not added twice
    expect(w.lines).toBe(held); // appended in place: a row cache extends its view
    expect(seqs(w)).toEqual([91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102]);
    w = prependLines(w, lines(81, 92), false); // 91 and 92 are held already
    expect(w.lines).not.toBe(held);
    expect(seqs(w).slice(0, 12)).toEqual([81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92]);
    expect([w.firstSeq, w.lastSeq, w.origin, w.atStart]).toEqual([81, 102, -10, false]);
    w = prependLines(w, lines(1, 80), true);
    expect(seqs(w)).toEqual(Array.from({ length: 102 }, (_, i) => i + 1));
    expect([w.atStart, w.origin]).toEqual([true, -90]);
  });

  it("an empty tail takes whatever comes next", () => {
    let w = tailWindow([], 7, true);
    expect([w.firstSeq, w.lastSeq]).toEqual([8, 7]);
    w = appendLines(w, lines(8, 9));
    expect([w.firstSeq, w.lastSeq, seqs(w)]).toEqual([8, 9, [8, 9]]);
  });
});
