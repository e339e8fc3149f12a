import type { SessionEvent } from "@industrial/core";
import { describe, expect, it } from "vitest";
import { toTermLines, type LineLevel } from "./terminal-lines";
import {
  computeRows,
  copyText,
  createRowCache,
  FOLD_HEAD,
  FOLD_TAIL,
  isFolded,
  nextProblem,
  rowIndexOf,
} from "./terminal-rows";

const ev = (seq: number, type: string, payload: object) =>
  ({ sessionId: "s", seq, attempt: 1, ts: "2025-01-01T00:00:00.000Z", type, payload }) as unknown as SessionEvent;
const log = (seq: number, text: string, level = "info") => ev(seq, "session.log", { level, source: "assistant", text });
const ALL = new Set<LineLevel>(["debug", "info", "warn", "error"]);
const none = new Set<number>();
const numbered = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join("\n");

describe("terminal rows", () => {
  it("shows an event of 20 rows whole, and folds one of 21 to its head and tail around a fold bar", () => {
    const twenty = computeRows(toTermLines([log(1, numbered(20))]), { query: "", levels: ALL, open: none });
    expect(twenty.rows.every((r) => r.kind === "line")).toBe(true);
    expect(twenty.rows).toHaveLength(20);

    const lines = toTermLines([log(1, numbered(21)), log(2, "after")]);
    const { rows } = computeRows(lines, { query: "", levels: ALL, open: none });
    expect(rows).toHaveLength(FOLD_HEAD + 1 + FOLD_TAIL + 1);
    expect(rows[FOLD_HEAD]).toMatchObject({
      kind: "fold",
      seq: 1,
      total: 21,
      hidden: 21 - FOLD_HEAD - FOLD_TAIL,
      open: false,
    });
    expect(rows.filter((r) => r.kind === "line").map((r) => (r.kind === "line" ? r.line.text : ""))).toEqual([
      ...["line 1", "line 2", "line 3", "line 4", "line 5", "line 6"],
      ...["line 18", "line 19", "line 20", "line 21"],
      "after",
    ]);
  });

  it("opens a fold: every row, then a fold bar to close it again", () => {
    const lines = toTermLines([log(1, numbered(30))]);
    const { rows } = computeRows(lines, { query: "", levels: ALL, open: new Set([1]) });
    expect(rows).toHaveLength(31);
    expect(rows[30]).toMatchObject({ kind: "fold", open: true, hidden: 0, total: 30 });
    // Ordered by line index, fold bars included, so a line's row is found by bisection.
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort((a, b) => a - b));
  });

  it("does not fold while searching or filtering by level: every matching line shows", () => {
    const lines = toTermLines([log(1, numbered(40)), log(2, "oops", "error")]);
    expect(
      computeRows(lines, { query: "LINE 3", levels: ALL, open: none }).rows.map((r) =>
        r.kind === "line" ? r.line.text : "fold",
      ),
    ).toEqual(["line 3", ...Array.from({ length: 10 }, (_, i) => `line ${30 + i}`)]);
    expect(computeRows(lines, { query: "", levels: new Set(["error"]), open: none }).rows).toHaveLength(1);
  });

  it("keeps a view up to date at the cost of the new lines, and rebuilds it when the options change", () => {
    const cache = createRowCache();
    const lines = toTermLines([log(1, numbered(25))]);
    const opts = { query: "", levels: ALL, open: none };
    const first = cache(lines, opts);
    expect(cache(lines, opts)).toBe(first);
    lines.push(...toTermLines([log(2, 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad')]));
    const grown = cache(lines, opts);
    expect(grown).not.toBe(first);
    expect(grown).toEqual(computeRows(lines, opts));
    const opened = cache(lines, { ...opts, open: new Set([1]) });
    expect(opened).toEqual(computeRows(lines, { ...opts, open: new Set([1]) }));
  });

  it("finds the next and previous problem line, wrapping around, skipping those the filter hides", () => {
    const lines = toTermLines([
      log(1, "ok"),
      log(2, "boom", "error"),
      log(3, "fine\nTypeError: x is undefined"),
      log(4, "done"),
    ]);
    const { problems } = computeRows(lines, { query: "", levels: ALL, open: none });
    expect(problems.map((at) => lines[at]!.text)).toEqual(["boom", "TypeError: x is undefined"]);
    expect(nextProblem(problems, -1, 1)).toBe(1);
    expect(nextProblem(problems, 1, 1)).toBe(3);
    expect(nextProblem(problems, 3, 1)).toBe(1);
    expect(nextProblem(problems, 3, -1)).toBe(1);
    expect(nextProblem(problems, 1, -1)).toBe(3);
    expect(nextProblem(problems, 0, 1, (at) => lines[at]!.level === "info")).toBe(3);
    expect(nextProblem([], 0, 1)).toBeNull();
  });

  it("finds the row of a line by bisection, and copies a range of lines as plain text", () => {
    const lines = toTermLines([log(1, numbered(25)), log(2, "\x1b[31mred\x1b[0m tail")]);
    const { rows } = computeRows(lines, { query: "", levels: ALL, open: none });
    expect(rows[rowIndexOf(rows, 25)]).toMatchObject({ kind: "line", line: { text: "red tail" } });
    // A hidden line's row is the fold bar that hides it.
    expect(rows[rowIndexOf(rows, 10)]).toMatchObject({ kind: "fold" });
    expect(copyText(lines, 25, 23)).toBe("line 24\nline 25\nred tail");
    // What a jump to a hidden line must open first.
    expect(isFolded(lines[10]!, none)).toBe(true);
    expect(isFolded(lines[10]!, new Set([1]))).toBe(false);
    expect([lines[5]!, lines[21]!, lines[25]!].map((l) => isFolded(l, none))).toEqual([false, false, false]);
  });
});
