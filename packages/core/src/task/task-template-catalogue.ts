/** The built-in task templates: their phases, shares, capabilities and edges (matched to a text in task-templates.ts). */
import type { Capability } from "../agent/agent";
import type { SessionType } from "../session/session";
import type { DependencyType } from "./task";

export const TEMPLATE_NAMES = ["web_service", "refactoring", "security", "crud", "ui", "microservice"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface TemplatePhase {
  /** Unique in its template, no dots (decomposition joins keys with "."). */
  key: string;
  title: string;
  /** What the phase is for; becomes the start of the subtask's description. */
  description: string;
  /** Share of the parent's expected hours; a template's shares sum to 1. */
  share: number;
  /**
   * Kept within one default agent type's set (agent.ts DEFAULT_CAPABILITIES):
   * routing needs an agent with every required capability, and a phase
   * asking for an architect's and a reviewer's skill at once would find none.
   */
  capabilities: Capability[];
  type: SessionType;
}

export interface TaskTemplate {
  name: TemplateName;
  description: string;
  /** Words or phrases matched on word boundaries, case-insensitively, with an optional plural s. */
  triggers: string[];
  phases: TemplatePhase[];
  /** Between phase keys; the built-in templates only need finish_to_start. */
  edges: { from: string; to: string; type: DependencyType }[];
}

const fs = (from: string, to: string) => ({ from, to, type: "finish_to_start" as const });
const chain = (...keys: string[]) => keys.slice(1).map((to, i) => fs(keys[i]!, to));

export const TASK_TEMPLATES: Record<TemplateName, TaskTemplate> = {
  web_service: {
    name: "web_service",
    description: "An HTTP service or API, from requirements to deployment.",
    triggers: ["api", "endpoint", "rest", "http", "web service", "backend", "server", "webhook", "graphql"],
    phases: [
      {
        key: "requirements",
        title: "Requirements",
        description: "Write down what the service must do: resources, operations, inputs, errors.",
        share: 0.1,
        capabilities: ["requirements_analysis"],
        type: "planning",
      },
      {
        key: "design",
        title: "Design",
        description: "Design the endpoints, data model and module layout.",
        share: 0.15,
        capabilities: ["system_design", "architecture_planning"],
        type: "planning",
      },
      {
        key: "implementation",
        title: "Implementation",
        description: "Implement the endpoints and their data access.",
        share: 0.45,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "tests",
        title: "Tests",
        description: "Write tests for every endpoint, including the error cases.",
        share: 0.2,
        capabilities: ["test_generation"],
        type: "execution",
      },
      {
        key: "deployment",
        title: "Deployment",
        description: "Configure and deploy the service.",
        share: 0.1,
        capabilities: ["deployment", "configuration"],
        type: "integration",
      },
    ],
    edges: chain("requirements", "design", "implementation", "tests", "deployment"),
  },
  refactoring: {
    name: "refactoring",
    description: "Restructure existing code without changing what it does.",
    triggers: [
      "refactor",
      "refactoring",
      "restructure",
      "clean up",
      "cleanup",
      "tech debt",
      "technical debt",
      "simplify",
      "modernize",
      "modernise",
    ],
    phases: [
      {
        key: "analysis",
        title: "Analysis",
        description: "Read the code to change and list its problems and its callers.",
        share: 0.15,
        capabilities: ["code_review"],
        type: "review",
      },
      {
        key: "plan",
        title: "Plan",
        description: "Plan the change in small steps that each keep the behaviour.",
        share: 0.15,
        capabilities: ["architecture_planning"],
        type: "planning",
      },
      {
        key: "change",
        title: "Change",
        description: "Make the change, step by step.",
        share: 0.5,
        capabilities: ["refactoring"],
        type: "execution",
      },
      {
        key: "verification",
        title: "Verification",
        description: "Check that the behaviour is unchanged: run and extend the tests.",
        share: 0.2,
        capabilities: ["testing"],
        type: "review",
      },
    ],
    edges: chain("analysis", "plan", "change", "verification"),
  },
  security: {
    name: "security",
    description: "A security-sensitive feature: threat model first, audit last.",
    triggers: [
      "security",
      "secure",
      "auth",
      "authentication",
      "authorization",
      "authorisation",
      "login",
      "oauth",
      "jwt",
      "encryption",
      "encrypt",
      "vulnerability",
      "permission",
      "access control",
    ],
    phases: [
      {
        key: "design",
        title: "Threat model and design",
        description: "List the threats and design the defences.",
        share: 0.2,
        capabilities: ["system_design"],
        type: "planning",
      },
      {
        key: "implementation",
        title: "Implementation",
        description: "Implement the feature and its defences.",
        share: 0.45,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "tests",
        title: "Tests",
        description: "Write tests, including attacks the design defends against.",
        share: 0.2,
        capabilities: ["test_generation"],
        type: "execution",
      },
      {
        key: "audit",
        title: "Audit",
        description: "Review the result for vulnerabilities and compliance.",
        share: 0.15,
        capabilities: ["security_audit", "compliance_check"],
        type: "review",
      },
    ],
    edges: chain("design", "implementation", "tests", "audit"),
  },
  crud: {
    name: "crud",
    description: "Create, read, update and delete operations on a resource, built in parallel, then tested together.",
    triggers: ["crud", "create read update delete", "create read update and delete"],
    phases: [
      {
        key: "create",
        title: "Create",
        description: "Implement creating the resource, with validation.",
        share: 0.2,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "read",
        title: "Read",
        description: "Implement reading one and listing many, with filters and paging.",
        share: 0.2,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "update",
        title: "Update",
        description: "Implement updating the resource, with validation.",
        share: 0.15,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "delete",
        title: "Delete",
        description: "Implement deleting the resource.",
        share: 0.15,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "tests",
        title: "Tests",
        description: "Test the four operations together.",
        share: 0.3,
        capabilities: ["test_generation"],
        type: "execution",
      },
    ],
    edges: ["create", "read", "update", "delete"].map((k) => fs(k, "tests")),
  },
  ui: {
    name: "ui",
    description: "A user interface: the layout first, then its forms, tables and charts in parallel.",
    triggers: [
      "ui",
      "user interface",
      "frontend",
      "front end",
      "dashboard",
      "page",
      "screen",
      "component",
      "form",
      "chart",
    ],
    phases: [
      {
        key: "layout",
        title: "Layout",
        description: "Build the page layout, navigation and shared components.",
        share: 0.25,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "forms",
        title: "Forms",
        description: "Build the forms, with validation and error messages.",
        share: 0.25,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "tables",
        title: "Tables",
        description: "Build the tables and lists, with sorting, filters and paging.",
        share: 0.25,
        capabilities: ["code_generation"],
        type: "execution",
      },
      {
        key: "charts",
        title: "Charts",
        description: "Build the charts and summaries.",
        share: 0.25,
        capabilities: ["code_generation"],
        type: "execution",
      },
    ],
    edges: ["forms", "tables", "charts"].map((k) => fs("layout", k)),
  },
  microservice: {
    name: "microservice",
    description: "A set of services: the shared auth, database and gateway first, then the services on top.",
    triggers: ["microservice", "micro service", "service mesh", "distributed system"],
    phases: [
      {
        key: "auth",
        title: "Shared authentication",
        description: "Build the authentication the services share.",
        share: 0.15,
        capabilities: ["code_generation", "configuration"],
        type: "execution",
      },
      {
        key: "db",
        title: "Shared database",
        description: "Set up the database layer the services share.",
        share: 0.15,
        capabilities: ["code_generation", "configuration"],
        type: "execution",
      },
      {
        key: "gateway",
        title: "Gateway",
        description: "Configure the gateway that routes to the services.",
        share: 0.15,
        capabilities: ["configuration", "deployment"],
        type: "integration",
      },
      {
        key: "services",
        title: "Services",
        description: "Build the services on the shared auth, database and gateway.",
        share: 0.55,
        capabilities: ["code_generation"],
        type: "execution",
      },
    ],
    edges: ["auth", "db", "gateway"].map((k) => fs(k, "services")),
  },
};
