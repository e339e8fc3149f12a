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
    pushed: { remote: "/srv/work.git", at: "2026-11-22T03:23:36.000Z" },
  };

  it("tabulates seq, trigger, time, short hash, commit, tokens and the push", () => {
    expect(
      formatCheckpointTable(
        [k, { ...k, seq: 2, gitCommit: null, pushed: null }, { ...k, seq: 3, pushed: null }],
        plain,
      ).split("\n"),
    ).toEqual([
      "SEQ  TRIGGER  TIME                      HASH          COMMIT    TOKENS  PUSHED",
      "  1  step     2026-11-22T03:23:35.545Z  4ee537c96a5e  e5d55fed    2.4k  yes",
      "  2  step     2026-11-22T03:23:35.545Z  4ee537c96a5e  -           2.4k  -",
      "  3  step     2026-11-22T03:23:35.545Z  4ee537c96a5e  e5d55fed    2.4k  not yet",
    ]);
  });

  it("says intact, or where and why the chain breaks", () => {
    expect(formatVerification({ intact: true, checked: 2 }, plain)).toBe("chain intact: 2 checkpoints verified");
    expect(formatVerification({ intact: false, checked: 3, brokenAt: 2, reason: "hash mismatch" }, plain)).toBe(
      "chain BROKEN at checkpoint #2: hash mismatch (3 checked)",
    );
  });

  it("says what the work remote holds", () => {
    const remote = { url: "git://127.0.0.1:9418/work.git", reachable: true, pushed: 2, notYetPushed: [3], missing: [] };
    expect(formatVerification({ intact: true, checked: 3, remote }, plain)).toBe(
      "chain intact: 3 checkpoints verified\nwork remote git://127.0.0.1:9418/work.git: 2 pushed; not yet pushed: #3",
    );
    expect(
      formatVerification(
        { intact: true, checked: 2, remote: { ...remote, notYetPushed: [], missing: [1] } },
        plain,
      ).split("\n")[1],
    ).toBe("work remote git://127.0.0.1:9418/work.git: 2 pushed; MISSING: #1");
    expect(
      formatVerification(
        {
          intact: true,
          checked: 1,
          remote: { ...remote, reachable: false, pushed: 0, notYetPushed: [1], error: "down" },
        },
        plain,
      ).split("\n")[1],
    ).toBe(
      "work remote git://127.0.0.1:9418/work.git: 0 pushed; not yet pushed: #1 (as recorded: the remote could not be reached: down)",
    );
  });
});
