import { describe, expect, it } from "vitest";
import { SESSION_STATUSES, FINISHED_STATUSES } from "../session/session-status";
import {
  computeLocalKeepReason,
  computeWorktreeKeepReason,
  decideWorktreeRemoval,
  isSessionFolderName,
  type WorktreeCandidate,
  type WorktreeLocalState,
  type WorktreeSessionFacts,
} from "./worktree-retention";

const now = new Date("2025-06-15T12:00:00Z");
const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(now.getTime() - h * HOUR).toISOString();
const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

const session = (over: Partial<WorktreeSessionFacts> = {}): WorktreeSessionFacts => ({
  status: "completed",
  deleted: false,
  endedAt: hoursAgo(3),
  checkpoints: [
    { seq: 1, gitCommit: A, pushed: true },
    { seq: 2, gitCommit: B, pushed: true },
  ],
  reset: null,
  ...over,
});
const candidate = (
  over: Partial<WorktreeCandidate> = {},
  s: Partial<WorktreeSessionFacts> = {},
): WorktreeCandidate => ({
  session: session(s),
  recorded: true,
  personOwned: false,
  changedAt: hoursAgo(5),
  pushesPending: false,
  ...over,
});
const clean: WorktreeLocalState = { head: B, dirty: false };
const decide = (c: WorktreeCandidate, local: WorktreeLocalState | null = clean, graceMs = HOUR) =>
  decideWorktreeRemoval(c, local, now, graceMs);

describe("decideWorktreeRemoval", () => {
  it("removes a finished session's recorded worktree once its last checkpoint is pushed, it is clean at it and the grace is over", () => {
    expect(decide(candidate())).toEqual({ remove: true });
  });

  it("removes in every finished status (a retry recreates from the remote) and in no other", () => {
    for (const status of SESSION_STATUSES) {
      const d = decide(candidate({}, { status }));
      if (FINISHED_STATUSES.includes(status)) expect(d, status).toEqual({ remove: true });
      else expect(d, status).toEqual({ remove: false, reason: `the session is ${status} and may still run` });
    }
  });

  it("never removes a folder of no single session (none, or a short-id collision), nor one the person owns", () => {
    expect(decide(candidate({ session: null }))).toEqual({
      remove: false,
      reason: "no single session has this short id",
    });
    expect(decide(candidate({ personOwned: true }))).toEqual({
      remove: false,
      reason: "a folder the person owns is never removed",
    });
    expect(decide(candidate({ personOwned: true }, { deleted: true }), null, 0)).toMatchObject({ remove: false });
  });

  it("keeps it while a checkpoint is not yet pushed, or a push is under way, deleted or not", () => {
    const unpushed = {
      checkpoints: [
        { seq: 1, gitCommit: A, pushed: true },
        { seq: 2, gitCommit: B, pushed: false },
        { seq: 3, gitCommit: C, pushed: false },
      ],
    };
    expect(decide(candidate({}, unpushed))).toEqual({ remove: false, reason: "checkpoints 2, 3 not yet pushed" });
    expect(decide(candidate({}, { ...unpushed, deleted: true }))).toEqual({
      remove: false,
      reason: "checkpoints 2, 3 not yet pushed",
    });
    // An older one unpushed while a newer one landed: its ref is still missing on the remote.
    expect(
      decide(
        candidate(
          {},
          {
            checkpoints: [
              { seq: 1, gitCommit: A, pushed: false },
              { seq: 2, gitCommit: B, pushed: true },
            ],
          },
        ),
      ),
    ).toEqual({
      remove: false,
      reason: "checkpoint 1 not yet pushed",
    });
    expect(decide(candidate({ pushesPending: true }))).toEqual({
      remove: false,
      reason: "pushes of its checkpoints are under way",
    });
    expect(decide(candidate({ pushesPending: true }, { deleted: true }))).toMatchObject({ remove: false });
  });

  it("ignores checkpoints without a commit (nothing to push)", () => {
    expect(
      decide(
        candidate(
          {},
          {
            checkpoints: [
              { seq: 1, gitCommit: B, pushed: true },
              { seq: 2, gitCommit: null, pushed: false },
            ],
          },
        ),
      ),
    ).toEqual({ remove: true });
  });

  it("keeps a session with nothing on its remote to recreate it from, unless it was deleted", () => {
    expect(decide(candidate({}, { checkpoints: [] }))).toEqual({
      remove: false,
      reason: "nothing of it is on its remote to recreate it from",
    });
    expect(decide(candidate({}, { checkpoints: [{ seq: 1, gitCommit: null, pushed: false }] }))).toMatchObject({
      remove: false,
    });
    expect(decide(candidate({}, { checkpoints: [], deleted: true }), { head: A, dirty: true })).toEqual({
      remove: true,
    });
  });

  it("waits for the grace period after the end, and after the copy was made; a deleted session's folder has none", () => {
    const grace = "it ended, or this copy was made, less than the grace period ago";
    expect(decide(candidate({}, { endedAt: hoursAgo(0.5) }))).toEqual({ remove: false, reason: grace });
    expect(decide(candidate({ changedAt: hoursAgo(0.5) }))).toEqual({ remove: false, reason: grace });
    // Exactly at the grace it goes; a moment before it stays.
    expect(decide(candidate({ changedAt: hoursAgo(1) }, { endedAt: hoursAgo(1) }))).toEqual({ remove: true });
    expect(decide(candidate({ changedAt: new Date(now.getTime() - HOUR + 1).toISOString() }))).toEqual({
      remove: false,
      reason: grace,
    });
    expect(decide(candidate({}, { endedAt: hoursAgo(0) }), clean, 0)).toEqual({ remove: true });
    expect(decide(candidate({ changedAt: hoursAgo(0) }, { endedAt: hoursAgo(0), deleted: true }))).toEqual({
      remove: true,
    });
    // A clock that went back (a change "in the future") removes nothing.
    expect(decide(candidate({ changedAt: hoursAgo(-2) }))).toEqual({ remove: false, reason: grace });
    expect(decide(candidate({}, { endedAt: "not a date" }))).toEqual({ remove: false, reason: grace });
  });

  it("keeps the recorded workspace when it holds what no checkpoint has, or is not at the session's current commit", () => {
    expect(decide(candidate(), { head: B, dirty: true })).toEqual({
      remove: false,
      reason: "it holds changes no checkpoint has",
    });
    expect(decide(candidate(), { head: C, dirty: false })).toEqual({
      remove: false,
      reason: `its HEAD ${C.slice(0, 12)} is not the session's last pushed commit ${B.slice(0, 12)}`,
    });
    expect(decide(candidate(), { head: null, dirty: false })).toEqual({
      remove: false,
      reason: "its git state could not be read",
    });
    expect(decide(candidate(), null)).toEqual({ remove: false, reason: "its git state could not be read" });
  });

  it("takes a restore's or retry's reset as the current commit when it came after every pushed checkpoint", () => {
    const reset = { commit: A, seq: 1, afterSeq: 2, openCodeRewound: true };
    expect(decide(candidate({}, { reset }), { head: A, dirty: false })).toEqual({ remove: true });
    expect(decide(candidate({}, { reset }), { head: B, dirty: false })).toMatchObject({ remove: false });
    // A fresh retry reset to the base, then nothing pushed: the base commit is what the remote gives back.
    expect(
      decide(candidate({}, { checkpoints: [], reset: { commit: C, seq: null, afterSeq: 0, openCodeRewound: false } }), {
        head: C,
        dirty: false,
      }),
    ).toEqual({ remove: true });
  });

  it("removes a copy that is not the recorded workspace, or a deleted session's folder, whatever its git state", () => {
    for (const local of [null, { head: C, dirty: true }]) {
      expect(decide(candidate({ recorded: false }), local)).toEqual({ remove: true });
      expect(decide(candidate({}, { deleted: true }), local)).toEqual({ remove: true });
    }
  });
});

describe("the two halves", () => {
  it("the database's half never looks at the folder's git state; the folder's half only at the recorded workspace of a live session", () => {
    expect(computeWorktreeKeepReason(candidate(), now, HOUR)).toBeNull();
    expect(computeLocalKeepReason(candidate({ recorded: false }), null)).toBeNull();
    expect(computeLocalKeepReason(candidate({ session: null }), null)).toBeNull();
    expect(computeLocalKeepReason(candidate({}, { checkpoints: [] }), clean)).toBe(
      "nothing of it is on its remote to recreate it from",
    );
  });
});

describe("isSessionFolderName", () => {
  it("takes eight lower-case hex digits and nothing else", () => {
    expect(isSessionFolderName("0a1b2c3d")).toBe(true);
    for (const name of ["0a1b2c3", "0a1b2c3d4", "0A1B2C3D", "tree-0a1b2c3d", ".removing-0a1b2c3d", "0a1b2c3g", ""])
      expect(isSessionFolderName(name), name).toBe(false);
  });
});
