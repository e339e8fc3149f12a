import { describe, expect, it } from "vitest";
import type { SessionStatus } from "../session/session-status";
import { computeEstimate, type Task, type TaskDependency, type TaskStatus } from "./task";
import { planTreeStep } from "./task-execution";

const estimate = computeEstimate({ optimistic: 1, likely: 1, pessimistic: 1, source: "manual" });
const task = (id: string, status: TaskStatus, extra: Partial<Task> = {}): Task => ({
  id,
  tenantId: "t",
  parentTaskId: id === "root" ? null : "root",
  rootTaskId: "root",
  position: 0,
  title: id,
  description: "",
  type: "execution",
  status,
  priority: "medium",
  requiredCapabilities: [],
  estimate,
  complexity: "simple",
  sessionId: null,
  result: null,
  error: null,
  execution: null,
  createdBy: null,
  createdAt: "",
  updatedAt: "",
  startedAt: null,
  completedAt: null,
  ...extra,
});
const dep = (
  taskId: string,
  dependsOnTaskId: string,
  type: TaskDependency["type"] = "finish_to_start",
): TaskDependency => ({ id: `${taskId}<${dependsOnTaskId}`, taskId, dependsOnTaskId, type });
const none = new Map<string, SessionStatus>();

describe("planTreeStep", () => {
  it("starts the leaves whose prerequisites allow it, and rolls the root up to running", () => {
    const tree = {
      tasks: [task("root", "pending"), task("a", "pending"), task("b", "pending"), task("c", "pending")],
      dependencies: [dep("c", "a"), dep("c", "b")],
    };
    expect(planTreeStep(tree, none)).toEqual([
      { kind: "start", taskId: "a" },
      { kind: "start", taskId: "b" },
      { kind: "rollup", taskId: "root", status: "running" },
    ]);
  });

  it("merges a completed session's task, and nothing else moves until the merge ran", () => {
    const tree = {
      tasks: [task("root", "running"), task("a", "running", { sessionId: "s1" }), task("c", "pending")],
      dependencies: [dep("c", "a")],
    };
    expect(planTreeStep(tree, new Map([["s1", "completed"]]))).toEqual([
      { kind: "merge", taskId: "a", sessionId: "s1" },
    ]);
  });

  it("waits while a session is pending or running (a retry included)", () => {
    const tree = { tasks: [task("root", "running"), task("a", "running", { sessionId: "s1" })], dependencies: [] };
    expect(planTreeStep(tree, new Map([["s1", "pending"]]))).toEqual([]);
    expect(planTreeStep(tree, new Map([["s1", "running"]]))).toEqual([]);
  });

  it("fails a leaf whose session failed, blocks its dependants, finishes the rest, and ends partially completed", () => {
    const tree = {
      tasks: [
        task("root", "running"),
        task("a", "running", { sessionId: "s1" }),
        task("b", "pending"),
        task("c", "completed"),
      ],
      dependencies: [dep("b", "a")],
    };
    expect(planTreeStep(tree, new Map([["s1", "failed"]]))).toEqual([
      { kind: "fail", taskId: "a", message: "its session ended failed" },
      { kind: "block", taskId: "b", message: 'prerequisite "a" failed' },
      { kind: "rollup", taskId: "root", status: "partially_completed" },
      { kind: "finish" },
    ]);
  });

  it("holds a finish_to_finish dependant's merge until its prerequisite completed", () => {
    const tree = {
      tasks: [
        task("root", "running"),
        task("a", "running", { sessionId: "s1" }),
        task("b", "running", { sessionId: "s2" }),
      ],
      dependencies: [dep("b", "a", "finish_to_finish")],
    };
    expect(
      planTreeStep(
        tree,
        new Map<string, SessionStatus>([
          ["s1", "running"],
          ["s2", "completed"],
        ]),
      ),
    ).toEqual([]);
    expect(
      planTreeStep(
        tree,
        new Map<string, SessionStatus>([
          ["s1", "completed"],
          ["s2", "completed"],
        ]),
      ),
    ).toEqual([{ kind: "merge", taskId: "a", sessionId: "s1" }]);
  });

  it("an edge on a parent binds its leaves", () => {
    const tasks = [
      task("root", "running"),
      task("p", "pending"),
      task("q", "pending"),
      task("p1", "pending", { parentTaskId: "p" }),
      task("q1", "pending", { parentTaskId: "q" }),
    ];
    const actions = planTreeStep({ tasks, dependencies: [dep("q", "p")] }, none);
    expect(actions.filter((a) => a.kind === "start")).toEqual([{ kind: "start", taskId: "p1" }]);
  });

  it("merges in the order of inherited edges: a leaf under a dependant parent after the prerequisite parent's leaves", () => {
    // q starts with p (start_to_start), so q's leaf q1 may complete in the same step as p1;
    // q1 comes first by position, but its parent depends on p: p1 merges first.
    const tasks = [
      task("root", "running"),
      task("q", "running", { position: 0 }),
      task("p", "running", { position: 1 }),
      task("q1", "running", { parentTaskId: "q", sessionId: "s2", position: 0 }),
      task("p1", "running", { parentTaskId: "p", sessionId: "s1", position: 5 }),
    ];
    const actions = planTreeStep(
      { tasks, dependencies: [dep("q", "p", "start_to_start")] },
      new Map<string, SessionStatus>([
        ["s1", "completed"],
        ["s2", "completed"],
      ]),
    );
    expect(actions.filter((a) => a.kind === "merge").map((a) => a.taskId)).toEqual(["p1", "q1"]);
  });

  it("finishes a tree with nothing left to run", () => {
    const tree = { tasks: [task("root", "completed"), task("a", "completed"), task("b", "skipped")], dependencies: [] };
    expect(planTreeStep(tree, none)).toEqual([{ kind: "finish" }]);
  });
});
