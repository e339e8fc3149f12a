import { describe, expect, it } from "vitest";
import { formatCheckpointTable, formatVerification } from "./checkpoint";
import { createColors } from "./colors";

const plain = createColors(false);

describe("checkpoints", () => {
  const k = {
    sessionId: "9371ba73-ff30-47f3-8d8c-25a075dbabe1",
    seq: 1,
    attempt: 1,
    trigger: "step" as const,
    openCodeMessageId: null,
    gitCommit: "e5d55fed0123",
    diffStat: { files: 1, additions: 1, deletions: 0 },
    tokens: { input: 2400, output: 18, reasoning: 0, cacheRead: 0, cacheWrite: 0 },
    costUsd: 0.0025,
    createdAt: "2026-11-22T03:23:35.545Z",
    previousHash: null,
    hash: "4ee537c96a5e0000",
  };

  it("tabulates seq, trigger, time, short hash, commit and tokens", () => {
    expect(formatCheckpointTable([k, { ...k, seq: 2, gitCommit: null }], plain).split("\n")).toEqual([
      "SEQ  TRIGGER  TIME                      HASH          COMMIT    TOKENS",
      "  1  step     2026-11-22T03:23:35.545Z  4ee537c96a5e  e5d55fed    2.4k",
      "  2  step     2026-11-22T03:23:35.545Z  4ee537c96a5e  -           2.4k",
    ]);
  });

  it("says intact, or where and why the chain breaks", () => {
    expect(formatVerification({ intact: true, checked: 2 }, plain)).toBe("chain intact: 2 checkpoints verified");
    expect(formatVerification({ intact: false, checked: 3, brokenAt: 2, reason: "hash mismatch" }, plain)).toBe("chain BROKEN at checkpoint #2: hash mismatch (3 checked)");
  });
});
