import { describe, expect, it } from "vitest";
import type { Workspace } from "../session/session";
import {
  computeWorkspaceTarget,
  decideWorkspaceSource,
  workspaceResetOf,
  type CheckpointCommit,
  type WorkspaceReset,
} from "./workspace-target";

const cp = (seq: number, pushed: boolean, gitCommit: string | null = `c${seq}`): CheckpointCommit => ({
  seq,
  gitCommit,
  pushed,
});
const reset = (over: Partial<WorkspaceReset> = {}): WorkspaceReset => ({
  commit: "c2",
  seq: 2,
  afterSeq: 4,
  openCodeRewound: false,
  ...over,
});

describe("computeWorkspaceTarget", () => {
  it("is nothing for a session with no checkpoint", () => {
    expect(computeWorkspaceTarget({ checkpoints: [], reset: null })).toEqual({ target: null, skipped: [] });
  });

  it("is the newest pushed checkpoint", () => {
    expect(computeWorkspaceTarget({ checkpoints: [cp(1, true), cp(2, true), cp(3, true)], reset: null })).toEqual({
      target: { commit: "c3", seq: 3 },
      skipped: [],
    });
  });

  it("skips (and names) newer checkpoints that never reached the work remote; older unpushed ones are in the target's history", () => {
    expect(
      computeWorkspaceTarget({ checkpoints: [cp(1, false), cp(2, true), cp(3, false), cp(4, false)], reset: null }),
    ).toEqual({
      target: { commit: "c2", seq: 2 },
      skipped: [3, 4],
    });
  });

  it("is nothing when no checkpoint was pushed, naming them all", () => {
    expect(computeWorkspaceTarget({ checkpoints: [cp(1, false), cp(2, false)], reset: null })).toEqual({
      target: null,
      skipped: [1, 2],
    });
  });

  it("ignores checkpoints without a commit", () => {
    expect(
      computeWorkspaceTarget({ checkpoints: [cp(1, true), cp(2, false, null), cp(3, true, null)], reset: null }),
    ).toEqual({ target: { commit: "c1", seq: 1 }, skipped: [] });
  });

  it("takes the order from seq, not from the list", () => {
    expect(
      computeWorkspaceTarget({ checkpoints: [cp(3, true), cp(1, true), cp(2, true)], reset: null }).target,
    ).toEqual({ commit: "c3", seq: 3 });
  });

  it("is the reset when no checkpoint came after it: a restore is not undone by its own later checkpoints", () => {
    const all = [cp(1, true), cp(2, true), cp(3, true), cp(4, true)];
    expect(computeWorkspaceTarget({ checkpoints: all, reset: reset() })).toEqual({
      target: { commit: "c2", seq: 2 },
      skipped: [],
    });
  });

  it("is a checkpoint written after the reset once it is pushed", () => {
    const all = [cp(1, true), cp(2, true), cp(3, true), cp(4, true), cp(5, true)];
    expect(computeWorkspaceTarget({ checkpoints: all, reset: reset() }).target).toEqual({ commit: "c5", seq: 5 });
  });

  it("falls back to the reset when the checkpoints after it were not pushed", () => {
    const all = [cp(1, true), cp(2, true), cp(3, true), cp(4, true), cp(5, false)];
    expect(computeWorkspaceTarget({ checkpoints: all, reset: reset() })).toEqual({
      target: { commit: "c2", seq: 2 },
      skipped: [5],
    });
  });

  it("a fresh retry resets to the base commit (no seq)", () => {
    expect(
      computeWorkspaceTarget({ checkpoints: [cp(1, true)], reset: reset({ commit: "base", seq: null, afterSeq: 1 }) })
        .target,
    ).toEqual({ commit: "base", seq: null });
  });
});

describe("decideWorkspaceSource", () => {
  const cases: [boolean, boolean, boolean, boolean, string][] = [];
  for (const recordedExists of [true, false])
    for (const recordedIsOwn of [true, false])
      for (const keepRecorded of [true, false])
        for (const hasTarget of [true, false]) {
          const expected =
            recordedExists && (recordedIsOwn || keepRecorded) ? "recorded" : hasTarget ? "recreate" : "prepare";
          cases.push([recordedExists, recordedIsOwn, keepRecorded, hasTarget, expected]);
        }

  it.each(cases)(
    "exists %s, own %s, keep %s, target %s → %s",
    (recordedExists, recordedIsOwn, keepRecorded, hasTarget, expected) => {
      expect(decideWorkspaceSource({ recordedExists, recordedIsOwn, keepRecorded, hasTarget })).toBe(expected);
    },
  );

  it("never works in another replica's copy that merely exists here", () => {
    expect(
      decideWorkspaceSource({ recordedExists: true, recordedIsOwn: false, keepRecorded: false, hasTarget: true }),
    ).toBe("recreate");
  });
});

describe("workspaceResetOf", () => {
  const ws: Workspace = {
    repository: null,
    baseRef: "HEAD",
    baseCommit: "b",
    branch: "main",
    path: "/w",
    directory: null,
  };
  it("reads the reset kept with a workspace record, or null", () => {
    expect(workspaceResetOf(ws)).toBeNull();
    expect(workspaceResetOf({ ...ws, reset: reset() } as Workspace)).toEqual(reset());
  });
});
