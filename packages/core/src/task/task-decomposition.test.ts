import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_CAPABILITIES, type Capability } from "../agent/agent";
import { InvalidInputError } from "../errors";
import { complexityOf, computeEstimate } from "./task";
import { planDecomposition, splitSteps, type DecompositionPlan, type PlannedTask } from "./task-decomposition";
import { topologicalOrder } from "./task-graph";
import { TASK_TEMPLATES, TEMPLATE_NAMES } from "./task-templates";

const task = (title: string, description: string, hours: number, requiredCapabilities: Capability[] = []) => ({
  title,
  description,
  requiredCapabilities,
  estimate: computeEstimate({ optimistic: hours, likely: hours, pessimistic: hours, source: "manual" }),
});
const byKey = (plan: DecompositionPlan) => new Map(plan.tasks.map((t) => [t.key, t]));
const keysOf = (plan: DecompositionPlan, parentKey: string | null) =>
  plan.tasks.filter((t) => t.parentKey === parentKey).map((t) => t.key);
const edgesOf = (plan: DecompositionPlan) => plan.edges.map((e) => `${e.fromKey}→${e.toKey}`);
const leaves = (plan: DecompositionPlan) => plan.tasks.filter((t) => !plan.tasks.some((c) => c.parentKey === t.key));
const depth = (t: PlannedTask) => t.key.split(".").length;

/** The structural promises every plan keeps. */
function expectWellFormed(plan: DecompositionPlan, rootHours: number, maxDepth: number) {
  const keys = plan.tasks.map((t) => t.key);
  expect(new Set(keys).size).toBe(keys.length);
  const seen = new Set<string>();
  for (const t of plan.tasks) {
    if (t.parentKey !== null) {
      expect(seen.has(t.parentKey), `${t.parentKey} listed before ${t.key}`).toBe(true);
      expect(t.key.startsWith(`${t.parentKey}.`)).toBe(true);
    }
    seen.add(t.key);
    expect(depth(t)).toBeLessThanOrEqual(maxDepth);
    expect(t.title.length).toBeGreaterThan(0);
    expect(t.title.length).toBeLessThanOrEqual(200);
    expect(t.requiredCapabilities.length).toBeGreaterThan(0);
    expect(t.estimate.source).toBe("heuristic");
  }
  // Edges join siblings and form no cycle.
  const tasks = byKey(plan);
  for (const e of plan.edges) expect(tasks.get(e.fromKey)!.parentKey).toBe(tasks.get(e.toKey)!.parentKey);
  topologicalOrder(
    keys,
    plan.edges.map((e) => ({ taskId: e.toKey, dependsOnTaskId: e.fromKey })),
  );
  // Hours are shared out: children add up to their parent, the top level to the task.
  const sum = (parentKey: string | null) =>
    plan.tasks.filter((t) => t.parentKey === parentKey).reduce((a, t) => a + t.estimate.expected, 0);
  expect(Math.abs(sum(null) - rootHours)).toBeLessThanOrEqual(0.01 * Math.max(1, keysOf(plan, null).length));
  for (const t of plan.tasks)
    if (keysOf(plan, t.key).length > 0)
      expect(Math.abs(sum(t.key) - t.estimate.expected)).toBeLessThanOrEqual(0.01 * keysOf(plan, t.key).length);
}

describe("planDecomposition with a template", () => {
  it("uses the named template's phases, shares, capabilities and edges", () => {
    const plan = planDecomposition(task("Invoices", "Keep track of invoices.", 20), {
      template: "web_service",
      maxDepth: 1,
    });
    expect(plan.template).toBe("web_service");
    expect(keysOf(plan, null)).toEqual(["requirements", "design", "implementation", "tests", "deployment"]);
    expect(plan.tasks.map((t) => t.estimate.expected)).toEqual([2, 3, 9, 4, 2]);
    expect(edgesOf(plan)).toEqual([
      "requirements→design",
      "design→implementation",
      "implementation→tests",
      "tests→deployment",
    ]);
    expect(plan.edges.every((e) => e.type === "finish_to_start")).toBe(true);
    const impl = byKey(plan).get("implementation")!;
    expect(impl).toMatchObject({
      parentKey: null,
      title: "Implementation: Invoices",
      type: "execution",
      requiredCapabilities: ["code_generation"],
    });
    expect(impl.description).toContain("Keep track of invoices.");
    expect(impl.estimate).toMatchObject({ optimistic: 6.3, likely: 9, pessimistic: 11.7, source: "heuristic" });
    expectWellFormed(plan, 20, 1);
  });

  it("chooses the template by trigger words, the title first", () => {
    expect(
      planDecomposition(task("Users REST API", "Store users. Add login with JWT.", 8), { maxDepth: 1 }).template,
    ).toBe("web_service");
    expect(planDecomposition(task("Users", "Add login with JWT.", 8), { maxDepth: 1 }).template).toBe("security");
    const crud = planDecomposition(task("Customer CRUD", "", 10), { maxDepth: 1 });
    expect(crud.template).toBe("crud");
    expect(keysOf(crud, null)).toEqual(["create", "read", "update", "delete", "tests"]);
    expect(edgesOf(crud).sort()).toEqual(["create→tests", "delete→tests", "read→tests", "update→tests"]);
  });

  it("the named template wins over trigger words", () => {
    expect(planDecomposition(task("Refactor the login API", "", 8), { template: "ui", maxDepth: 1 }).template).toBe(
      "ui",
    );
  });

  it("heuristicsOnly splits the text even when a template matches", () => {
    const plan = planDecomposition(task("Refactor the login API", "Move the handlers. Rename the routes.", 3), {
      heuristicsOnly: true,
      maxDepth: 2,
    });
    expect(plan.template).toBeNull();
    expect(plan.tasks.map((t) => t.title)).toEqual(["Move the handlers", "Rename the routes"]);
  });

  it("every template gives leaves with its phases' capabilities", () => {
    for (const name of TEMPLATE_NAMES) {
      // heuristicsOnly: no template inside a phase, whose leaves would have that template's capabilities instead.
      const plan = planDecomposition(task("Something", "First part. Second part.", 60), {
        template: name,
        heuristicsOnly: true,
        maxDepth: 3,
      });
      expectWellFormed(plan, 60, 3);
      for (const phase of TASK_TEMPLATES[name].phases)
        for (const leaf of leaves(plan).filter((l) => l.key === phase.key || l.key.startsWith(`${phase.key}.`)))
          expect(leaf.requiredCapabilities).toEqual(expect.arrayContaining(phase.capabilities));
    }
  });
});

describe("planDecomposition by heuristics", () => {
  it("one subtask per bullet, in sequence, hours shared by each step's size", () => {
    const plan = planDecomposition(
      task("Shop", "- Add a product list\n- Add a cart\n- Fix the checkout bug\n- Write the docs", 10),
      { maxDepth: 1 },
    );
    expect(plan.template).toBeNull();
    expect(plan.tasks.map((t) => [t.key, t.title, t.type, t.requiredCapabilities])).toEqual([
      ["1", "Add a product list", "execution", ["code_generation"]],
      ["2", "Add a cart", "execution", ["code_generation"]],
      ["3", "Fix the checkout bug", "debug", ["debugging"]],
      ["4", "Write the docs", "execution", ["documentation"]],
    ]);
    expect(edgesOf(plan)).toEqual(["1→2", "2→3", "3→4"]);
    // Weighted by each step's own estimate (0.5 h + 0.1 h per word, to the quarter: 1, 0.75, 1, 0.75) out of 10 h.
    expect(plan.tasks.map((t) => t.estimate.expected)).toEqual([2.86, 2.14, 2.86, 2.14]);
    expectWellFormed(plan, 10, 1);
  });

  it("one subtask per sentence of prose", () => {
    const plan = planDecomposition(
      task("Reports", "Collect the numbers nightly. Render a PDF!\nMail it to the owners?", 3),
      { maxDepth: 1 },
    );
    expect(plan.tasks.map((t) => t.title)).toEqual([
      "Collect the numbers nightly",
      "Render a PDF",
      "Mail it to the owners?",
    ]);
    expect(plan.tasks[0]!.description).toMatch(/^Collect the numbers nightly\.\n\nPart of: Reports\n\n/);
  });

  it("splits a single sentence into implement and verify (always at least two subtasks)", () => {
    const plan = planDecomposition(task("Add a users table", "", 2), { maxDepth: 3 });
    expect(plan.tasks.map((t) => [t.title, t.requiredCapabilities, t.estimate.expected])).toEqual([
      ["Implement: Add a users table", ["code_generation"], 1.4],
      ["Verify: Add a users table", ["test_generation"], 0.6],
    ]);
    expect(edgesOf(plan)).toEqual(["1→2"]);
  });

  it("steps that name nothing take the task's own capabilities", () => {
    const plan = planDecomposition(task("Harden", "Check the inputs. Check the outputs.", 2, ["security_audit"]), {
      maxDepth: 1,
    });
    expect(plan.tasks.map((t) => t.requiredCapabilities)).toEqual([["security_audit"], ["security_audit"]]);
    expect(plan.tasks.map((t) => t.type)).toEqual(["review", "review"]);
  });

  it("groups more than eight steps into eight, in order", () => {
    const text = Array.from({ length: 20 }, (_, i) => `Step ${i + 1}.`).join(" ");
    expect(splitSteps(text)).toHaveLength(8);
    expect(splitSteps(text)[0]).toBe("Step 1. Step 2.");
    expect(splitSteps(text).join(" ")).toBe(text);
  });

  it("splitSteps: bullets, numbered lines, wrapped paragraphs, noise", () => {
    expect(splitSteps("1. one thing\n2) another\n* third\n• fourth\n+ fifth")).toEqual([
      "one thing",
      "another",
      "third",
      "fourth",
      "fifth",
    ]);
    expect(splitSteps("A sentence that\nwraps. And another.\n\n- a bullet\n---\n")).toEqual([
      "A sentence that wraps.",
      "And another.",
      "a bullet",
    ]);
    expect(splitSteps("")).toEqual([]);
  });
});

describe("planDecomposition recursion", () => {
  it("splits any planned task above moderate until every leaf is at most moderate", () => {
    const plan = planDecomposition(
      task("Users REST API", "Expose users over HTTP. Store them in Postgres. Add paging.", 40),
      { maxDepth: 4 },
    );
    expect(plan.template).toBe("web_service");
    // implementation is 18 h (expert): split by the task's sentences, keys implementation.1…
    expect(keysOf(plan, "implementation")).toEqual(["implementation.1", "implementation.2", "implementation.3"]);
    expect(byKey(plan).get("implementation.1")!.title).toBe("Implementation: Expose users over HTTP");
    expect(edgesOf(plan)).toContain("implementation.1→implementation.2");
    for (const leaf of leaves(plan))
      expect(["trivial", "simple", "moderate"]).toContain(complexityOf(leaf.estimate.expected));
    // requirements is 4 h (complex): split too; deployment at 4 h likewise.
    expect(keysOf(plan, "requirements").length).toBeGreaterThanOrEqual(2);
    expectWellFormed(plan, 40, 4);
  });

  it("uses a matching template inside a phase, never one used above it", () => {
    const plan = planDecomposition(task("Shop platform", "", 60), { template: "microservice", maxDepth: 2 });
    // "Shared authentication" (9 h) matches security.
    expect(keysOf(plan, "auth")).toEqual(["auth.design", "auth.implementation", "auth.tests", "auth.audit"]);
    expect(byKey(plan).get("auth.audit")!.requiredCapabilities).toEqual(["security_audit", "compliance_check"]);
    expect(edgesOf(plan)).toContain("auth.design→auth.implementation");
    expectWellFormed(plan, 60, 2);
  });

  it("respects maxDepth: 1 plans only direct children, whatever their size", () => {
    const plan = planDecomposition(task("Billing", "Build the billing system.", 200), { maxDepth: 1 });
    expect(plan.tasks.every((t) => t.parentKey === null)).toBe(true);
    expect(plan.tasks.some((t) => complexityOf(t.estimate.expected) === "expert")).toBe(true);
  });

  it("a huge one-sentence task is cut into parts until leaves are moderate", () => {
    const plan = planDecomposition(task("Billing", "Build the billing system.", 100), { maxDepth: 5 });
    expectWellFormed(plan, 100, 5);
    for (const leaf of leaves(plan)) expect(complexityOf(leaf.estimate.expected)).not.toMatch(/complex|expert/);
    expect(byKey(plan).get("1.1")!.title).toBe("Implement: Build the billing system (part 1 of 8)");
    expect(byKey(plan).get("1.1.2")!.title).toBe("Implement: Build the billing system (part 1 of 8) (part 2 of 3)");
    expect(Math.max(...plan.tasks.map(depth))).toBe(3);
  });

  it("keeps keys unique, parents first, edges between siblings, depth ≤ maxDepth, hours conserved (random tasks)", () => {
    const word = fc.constantFrom(
      "design",
      "test",
      "fix",
      "the",
      "api",
      "crud",
      "login",
      "page",
      "service",
      "docs",
      "store",
      "users",
      "refactor",
      "deploy",
      "and",
    );
    const sentence = fc.array(word, { minLength: 1, maxLength: 8 }).map((ws) => `${ws.join(" ")}.`);
    fc.assert(
      fc.property(
        fc.array(sentence, { minLength: 0, maxLength: 10 }),
        fc.array(word, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 400 }).map((q) => q / 4),
        fc.integer({ min: 1, max: 5 }),
        fc.option(fc.constantFrom(...TEMPLATE_NAMES), { nil: undefined }),
        fc.boolean(),
        (sentences, titleWords, hours, maxDepth, template, heuristicsOnly) => {
          const plan = planDecomposition(task(titleWords.join(" "), sentences.join(" "), hours), {
            ...(template ? { template } : {}),
            heuristicsOnly,
            maxDepth,
          });
          expect(keysOf(plan, null).length).toBeGreaterThanOrEqual(2);
          expectWellFormed(plan, hours, maxDepth);
          const routable = (caps: readonly Capability[]) => caps.length > 0;
          for (const t of plan.tasks) expect(routable(t.requiredCapabilities)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("refuses maxDepth outside 1–5", () => {
    for (const maxDepth of [0, 6, 2.5, Number.NaN])
      expect(() => planDecomposition(task("x", "", 1), { maxDepth })).toThrow(InvalidInputError);
  });
});

describe("planDecomposition capabilities", () => {
  it("template phases ask for what one default agent type has", () => {
    const plan = planDecomposition(task("Invoices API", "", 2), { maxDepth: 1 });
    for (const t of plan.tasks)
      expect(
        Object.values(DEFAULT_CAPABILITIES).some((caps) => t.requiredCapabilities.every((c) => caps.includes(c))),
      ).toBe(true);
  });
});
