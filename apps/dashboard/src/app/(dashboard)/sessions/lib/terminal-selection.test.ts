import { describe, expect, it } from "vitest";
import { appendLines, prependLines, tailWindow, type LogWindow } from "./log-window";
import { logLines } from "./log-lines.testing";
import { copyText } from "./terminal-rows";
import { markAt, markIndex, selectionIndexes, selectLine, type Selection } from "./terminal-selection";

const lines = logLines;
const limit = { max: 10, slack: 5 };
const copy = (sel: Selection | null, w: LogWindow) => {
  const at = selectionIndexes(sel, w.lines, w.origin);
  return at ? copyText(w.lines, at.anchor, at.focus) : null;
};

describe("terminal selection", () => {
  it("follows its lines when a page is put in front", () => {
    let w = tailWindow(lines(91, 100), 100, false);
    let sel = selectLine(null, w.lines, w.origin, 2, false);
    sel = selectLine(sel, w.lines, w.origin, 4, true);
    expect(copy(sel, w)).toBe("line 93\nline 94\nline 95");
    w = prependLines(w, lines(86, 90), false, limit);
    expect(selectionIndexes(sel, w.lines, w.origin)).toEqual({ anchor: 7, focus: 9, lo: 7, hi: 9 });
    expect(copy(sel, w)).toBe("line 93\nline 94\nline 95");
  });

  it("is gone once the window drops its lines, or is replaced by another from origin 0 (Follow)", () => {
    let w = tailWindow(lines(1, 10), 10, true);
    const sel = selectLine(null, w.lines, w.origin, 0, false);
    const match = markAt(w.lines, w.origin, 1);
    w = appendLines(w, lines(11, 16), { live: true, limit }); // the top goes
    expect(selectionIndexes(sel, w.lines, w.origin)).toBeNull();
    expect(markIndex(match, w.lines, w.origin)).toBeNull();
    expect(copy(sel, w)).toBeNull();
    // Follow: a new tail at origin 0 holds other lines at the selection's positions.
    const old = tailWindow(lines(1, 10), 10, true);
    const kept = selectLine(null, old.lines, old.origin, 3, false);
    const tail = tailWindow(lines(501, 510), 510, false);
    expect(selectionIndexes(kept, tail.lines, tail.origin)).toBeNull();
    expect(markIndex(markAt(old.lines, 0, 3), tail.lines, tail.origin)).toBeNull();
    // A click there starts a new selection rather than extending the stale one.
    expect(selectLine(kept, tail.lines, tail.origin, 5, true)).toEqual({
      anchor: { at: 5, key: tail.lines[5]!.key },
      focus: { at: 5, key: tail.lines[5]!.key },
    });
  });

  it("a click on the one selected line unselects it; a click past the ends changes nothing", () => {
    const w = tailWindow(lines(1, 3), 3, true);
    const sel = selectLine(null, w.lines, 0, 1, false);
    expect(selectLine(sel, w.lines, 0, 1, false)).toBeNull();
    expect(selectLine(sel, w.lines, 0, 7, false)).toBe(sel);
    expect(selectLine(sel, w.lines, 0, -1, true)).toBe(sel);
    expect(markAt(w.lines, 0, -1)).toBeNull();
  });

  it("copy clamps its indexes to the lines held", () => {
    const ls = lines(1, 5);
    expect(copyText(ls, -3, 1)).toBe("line 1\nline 2");
    expect(copyText(ls, 3, 99)).toBe("line 4\nline 5");
    expect(copyText(ls, -5, -2)).toBe("");
    expect(copyText(ls, 7, 9)).toBe("");
  });
});
