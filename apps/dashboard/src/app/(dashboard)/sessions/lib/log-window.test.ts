import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { appendLines, prependLines, tailWindow } from "./log-window";
import { logLines } from "./log-lines.testing";
import { toTermLines } from "./terminal-lines";

const lines = logLines;
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

describe("log window bounds", () => {
  const limit = { max: 10, slack: 5 };

  it("a following window drops its top past the limit, and says it no longer holds the start", () => {
    let w = tailWindow(lines(1, 10), 10, true);
    w = appendLines(w, lines(11, 15), { live: true, limit });
    expect(w.lines.length).toBe(15); // within max + slack: nothing dropped, appended in place
    w = appendLines(w, lines(16, 16), { live: true, limit });
    expect(seqs(w)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    expect([w.firstSeq, w.lastSeq, w.atStart, w.atEnd, w.origin]).toEqual([7, 16, false, true, 6]);
    // Memory stays bounded over a long stream: 1,000 more events, never more than max + slack lines.
    for (let s = 17; s <= 1016; s++) {
      w = appendLines(w, lines(s, s), { live: true, limit });
      expect(w.lines.length).toBeLessThanOrEqual(15);
    }
    expect(w.lastSeq).toBe(1016);
    expect(seqs(w)).toEqual(Array.from({ length: w.lines.length }, (_, i) => w.firstSeq + i));
  });

  it("a reader scrolled up keeps what is in view: past the limit the window lets go of the end", () => {
    let w = tailWindow(lines(1, 12), 12, true);
    w = appendLines(w, lines(13, 20), { live: true, following: false, limit });
    expect([w.firstSeq, w.lastSeq, w.atEnd]).toEqual([1, 15, false]);
    // Detached: live lines are left to a later read…
    w = appendLines(w, lines(21, 22), { live: true, following: false, limit });
    expect(w.lastSeq).toBe(15);
    // …which appends them, drops the top, and reaches the end again.
    w = appendLines(w, lines(16, 22), { atEnd: true, limit });
    expect([w.firstSeq, w.lastSeq, w.atEnd, w.lines.length]).toEqual([13, 22, true, 10]);
  });

  it("pages put in front past the limit: the page is cut from its start, the bottom goes, the top stays", () => {
    let w = tailWindow(lines(91, 100), 100, false);
    w = prependLines(w, lines(81, 90), true, limit); // keep: max / 4 = 2 lines of the old top
    expect(seqs(w)).toEqual([83, 84, 85, 86, 87, 88, 89, 90, 91, 92]);
    // Cut from its start: the log's start is not held, the next read goes on before 83; the end is let go of.
    expect([w.firstSeq, w.lastSeq, w.atStart, w.atEnd, w.origin]).toEqual([83, 92, false, false, -8]);
    // An event of three lines at the cut is kept whole or not at all.
    const multi = toTermLines([
      {
        sessionId: "s",
        seq: 82,
        attempt: null,
        ts: "2026-01-01T00:00:00.000Z",
        type: "session.log",
        payload: { level: "info", source: "assistant", text: "a\nb\nc" },
      },
    ] as SessionEvent[]);
    w = prependLines(w, [...lines(70, 81), ...multi], false, limit);
    expect(w.lines.every((l, i) => i === 0 || l.seq >= w.lines[i - 1]!.seq)).toBe(true);
    expect(w.lines[0]!.part).toBe(0);
    const last = w.lines[w.lines.length - 1]!;
    expect(last.part).toBe(last.parts - 1);
    expect(w.lines.length).toBeLessThanOrEqual(10);
    expect(seqs(w).slice(-2)).toEqual([83, 84]); // the rows the reader is at stay
  });
});
