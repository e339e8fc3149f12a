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
