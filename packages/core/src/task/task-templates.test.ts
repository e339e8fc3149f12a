import { describe, expect, it } from "vitest";
import { DEFAULT_CAPABILITIES } from "../agent/agent";
import { topologicalOrder } from "./task-graph";
import { inferCapabilities } from "./task-heuristics";
import {
  chooseTemplate,
  matchTemplates,
  TASK_TEMPLATES,
  TEMPLATE_MATCH_ORDER,
  TEMPLATE_NAMES,
  type TemplateName,
} from "./task-templates";

const keys = (name: TemplateName) => TASK_TEMPLATES[name].phases.map((p) => p.key);
const edgesOf = (name: TemplateName) => TASK_TEMPLATES[name].edges.map((e) => `${e.from}→${e.to}`);

describe("task templates", () => {
  it("are the six of the spec, each under its own name, all tried when matching", () => {
    expect(Object.keys(TASK_TEMPLATES).sort()).toEqual([...TEMPLATE_NAMES].sort());
    for (const name of TEMPLATE_NAMES) expect(TASK_TEMPLATES[name].name).toBe(name);
    expect([...TEMPLATE_MATCH_ORDER].sort()).toEqual([...TEMPLATE_NAMES].sort());
  });

  describe.each(TEMPLATE_NAMES)("%s", (name) => {
    const t = TASK_TEMPLATES[name];

    it("has unique phase keys without dots, and titles", () => {
      expect(new Set(keys(name)).size).toBe(t.phases.length);
      for (const p of t.phases) {
        expect(p.key).toMatch(/^[a-z_]+$/);
        expect(p.title.length).toBeGreaterThan(0);
        expect(p.description.length).toBeGreaterThan(0);
      }
    });

    it("has shares in (0, 1) summing to 1", () => {
      for (const p of t.phases) {
        expect(p.share).toBeGreaterThan(0);
        expect(p.share).toBeLessThan(1);
      }
      expect(t.phases.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 12);
    });

    it("has edges between its own phases, without duplicates or cycles", () => {
      for (const e of t.edges) {
        expect(keys(name)).toContain(e.from);
        expect(keys(name)).toContain(e.to);
      }
      expect(new Set(edgesOf(name)).size).toBe(t.edges.length);
      const order = topologicalOrder(
        keys(name),
        t.edges.map((e) => ({ taskId: e.to, dependsOnTaskId: e.from })),
      );
      expect(order).toHaveLength(t.phases.length);
    });

    it("asks per phase for capabilities one default agent type has, even with what its title implies", () => {
      for (const p of t.phases) {
        const needed = new Set([...p.capabilities, ...inferCapabilities(p.title)]);
        const fits = Object.values(DEFAULT_CAPABILITIES).some((caps) => [...needed].every((c) => caps.includes(c)));
        expect(fits, `${name}.${p.key} needs ${[...needed].join(", ")}`).toBe(true);
        expect(p.capabilities.length).toBeGreaterThan(0);
      }
    });

    it("has triggers that choose it", () => {
      expect(t.triggers.length).toBeGreaterThan(0);
      for (const trigger of t.triggers) expect(matchTemplates(trigger).map((m) => m.name)).toContain(name);
    });
  });

  it("web_service: requirements → design → implementation → tests → deployment", () => {
    expect(keys("web_service")).toEqual(["requirements", "design", "implementation", "tests", "deployment"]);
    expect(edgesOf("web_service")).toEqual([
      "requirements→design",
      "design→implementation",
      "implementation→tests",
      "tests→deployment",
    ]);
  });

  it("refactoring: analysis → plan → change → verification", () => {
    expect(keys("refactoring")).toEqual(["analysis", "plan", "change", "verification"]);
    expect(edgesOf("refactoring")).toEqual(["analysis→plan", "plan→change", "change→verification"]);
  });

  it("security: design → implementation → tests → audit", () => {
    expect(keys("security")).toEqual(["design", "implementation", "tests", "audit"]);
    expect(edgesOf("security")).toEqual(["design→implementation", "implementation→tests", "tests→audit"]);
    expect(TASK_TEMPLATES.security.phases.find((p) => p.key === "audit")!.capabilities).toContain("security_audit");
  });

  it("crud: create, read, update and delete in parallel, then tests depending on all four (exactly 5 phases)", () => {
    expect(keys("crud")).toEqual(["create", "read", "update", "delete", "tests"]);
    expect([...edgesOf("crud")].sort()).toEqual(["create→tests", "delete→tests", "read→tests", "update→tests"]);
    expect(TASK_TEMPLATES.crud.edges.every((e) => e.type === "finish_to_start")).toBe(true);
  });

  it("ui: layout first, then forms, tables and charts in parallel", () => {
    expect(keys("ui")).toEqual(["layout", "forms", "tables", "charts"]);
    expect([...edgesOf("ui")].sort()).toEqual(["layout→charts", "layout→forms", "layout→tables"]);
  });

  it("microservice: shared auth, db and gateway first, then the services", () => {
    expect(keys("microservice")).toEqual(["auth", "db", "gateway", "services"]);
    expect([...edgesOf("microservice")].sort()).toEqual(["auth→services", "db→services", "gateway→services"]);
  });
});

describe("chooseTemplate", () => {
  const chosen = (text: string) => chooseTemplate(text)?.name ?? null;

  it("matches trigger words case-insensitively", () => {
    expect(chosen("Build a REST API for invoices")).toBe("web_service");
    expect(chosen("REFACTOR the scheduler")).toBe("refactoring");
    expect(chosen("Add OAuth sign-in")).toBe("security");
    expect(chosen("CRUD for customers")).toBe("crud");
    expect(chosen("New settings page")).toBe("ui");
    expect(chosen("Split the monolith into microservices")).toBe("microservice");
  });

  it("matches whole words only: capital has no api, rapid no api, prefix no fix", () => {
    expect(chosen("Raise capital for the rapid expansion")).toBeNull();
    expect(chosen("Uniform spacing")).toBeNull(); // not "form"
    expect(chosen("Reviewing the authority model")).toBeNull(); // not "auth", not "view"
  });

  it("takes a plural of a trigger", () => {
    expect(chosen("Document our APIs")).toBe("web_service");
    expect(chosen("Two new forms")).toBe("ui");
  });

  it("matches phrases across spaces, commas, slashes and hyphens", () => {
    expect(chosen("Clean up the job runner")).toBe("refactoring");
    expect(chosen("cleanup of the job runner")).toBe("refactoring");
    expect(chosen("Create, read, update and delete for projects")).toBe("crud");
    expect(chosen("create/read/update/delete projects")).toBe("crud");
    expect(chosen("The front-end of the billing app")).toBe("ui");
  });

  it("tries the most specific template first", () => {
    expect(chosen("Refactor the auth API")).toBe("refactoring");
    expect(chosen("CRUD API for users")).toBe("crud");
    expect(chosen("Login page")).toBe("security");
    expect(chosen("Gateway for our microservice API")).toBe("microservice");
    expect(matchTemplates("Refactor the login API").map((t) => t.name)).toEqual([
      "refactoring",
      "security",
      "web_service",
    ]);
  });

  it("null when nothing matches", () => {
    expect(chosen("Write a haiku about the sea")).toBeNull();
    expect(chosen("")).toBeNull();
  });
});
