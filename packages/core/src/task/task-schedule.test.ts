import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DependencyCycleError } from "../errors";
import type { DependencyType } from "./task";
import { computeCriticalPath } from "./task-graph";
import { computeTreeSchedule, type ScheduleTask } from "./task-schedule";

const t = (id: string, parentTaskId: string | null, hours = 0): ScheduleTask => ({ id, parentTaskId, hours });
/** `b` depends on `a`. */
const e = (a: string, b: string, type: DependencyType = "finish_to_start") => ({ taskId: b, dependsOnTaskId: a, type });
const byId = (s: ReturnType<typeof computeTreeSchedule>) => Object.fromEntries(s.tasks.map((x) => [x.id, x]));

describe("computeTreeSchedule", () => {
  it("a lone root is its own leaf", () => {
    const s = computeTreeSchedule("r", [t("r", null, 3)], []);
    expect(s.tasks).toEqual([
      {
        id: "r",
        leaf: true,
        hours: 3,
        earliestStart: 0,
        earliestFinish: 3,
        latestStart: 0,
        latestFinish: 3,
        slack: 0,
        critical: true,
      },
    ]);
    expect(s.criticalPath).toEqual(["r"]);
    expect(s.totalHours).toBe(3);
  });

  it("an unknown root schedules nothing", () => {
    expect(computeTreeSchedule("x", [t("r", null, 1)], [])).toEqual({
      tasks: [],
      dependencies: [],
      criticalPath: [],
      totalHours: 0,
    });
  });

  it("lists the root first, then depth first in the order given", () => {
    const tasks = [t("r", null), t("a", "r"), t("b", "r"), t("a1", "a", 1), t("a2", "a", 2), t("b1", "b", 1)];
    expect(computeTreeSchedule("r", tasks, []).tasks.map((x) => x.id)).toEqual(["r", "a", "a1", "a2", "b", "b1"]);
  });

  it("a parent spans its leaves; a parent's own hours do not count", () => {
    // r → {a (1 h), b (2 h) after a}; r claims 100 h of its own, which is ignored.
    const s = byId(computeTreeSchedule("r", [t("r", null, 100), t("a", "r", 1), t("b", "r", 2)], [e("a", "b")]));
    expect(s.r).toMatchObject({ leaf: false, hours: 3, earliestStart: 0, earliestFinish: 3, slack: 0, critical: true });
    expect(s.b).toMatchObject({ leaf: true, hours: 2, earliestStart: 1, earliestFinish: 3 });
  });

  it("a dependency on a parent binds each of its leaves", () => {
    // p = {p1 (2 h), p2 (5 h)}; q (1 h) depends on p: it starts after both.
    const tasks = [t("r", null), t("p", "r"), t("p1", "p", 2), t("p2", "p", 5), t("q", "r", 1)];
    const s = computeTreeSchedule("r", tasks, [e("p", "q")]);
    const x = byId(s);
    expect(x.q).toMatchObject({ earliestStart: 5, earliestFinish: 6, slack: 0 });
    expect(x.p1).toMatchObject({ slack: 3, critical: false });
    expect(x.p).toMatchObject({ earliestStart: 0, earliestFinish: 5, slack: 0, critical: true });
    expect(s.dependencies).toEqual([{ ...e("p", "q"), critical: true }]);
    expect(s.criticalPath).toEqual(["p2", "q"]);
    expect(s.totalHours).toBe(6);
  });

  it("a subtree: tasks and dependencies outside it are left out", () => {
    const tasks = [t("r", null), t("a", "r"), t("a1", "a", 1), t("a2", "a", 1), t("b", "r", 4)];
    const s = computeTreeSchedule("a", tasks, [e("a1", "a2"), e("a2", "b")]);
    expect(s.tasks.map((x) => x.id)).toEqual(["a", "a1", "a2"]);
    expect(s.dependencies).toEqual([{ ...e("a1", "a2"), critical: true }]);
    expect(s.totalHours).toBe(2);
  });

  it("an edge with slack is not critical", () => {
    // a (1 h) and c (5 h) both precede b: a's edge leaves a gap.
    const s = computeTreeSchedule(
      "r",
      [t("r", null), t("a", "r", 1), t("b", "r", 1), t("c", "r", 5)],
      [e("a", "b"), e("c", "b")],
    );
    expect(s.dependencies.map((d) => [d.dependsOnTaskId, d.critical])).toEqual([
      ["a", false],
      ["c", true],
    ]);
  });

  it("keeps what the caller's dependencies carry", () => {
    const s = computeTreeSchedule(
      "r",
      [t("r", null), t("a", "r", 1), t("b", "r", 1)],
      [{ ...e("a", "b"), id: "dep-1" }],
    );
    expect(s.dependencies[0]).toMatchObject({ id: "dep-1", critical: true });
  });

  it("a cycle between leaves throws", () => {
    expect(() =>
      computeTreeSchedule("r", [t("r", null), t("a", "r", 1), t("b", "r", 1)], [e("a", "b"), e("b", "a")]),
    ).toThrow(DependencyCycleError);
  });

  it("on a flat tree the leaves' schedule is the critical path method's", () => {
    const types: DependencyType[] = ["finish_to_start", "start_to_start", "finish_to_finish", "start_to_finish"];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 7 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...types)), { maxLength: 10 }),
        (hours, pairs) => {
          const ids = hours.map((_, i) => `l${i}`);
          // Only forward edges (lower index first): no cycle; one edge per pair, as the database keeps them.
          const seen = new Set<string>();
          const deps = pairs
            .map(([a, b, type]) => [a % ids.length, b % ids.length, type] as const)
            .filter(([a, b]) => a < b && !seen.has(`${a}|${b}`) && seen.add(`${a}|${b}`))
            .map(([a, b, type]) => e(ids[a]!, ids[b]!, type));
          const tasks = [t("root", null), ...ids.map((id, i) => t(id, "root", hours[i]!))];
          const tree = computeTreeSchedule("root", tasks, deps);
          const flat = computeCriticalPath(
            ids.map((id, i) => ({ id, hours: hours[i]! })),
            deps,
          );
          for (const id of ids) expect(byId(tree)[id]).toMatchObject(flat.schedule[id]!);
          expect(tree.totalHours).toBe(flat.totalHours);
          expect(tree.criticalPath).toEqual(flat.path);
        },
      ),
    );
  });
});
