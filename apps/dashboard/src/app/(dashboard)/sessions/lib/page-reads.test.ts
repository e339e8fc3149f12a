import { describe, expect, it } from "vitest";
import { tailWindow, type LogWindow } from "./log-window";
import { askRead, mayStartRead, readFits, retryDelay, type PageReadKind } from "./page-reads";

const win = (firstSeq: number, lastSeq: number): LogWindow => ({ ...tailWindow([], 0, false), firstSeq, lastSeq });
const KINDS: (PageReadKind | null)[] = [null, "earlier", "later", "end"];

describe("page reads", () => {
  it("one at a time: only Follow starts while another read runs, and not while Follow runs", () => {
    const table = KINDS.map((running) =>
      (["earlier", "later", "end"] as const).map((kind) => mayStartRead(running, kind)),
    );
    expect(table).toEqual([
      [true, true, true],
      [false, false, true],
      [false, false, true],
      [false, false, false],
    ]);
  });

  it("an answer fits only the window it was asked against, at the end it attaches to", () => {
    const w = win(100, 200);
    const earlier = askRead("earlier", 1, w);
    const later = askRead("later", 1, w);
    expect(readFits(earlier, 1, w)).toBe(true);
    expect(readFits(later, 1, w)).toBe(true);
    // Live lines appended meanwhile: a page before still fits, one after does not.
    expect(readFits(earlier, 1, win(100, 205))).toBe(true);
    expect(readFits(later, 1, win(100, 205))).toBe(false);
    // The top dropped meanwhile (following): the page before would leave a gap.
    expect(readFits(earlier, 1, win(110, 205))).toBe(false);
    expect(readFits(later, 1, win(90, 200))).toBe(false);
    // Follow replaced the window: nothing asked before fits, even where the seqs happen to match.
    expect(readFits(earlier, 2, w)).toBe(false);
    expect(readFits(later, 2, w)).toBe(false);
    expect(readFits(askRead("end", 2, w), 2, w)).toBe(true);
  });

  it("the first read is tried again after 1 s, 2 s, 4 s… up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelay(n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
    expect(retryDelay(0)).toBe(1_000);
    expect(retryDelay(1_000)).toBe(30_000);
    expect(retryDelay(3, 500, 1_500)).toBe(1_500);
  });
});
