import { describe, expect, it } from "vitest";
import { computeRefDeletions, planRemoteCleanup, type RemoteCleanupState } from "./remote-cleanup";

const now = new Date("2025-06-15T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY).toISOString();
const state = (over: Partial<RemoteCleanupState> = {}): RemoteCleanupState => ({
  deletedAt: daysAgo(0),
  branchRemovedAt: null,
  refsRemovedAt: null,
  retentionDays: 90,
  unpushed: 0,
  ...over,
});

describe("planRemoteCleanup", () => {
  it("removes the branch at the first round after the deletion, and keeps the checkpoint refs for the tenant's retention", () => {
    expect(planRemoteCleanup(state(), now)).toEqual({ branch: true, checkpointRefs: false });
  });

  it("waits with the branch while a checkpoint is not yet pushed: its push would make the branch again", () => {
    expect(planRemoteCleanup(state({ unpushed: 2 }), now)).toEqual({ branch: false, checkpointRefs: false });
  });

  it("does nothing more once the branch is gone, until the deletion is past the retention", () => {
    expect(planRemoteCleanup(state({ branchRemovedAt: daysAgo(0), deletedAt: daysAgo(89) }), now)).toEqual({
      branch: false,
      checkpointRefs: false,
    });
  });

  it("past the retention removes every checkpoint ref and the branch again (a late push may have made it anew), pushed or not", () => {
    expect(planRemoteCleanup(state({ branchRemovedAt: daysAgo(80), deletedAt: daysAgo(91) }), now)).toEqual({
      branch: true,
      checkpointRefs: true,
    });
    expect(planRemoteCleanup(state({ deletedAt: daysAgo(91), unpushed: 3 }), now)).toEqual({
      branch: true,
      checkpointRefs: true,
    });
    expect(planRemoteCleanup(state({ deletedAt: daysAgo(1), retentionDays: 1 }), now)).toEqual({
      branch: true,
      checkpointRefs: false,
    });
    expect(
      planRemoteCleanup(state({ deletedAt: new Date(now.getTime() - DAY - 1).toISOString(), retentionDays: 1 }), now),
    ).toEqual({ branch: true, checkpointRefs: true });
  });

  it("keeps the checkpoint refs for good for a tenant that keeps everything (retentionDays null)", () => {
    expect(
      planRemoteCleanup(
        state({ deletedAt: daysAgo(10_000), retentionDays: null, branchRemovedAt: daysAgo(9_999) }),
        now,
      ),
    ).toEqual({ branch: false, checkpointRefs: false });
  });

  it("does nothing once both are done", () => {
    expect(
      planRemoteCleanup(
        state({ deletedAt: daysAgo(200), branchRemovedAt: daysAgo(199), refsRemovedAt: daysAgo(100) }),
        now,
      ),
    ).toEqual({ branch: false, checkpointRefs: false });
  });
});

describe("computeRefDeletions", () => {
  const A = "a".repeat(40);
  const B = "b".repeat(40);
  const X = "f".repeat(40);

  it("deletes each ref holding a commit the session recorded, leased on that commit, in ref order", () => {
    const found = new Map([
      ["refs/orchestrator/checkpoints/0a1b2c3d/2", B],
      ["refs/heads/orchestrator/0a1b2c3d", B],
      ["refs/orchestrator/checkpoints/0a1b2c3d/1", A],
    ]);
    expect(computeRefDeletions(found, new Set([A, B]))).toEqual({
      delete: [
        { ref: "refs/heads/orchestrator/0a1b2c3d", lease: B },
        { ref: "refs/orchestrator/checkpoints/0a1b2c3d/1", lease: A },
        { ref: "refs/orchestrator/checkpoints/0a1b2c3d/2", lease: B },
      ],
      foreign: [],
    });
  });

  it("leaves a ref someone moved to a commit the session never recorded", () => {
    const found = new Map([["refs/heads/orchestrator/0a1b2c3d", X]]);
    expect(computeRefDeletions(found, new Set([A, B]))).toEqual({
      delete: [],
      foreign: ["refs/heads/orchestrator/0a1b2c3d"],
    });
  });

  it("has nothing to do when the remote holds nothing of the session", () => {
    expect(computeRefDeletions(new Map(), new Set([A]))).toEqual({ delete: [], foreign: [] });
  });
});
