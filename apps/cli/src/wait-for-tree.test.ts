import { ApiError, type ApiClient, type TaskTreeNode } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import type { CliContext } from "./context";
import { createColors } from "./format/colors";
import { treeFixture } from "./format/task-fixture";
import { waitForTree } from "./wait-for-tree";

type Answer = { root: TaskTreeNode; dependencies: [] } | Error;

const execution = (state: "running" | "finished" | "cancelled") => ({
  state,
  repository: "/r",
  baseRef: "HEAD",
  baseCommit: "abc",
  branch: "b",
  path: "/p",
  startedAt: "",
  finishedAt: null,
});

/** The tree at some point of its execution: `done` leaves completed. */
function tree(done: number, state: "running" | "finished" | "cancelled"): Answer {
  const { root } = treeFixture();
  const children = root.children.map((c, i) => ({
    ...c,
    status: i < done ? ("completed" as const) : ("pending" as const),
    error: null,
  }));
  const percent = Math.round((done / children.length) * 100);
  return {
    root: {
      ...root,
      children,
      execution: execution(state),
      status: state === "running" ? "running" : "completed",
      progress: { done, total: children.length, percent },
    },
    dependencies: [],
  };
}

/** A piped (non-interactive) context whose client answers the tree route from a list, and which keeps its notes. */
function context(answers: Answer[]) {
  const notes: string[] = [];
  const client = {
    baseUrl: "http://test",
    call: async () => {
      const next = answers.shift();
      if (!next) throw new Error("no more answers");
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as ApiClient;
  const plain = createColors(false);
  const ctx = {
    json: false,
    interactive: false,
    colors: plain,
    errColors: plain,
    client,
    note: (t: string) => void notes.push(t),
  } as unknown as CliContext;
  return { ctx, notes };
}

describe("waitForTree", () => {
  it("polls until the execution ends, noting each change as a plain line", async () => {
    const { ctx, notes } = context([tree(0, "running"), tree(0, "running"), tree(5, "finished")]);
    const sleeps: number[] = [];
    const final = await waitForTree(ctx, "root", { sleep: async (ms) => void sleeps.push(ms) });
    expect(final.root.execution?.state).toBe("finished");
    expect(sleeps).toEqual([1000, 1000]);
    expect(notes[0]).toBe("00000000 running 0% (0/5 leaves)");
    expect(notes).toContain("a0000000 Design the schema: pending → completed");
    expect(notes.at(-1)).toBe("00000000 completed 100% (5/5 leaves), execution finished");
  });

  it("rides out a server restart (503) but not a 404", async () => {
    const unavailable = new ApiError(503, { code: "UNAVAILABLE", message: "restarting", requestId: "r" });
    const { ctx } = context([unavailable, tree(5, "cancelled")]);
    expect((await waitForTree(ctx, "root", { sleep: async () => {} })).root.execution?.state).toBe("cancelled");
    const missing = new ApiError(404, { code: "NOT_FOUND", message: "no such task", requestId: "r" });
    await expect(waitForTree(context([missing]).ctx, "root", { sleep: async () => {} })).rejects.toBe(missing);
  });
});
