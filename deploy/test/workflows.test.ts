import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { routes } from "@industrial/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderChart } from "../tools/chart";
import { ensureHelm } from "../tools/helm";
import { missingNpmScripts, read, ROOT } from "./repo";

/**
 * .github/workflows: each file against GitHub's workflow schema (SchemaStore's,
 * through action-validator), then what CI and CD must do, and that the helm
 * commands of CD use flags and values the chart and the pinned helm accept.
 */

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string[];
  services?: Record<string, { image: string }>;
  container?: { image: string };
  environment?: { name: string };
  steps: Step[];
}
interface Workflow {
  on: unknown;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

const DIR = join(ROOT, ".github/workflows");
const load = (f: string) => parse(read(`.github/workflows/${f}`)) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? "").join("\n");
const allRuns = (wf: Workflow) => Object.values(wf.jobs).map(runs).join("\n");
/** The `helm <verb>` commands of a workflow, continuation lines joined. */
const helmCommands = (wf: Workflow, verb: string) =>
  allRuns(wf)
    .replace(/\\\n\s*/g, " ")
    .match(new RegExp(`helm ${verb} [^\n]*`, "g")) ?? [];

describe("workflow files", () => {
  const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));

  it("are ci.yml and cd.yml", () => {
    expect(files.sort()).toEqual(["cd.yml", "ci.yml"]);
  });

  it.each(files)("%s validates against the GitHub workflow schema", (f) => {
    const { errors } = validateWorkflow(read(`.github/workflows/${f}`));
    expect(errors).toEqual([]);
  });

  it.each(files)("%s needs only jobs it defines, and runs only npm scripts that exist", (f) => {
    const wf = load(f);
    for (const [name, job] of Object.entries(wf.jobs))
      for (const n of job.needs ?? []) expect(Object.keys(wf.jobs), `${name} needs ${n}`).toContain(n);
    expect(missingNpmScripts(allRuns(wf))).toEqual([]);
    for (const step of Object.values(wf.jobs).flatMap((j) => j.steps))
      if (typeof step.with?.file === "string")
        expect(existsSync(join(ROOT, step.with.file)), `${step.with.file}`).toBe(true);
  });
});

describe("ci.yml", () => {
  const ci = load("ci.yml");
  const jobWith = (pattern: RegExp) => Object.values(ci.jobs).find((j) => pattern.test(runs(j)));

  it("installs, lints, typechecks and runs the unit tests", () => {
    const checks = jobWith(/npm run test:unit/)!;
    expect(runs(checks)).toMatch(
      /npm ci[\s\S]*npm run lint[\s\S]*npm run typecheck[\s\S]*install-helm[\s\S]*npm run test:unit/,
    );
  });

  it("runs the integration tests with PostgreSQL and Redis services", () => {
    const job = jobWith(/npm run test:int/)!;
    expect(job.services?.postgres?.image).toMatch(/^postgres:/);
    expect(job.services?.redis?.image).toMatch(/^redis:/);
  });

  it("runs the browser tests in Debian's Chromium", () => {
    const job = jobWith(/npm run test:e2e/)!;
    expect(runs(job)).toMatch(/apt-get install[^\n]*\bchromium\b/);
    expect(runs(job)).not.toMatch(/playwright install/);
  });

  it("builds outside Docker with the images' steps, starts the result and checks readiness", () => {
    const job = jobWith(/npm run build:dashboard/)!;
    expect(runs(job)).toMatch(
      /npm ci[\s\S]*npm run build:dashboard[\s\S]*standalone[\s\S]*npm ci --omit=dev[\s\S]*orchestrator\.js start/,
    );
    expect(runs(job)).toContain(routes.ready.path);
  });

  it("builds both images", () => {
    const files = Object.values(ci.jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith("docker/build-push-action")).map((s) => s.with?.file),
    );
    expect(files.sort()).toEqual(["Dockerfile", "apps/dashboard/Dockerfile"]);
  });
});

describe("cd.yml", () => {
  const cd = load("cd.yml");
  let helm = "";
  beforeAll(() => {
    helm = ensureHelm();
  }, 300_000);

  it("pushes both images tagged with the commit, then deploys staging, then production", () => {
    const pushes = Object.values(cd.jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith("docker/build-push-action")),
    );
    expect(pushes).toHaveLength(2);
    for (const p of pushes) {
      expect(p.with?.push).toBe(true);
      expect(String(p.with?.tags)).toMatch(/:\$\{\{ github\.sha \}\}$/);
    }
    const images = Object.entries(cd.jobs).find(([, j]) =>
      j.steps.some((s) => s.uses?.startsWith("docker/build-push-action")),
    )![0];
    const staging = Object.entries(cd.jobs).find(([, j]) => j.environment?.name === "staging")!;
    const production = Object.entries(cd.jobs).find(([, j]) => j.environment?.name === "production")!;
    expect(staging[1].needs).toContain(images);
    expect(production[1].needs).toContain(staging[0]);
    for (const [, job] of [staging, production]) {
      expect(runs(job)).toMatch(/helm upgrade --install/);
      expect(runs(job)).toMatch(new RegExp(`curl [^\\n]*${routes.ready.path.replace("/", "\\/")}`));
      expect(runs(job)).toContain('image.tag="${{ github.sha }}"');
    }
    expect(runs(production[1])).toContain("values-production.yaml");
  });

  it("uses the helm version the chart is tested with, and only flags it has", () => {
    const version = execFileSync(helm, ["version", "--template", "{{.Version}}"], { encoding: "utf8" }).trim();
    expect(cd.env?.HELM_VERSION).toBe(version);
    const help = execFileSync(helm, ["upgrade", "--help"], { encoding: "utf8" });
    const commands = helmCommands(cd, "upgrade");
    expect(commands).toHaveLength(2);
    for (const cmd of commands)
      for (const flag of cmd.match(/\s--[a-z-]+/g) ?? [])
        expect(help, `helm upgrade ${flag.trim()}`).toContain(`${flag.trim()} `);
  });

  it("deploys with --set keys and values files the chart accepts", () => {
    const chartEnv = cd.env?.CHART ?? "";
    expect(existsSync(join(ROOT, chartEnv, "Chart.yaml"))).toBe(true);
    for (const cmd of helmCommands(cd, "upgrade")) {
      const set = Object.fromEntries(
        [...cmd.matchAll(/--set ([\w.]+)="?([^"\s]+)"?/g)].map((m) => [m[1]!, m[2]!.includes("$") ? "x" : m[2]!]),
      );
      const values = [...cmd.matchAll(/--values "\$CHART\/([^"]+)"/g)].map((m) => join(ROOT, chartEnv, m[1]!));
      expect(Object.keys(set)).toContain("image.tag");
      expect(() => renderChart(helm, { values, set })).not.toThrow();
    }
  });
});
