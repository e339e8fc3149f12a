import { describe, expect, it } from "vitest";
import { DEPENDENCY_TYPES, TASK_STATUSES, type DependencyType, type TaskStatus } from "./task";
import { canFinish, canStart, computeReadiness, isBlockedBy } from "./task-graph";

// The whole table, one row per dependency type, one letter per prerequisite
// status in TASK_STATUSES order:
//   pending ready running completed failed blocked cancelled skipped partially_completed
// S = the dependant may start, F = it may finish, B = it is blocked, - = none of these.
const TABLE: Record<DependencyType, string> = {
  //                 pend  ready  run    done   fail  blkd  canc  skip   partial
  finish_to_start: "F     F      F      SF     B     B     B     SF     B",
  start_to_start: " F     F      SF     SF     B     B     B     SF     B",
  finish_to_finish: "S     S      S      SF     B     B     B     SF     B",
  start_to_finish: "S     S      SF     SF     B     B     B     SF     B",
};

const cells = (type: DependencyType) => TABLE[type].trim().split(/\s+/);

describe("readiness by dependency type (the whole table)", () => {
  for (const type of DEPENDENCY_TYPES)
    TASK_STATUSES.forEach((prerequisite, i) => {
      const cell = cells(type)[i]!;
      it(`${type} on a ${prerequisite} prerequisite: ${cell}`, () => {
        const deps = [{ type, prerequisite }];
        expect(canStart(deps)).toBe(cell.includes("S"));
        expect(canFinish(deps)).toBe(cell.includes("F"));
        expect(isBlockedBy(deps)).toBe(cell === "B");
      });
    });
});

describe("readiness over several dependencies", () => {
  const dep = (type: DependencyType, prerequisite: TaskStatus) => ({ type, prerequisite });

  it("no dependencies: start, finish, never blocked", () => {
    expect(canStart([])).toBe(true);
    expect(canFinish([])).toBe(true);
    expect(isBlockedBy([])).toBe(false);
    expect(computeReadiness([])).toBe("ready");
  });

  it("needs every dependency satisfied", () => {
    const deps = [dep("finish_to_start", "completed"), dep("start_to_start", "pending")];
    expect(canStart(deps)).toBe(false);
    expect(computeReadiness(deps)).toBe("pending");
    expect(canStart([dep("finish_to_start", "completed"), dep("start_to_start", "running")])).toBe(true);
  });

  it("one dead prerequisite blocks, whatever the others", () => {
    const deps = [dep("finish_to_start", "completed"), dep("finish_to_finish", "cancelled")];
    expect(isBlockedBy(deps)).toBe(true);
    expect(canStart(deps)).toBe(false);
    expect(computeReadiness(deps)).toBe("blocked");
  });

  it("a task with a finish_to_finish dependency starts at once, and is held at the finish until the prerequisite completes", () => {
    const running = [dep("finish_to_finish", "running")];
    expect(canStart(running)).toBe(true);
    expect(canFinish(running)).toBe(false);
    expect(canFinish([dep("finish_to_finish", "completed")])).toBe(true);
  });

  it("skipped counts as satisfied for every type", () => {
    for (const type of DEPENDENCY_TYPES) {
      expect(canStart([dep(type, "skipped")])).toBe(true);
      expect(canFinish([dep(type, "skipped")])).toBe(true);
      expect(computeReadiness([dep(type, "skipped")])).toBe("ready");
    }
  });
});
