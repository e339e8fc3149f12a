import { describe, expect, it } from "vitest";
import { capPatch, parseNameStatus, parseNumstat, splitPatch, sumStat } from "./diff-parse";

describe("diff output parsing", () => {
  it("reads numstat with renames and binary files", () => {
    const out = "1\t2\ta.txt\0-\t-\tlogo.png\0" + "0\t0\t\0old name.txt\0new name.txt\0";
    const entries = parseNumstat(out);
    expect(entries).toEqual([
      { path: "a.txt", additions: 1, deletions: 2 },
      { path: "logo.png", additions: null, deletions: null },
      { path: "new name.txt", additions: 0, deletions: 0 },
    ]);
    expect(sumStat(entries)).toEqual({ files: 3, additions: 1, deletions: 2 });
  });

  it("reads name-status with renames in between", () => {
    expect(parseNameStatus("A\0x\0R087\0old\0new\0D\0gone\0T\0link\0")).toEqual([
      { path: "x", status: "added" },
      { path: "new", oldPath: "old", status: "renamed" },
      { path: "gone", status: "deleted" },
      { path: "link", status: "modified" },
    ]);
  });

  it("splits a patch per file", () => {
    const patch = "diff --git a/a b/a\n--- a/a\n+++ b/a\n-diff --git x\n+y\ndiff --git a/b b/b\nnew file mode 100644\n";
    expect(splitPatch(patch)).toHaveLength(2);
  });

  it("caps a patch on a line boundary with a marker", () => {
    const { patch, truncated } = capPatch("line\n".repeat(100), 52);
    expect(truncated).toBe(true);
    expect(patch).toBe(`${"line\n".repeat(10)}\n[patch truncated: 500 bytes, limit 52]\n`);
    expect(capPatch("short\n", 52)).toEqual({ patch: "short\n", truncated: false });
  });
});
