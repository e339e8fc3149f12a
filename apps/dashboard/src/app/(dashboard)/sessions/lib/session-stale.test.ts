import { describe, expect, it } from "vitest";
import { qk } from "../../../../lib/query-keys";
import { computeSessionStale } from "./session-stale";

const ID = "11111111-1111-4111-8111-111111111111";
const exact = (queryKey: readonly unknown[]) => ({ queryKey, exact: true });

describe("what a session's own events make stale on its page", () => {
  it("log lines and tool calls mark nothing: the terminal holds them", () => {
    expect(computeSessionStale(ID, ["session.log", "session.tool", "session.log", "session.todo"])).toEqual({
      targets: [],
      diff: false,
    });
  });

  it("a token count refreshes the row only, exactly (not the diff, checkpoints or tree under it)", () => {
    expect(computeSessionStale(ID, ["session.tokens", "session.log"])).toEqual({
      targets: [exact(qk.session(ID))],
      diff: false,
    });
  });

  it("an edit marks the diff (which has its own slower debounce), a checkpoint the list and its verification", () => {
    expect(computeSessionStale(ID, ["session.file_edited"])).toEqual({ targets: [], diff: true });
    expect(computeSessionStale(ID, ["session.checkpoint"])).toEqual({
      targets: [exact(qk.session(ID)), exact(qk.sessionCheckpoints(ID)), exact(qk.sessionVerify(ID))],
      diff: false,
    });
  });

  it("a status change refreshes the row, the tree and the diff; a restore the row, checkpoints and diff", () => {
    expect(computeSessionStale(ID, ["session.status_changed"])).toEqual({
      targets: [exact(qk.session(ID)), exact(qk.sessionTree(ID))],
      diff: true,
    });
    expect(computeSessionStale(ID, ["session.restored"])).toEqual({
      targets: [exact(qk.session(ID)), exact(qk.sessionCheckpoints(ID)), exact(qk.sessionVerify(ID))],
      diff: true,
    });
  });

  it("keys never carry a counter", () => {
    const all = computeSessionStale(ID, ["session.status_changed", "session.checkpoint", "session.restored"]).targets;
    for (const t of all) expect(t.queryKey.every((k) => typeof k === "string")).toBe(true);
  });
});
