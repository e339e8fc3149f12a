import { describe, expect, it } from "vitest";
import { createSeqAssembler } from "./seq-assembler";

const items = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

describe("seq assembler", () => {
  it("emits each seq once and in order, whatever the sources deliver", () => {
    const out: number[] = [];
    const a = createSeqAssembler<{ seq: number }>((r) => out.push(...r.map((x) => x.seq)));
    expect(a.push(items(1, 2, 3))).toBe("ok");
    expect(a.push(items(2, 3, 4))).toBe("ok"); // a replay overlapping the live feed
    expect(a.push(items(7))).toBe("gap"); // live ran ahead: 5 and 6 are missing
    expect(out).toEqual([1, 2, 3, 4]);
    expect(a.push(items(5, 6, 7))).toBe("ok"); // the log fills the gap; 7 is not emitted twice
    expect(out).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(a.lastSeq()).toBe(7);
  });
});

describe("seq assembler after retention", () => {
  it("starts at the first seq the log still holds, without waiting for the removed ones", () => {
    const out: number[] = [];
    const a = createSeqAssembler<{ seq: number }>((r) => out.push(...r.map((x) => x.seq)));
    expect(a.push(items(51, 52))).toBe("gap"); // a replay from 0 of a log whose seqs 1–50 were removed
    expect(a.startAt(51)).toBe("ok");
    expect(out).toEqual([51, 52]);
    expect(a.push(items(53))).toBe("ok");
    expect(out).toEqual([51, 52, 53]);
  });

  it("never goes back, and keeps waiting for a real gap past the first seq", () => {
    const out: number[] = [];
    const a = createSeqAssembler<{ seq: number }>((r) => out.push(...r.map((x) => x.seq)));
    a.push(items(1, 2, 3));
    expect(a.startAt(2)).toBe("ok"); // older than what was emitted: nothing changes
    expect(a.lastSeq()).toBe(3);
    expect(a.push(items(9))).toBe("gap");
    expect(a.startAt(6)).toBe("gap"); // 4 and 5 were removed; 6–8 are still missing
    expect(a.lastSeq()).toBe(5);
    expect(a.push(items(6, 7, 8))).toBe("ok");
    expect(out).toEqual([1, 2, 3, 6, 7, 8, 9]);
  });
});
