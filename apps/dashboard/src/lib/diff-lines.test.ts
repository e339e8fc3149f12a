import { describe, expect, it } from "vitest";
import { diffLineClass, readableDiffLines } from "./diff-lines";

describe("diff lines", () => {
  it("paint additions, removals, hunks and file headers", () => {
    expect(["+a", "-b", "@@ -1 +1 @@", "--- a", "+++ b", " c"].map(diffLineClass)).toEqual([
      "text-st-running bg-st-running/10",
      "text-st-failed bg-st-failed/10",
      "text-accent-strong",
      "text-muted",
      "text-muted",
      "text-muted",
    ]);
  });

  it("leave out OpenCode's Index banner and rule, keep the rest in order", () => {
    const diff =
      "Index: x.txt\n===================================================================\n--- x.txt\n+++ x.txt\n@@ -0,0 +1,1 @@\n+x\n";
    expect(readableDiffLines(diff)).toEqual(["--- x.txt", "+++ x.txt", "@@ -0,0 +1,1 @@", "+x"]);
  });
});
