import { describe, expect, it } from "vitest";
import { extractJsonBlock, planFromLlm } from "./llm-plan";

const h = (optimistic: number, likely: number, pessimistic: number) => ({ optimistic, likely, pessimistic });
const valid = () => ({
  tasks: [
    {
      key: "schema",
      title: "Design the schema",
      description: "Tables for users and roles.",
      type: "planning",
      requiredCapabilities: ["system_design"],
      hours: h(1, 2, 4),
    },
    { key: "api", title: "Users endpoints", description: "CRUD over HTTP.", hours: h(2, 3, 7), dependsOn: ["schema"] },
    {
      key: "tests",
      title: "Test the endpoints",
      description: "",
      hours: h(1, 1, 2),
      dependsOn: ["api", "schema", "api"],
    },
  ],
});

/** The errors of an invalid plan (fails the test when it is valid). */
function errorsOf(json: unknown) {
  const r = planFromLlm(json);
  if (r.ok) throw new Error("expected the plan to be refused");
  return r.errors;
}

describe("planFromLlm", () => {
  it("accepts a valid plan as a flat DecompositionPlan with finish_to_start edges", () => {
    const r = planFromLlm(valid());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.plan.template).toBeNull();
    expect(r.plan.tasks.map((t) => [t.key, t.parentKey, t.type, t.requiredCapabilities])).toEqual([
      ["schema", null, "planning", ["system_design"]],
      ["api", null, "execution", ["code_generation"]], // inferred: nothing named, so code_generation
      ["tests", null, "execution", ["test_generation"]], // inferred from "Test"
    ]);
    expect(r.plan.tasks[0]!.estimate).toMatchObject({
      optimistic: 1,
      likely: 2,
      pessimistic: 4,
      expected: 13 / 6,
      source: "heuristic",
    });
    // The repeated "api" is one edge.
    expect(r.plan.edges).toEqual([
      { fromKey: "schema", toKey: "api", type: "finish_to_start" },
      { fromKey: "api", toKey: "tests", type: "finish_to_start" },
      { fromKey: "schema", toKey: "tests", type: "finish_to_start" },
    ]);
  });

  it("names the path of every schema error", () => {
    const plan = valid() as { tasks: Record<string, unknown>[] };
    plan.tasks[0]!.title = "";
    plan.tasks[1]!.requiredCapabilities = ["mind_reading"];
    plan.tasks[2]!.priority = "high";
    delete plan.tasks[2]!.hours;
    const paths = errorsOf(plan).map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(["tasks.0.title", "tasks.1.requiredCapabilities.0", "tasks.2.hours", "tasks.2"]),
    );
    const unknownKey = errorsOf(plan).find((e) => e.path === "tasks.2")!;
    expect(unknownKey.reason).toMatch(/priority/);
  });

  it("refuses a plan that is not an object, has no tasks or too many", () => {
    expect(errorsOf(null)[0]!.path).toBe("");
    expect(errorsOf({ tasks: [] })[0]!.path).toBe("tasks");
    const many = {
      tasks: Array.from({ length: 51 }, (_, i) => ({ key: `t${i}`, title: "x", description: "", hours: h(1, 1, 1) })),
    };
    expect(errorsOf(many)[0]!.path).toBe("tasks");
    expect(errorsOf({ tasks: valid().tasks, notes: "hi" })[0]!.path).toBe("");
  });

  it("refuses a title over 200 characters, a bad key, negative hours and an unknown type", () => {
    const t = { key: "a", title: "x".repeat(201), description: "", hours: h(1, 1, 1) };
    expect(errorsOf({ tasks: [t] }).map((e) => e.path)).toEqual(["tasks.0.title"]);
    expect(errorsOf({ tasks: [{ ...t, title: "ok", key: "has space" }] }).map((e) => e.path)).toEqual(["tasks.0.key"]);
    expect(errorsOf({ tasks: [{ ...t, title: "ok", hours: h(-1, 1, 1) }] }).map((e) => e.path)).toEqual([
      "tasks.0.hours.optimistic",
    ]);
    expect(errorsOf({ tasks: [{ ...t, title: "ok", type: "coding" }] }).map((e) => e.path)).toEqual(["tasks.0.type"]);
  });

  it("refuses optimistic > likely or likely > pessimistic", () => {
    const plan = valid();
    plan.tasks[1]!.hours = h(3, 2, 7);
    plan.tasks[2]!.hours = h(1, 3, 2);
    expect(errorsOf(plan)).toEqual([
      { path: "tasks.1.hours", reason: "need optimistic ≤ likely ≤ pessimistic (got 3, 2, 7)" },
      { path: "tasks.2.hours", reason: "need optimistic ≤ likely ≤ pessimistic (got 1, 3, 2)" },
    ]);
  });

  it("refuses duplicate keys and unknown dependencies, naming where", () => {
    const plan = valid();
    plan.tasks[2]!.key = "api";
    plan.tasks[1]!.dependsOn = ["schema", "nowhere"];
    expect(errorsOf(plan)).toEqual([
      { path: "tasks.2.key", reason: 'duplicate key "api" (also tasks.1.key)' },
      { path: "tasks.1.dependsOn.1", reason: 'unknown task key "nowhere"' },
    ]);
  });

  it("refuses cycles and names them", () => {
    const plan = valid();
    plan.tasks[0]!.dependsOn = ["tests"];
    plan.tasks[2]!.dependsOn = ["api"];
    const errors = errorsOf(plan);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe("tasks.2.dependsOn.0");
    expect(errors[0]!.reason).toBe("dependency cycle: tests → api → schema → tests");
  });

  it("refuses a task depending on itself", () => {
    const plan = valid();
    plan.tasks[0]!.dependsOn = ["schema"];
    expect(errorsOf(plan)).toEqual([{ path: "tasks.0.dependsOn.0", reason: "dependency cycle: schema → schema" }]);
  });
});

describe("extractJsonBlock", () => {
  it("takes the last ```json block", () => {
    const text = 'Plan:\n```json\n{"a": 1}\n```\nOn second thought:\n```json\n{"a": 2}\n```\nDone.';
    expect(extractJsonBlock(text)).toEqual({ a: 2 });
  });

  it("accepts JSON in upper case tags, and an untagged block when none is tagged", () => {
    expect(extractJsonBlock('```JSON\n{"a": 1}\n```')).toEqual({ a: 1 });
    expect(extractJsonBlock('Here:\n```\n{"tasks": []}\n```')).toEqual({ tasks: [] });
    expect(extractJsonBlock("```ts\nconst x = 1;\n```\n```json\n[1]\n```")).toEqual([1]);
  });

  it("takes the whole text when it is JSON", () => {
    expect(extractJsonBlock('  {"tasks": [1, 2]}\n')).toEqual({ tasks: [1, 2] });
  });

  it("undefined when there is no JSON or the block does not parse", () => {
    expect(extractJsonBlock("no json here")).toBeUndefined();
    expect(extractJsonBlock("```json\n{not json}\n```")).toBeUndefined();
    expect(extractJsonBlock("")).toBeUndefined();
  });
});
