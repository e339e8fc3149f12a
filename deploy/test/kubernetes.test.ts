import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CHART_DIR,
  lintChart,
  parseManifests,
  PLAIN_MANIFESTS_DIR,
  plainManifestFiles,
  renderChart,
  type K8sObject,
} from "../tools/chart";
import { ensureHelm } from "../tools/helm";
import { checkOrchestrator, checkQuota, checkWiring, checkWorkloads, configKeys, find } from "./k8s-checks";
import { containerEnv, containers, secretData } from "./pod-env";
import { validateK8sObjects } from "./k8s-schema";

/**
 * The Helm chart, rendered by a real helm (fetched by deploy/tools/helm.ts
 * when missing; a missing helm fails here, never skips), with the default
 * values and with values-production.yaml, and the plain manifests in
 * deploy/kubernetes: every object against the Kubernetes schemas, then what
 * operations.md asks of the stack.
 */

const PRODUCTION = join(CHART_DIR, "values-production.yaml");
let helm = "";

beforeAll(() => {
  helm = ensureHelm();
}, 300_000);

function plainObjects(): { file: string; objects: K8sObject[] }[] {
  return readdirSync(PLAIN_MANIFESTS_DIR)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .map((file) => ({ file, objects: parseManifests(readFileSync(join(PLAIN_MANIFESTS_DIR, file), "utf8"), file) }));
}

const stacks: { name: string; objects: () => K8sObject[]; serviceMonitor: boolean }[] = [
  { name: "chart, default values", objects: () => parseManifests(renderChart(helm)), serviceMonitor: false },
  {
    name: "chart, production values",
    objects: () =>
      parseManifests(renderChart(helm, { release: "prod", namespace: "orchestrator", values: [PRODUCTION] })),
    serviceMonitor: true,
  },
  { name: "plain manifests", objects: () => plainObjects().flatMap((f) => f.objects), serviceMonitor: true },
];

describe.each(stacks)("$name", ({ objects, serviceMonitor }) => {
  let objs: K8sObject[] = [];
  beforeAll(() => {
    objs = objects();
  });

  it("validates every object against the Kubernetes schemas", async () => {
    expect(objs.length).toBeGreaterThan(10);
    expect(await validateK8sObjects(objs)).toEqual([]);
  });

  it("has the objects operations.md lists", () => {
    const kinds = new Set(objs.map((o) => o.kind));
    for (const kind of [
      "ResourceQuota",
      "LimitRange",
      "Deployment",
      "Service",
      "ConfigMap",
      "Ingress",
      "PodDisruptionBudget",
      "HorizontalPodAutoscaler",
      "NetworkPolicy",
    ])
      expect(kinds, kind).toContain(kind);
    expect(
      find(objs, "Secret").length + (objs.some((o) => JSON.stringify(o).includes('"secretRef"')) ? 1 : 0),
    ).toBeGreaterThan(0);
    if (serviceMonitor) expect(kinds).toContain("ServiceMonitor");
  });

  it("runs the orchestrator as operations.md asks (replicas, anti-affinity, rollout, probes, grace period, config)", () => {
    expect(checkOrchestrator(objs)).toEqual([]);
  });

  it("runs every workload non-root with resources and probes", () => {
    expect(checkWorkloads(objs)).toEqual([]);
  });

  it("wires services, ingress (WebSocket, rate limits), PDB, HPA, ServiceMonitor and NetworkPolicy to real targets", () => {
    expect(checkWiring(objs, { serviceMonitor })).toEqual([]);
  });

  it("fits in its ResourceQuota and LimitRange at its largest", () => {
    expect(checkQuota(objs)).toEqual([]);
  });
});

describe("the chart", () => {
  it("passes helm lint --strict with default and production values", () => {
    expect(lintChart(helm)).toMatch(/0 chart\(s\) failed/);
    expect(lintChart(helm, [PRODUCTION])).toMatch(/0 chart\(s\) failed/);
  });

  it("puts plain manifests in deploy/kubernetes that match the chart (regenerate: npx tsx deploy/tools/render-manifests.ts)", () => {
    const expected = plainManifestFiles(helm);
    const actual = plainObjects();
    expect(actual.map((f) => f.file)).toEqual([...expected.keys()]);
    for (const { file, objects } of actual) expect(objects, file).toEqual(parseManifests(expected.get(file)!, file));
    expect(
      find(
        actual.flatMap((f) => f.objects),
        "Namespace",
      ).map((n) => n.metadata.name),
    ).toEqual(["industrial-orchestrator"]);
  });

  it("refuses values that would break the stack, saying why", () => {
    expect(() => renderChart(helm, { set: { "postgresql.enabled": "false" } })).toThrow(/PostgreSQL is required/);
    expect(() => renderChart(helm, { set: { "orchestrator.terminationGracePeriodSeconds": "20" } })).toThrow(
      /terminationGracePeriodSeconds/,
    );
    expect(() => renderChart(helm, { set: { "orchestrator.replicaz": "3" } })).toThrow(/replicaz/);
    expect(() => renderChart(helm, { set: { "config.ORCHESTRATOR_DATA_DIR": "/x" } })).toThrow(/ORCHESTRATOR_DATA_DIR/);
  });

  it("sets the server's shutdown bound and the pod's grace period from one value, the bound inside it", () => {
    for (const grace of [31, 60, 120]) {
      const objs = parseManifests(
        renderChart(helm, { set: { "orchestrator.terminationGracePeriodSeconds": String(grace) } }),
      );
      const deploy = find(objs, "Deployment", "orchestrator")[0]!;
      const pod = (deploy.spec as { template: { spec: { terminationGracePeriodSeconds: number } } }).template.spec;
      const { container } = containers(objs).find((c) => c.container.name === "orchestrator")!;
      const bound = Number(containerEnv(objs, container).vars.get("ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS")!.value);
      expect(pod.terminationGracePeriodSeconds).toBe(grace);
      expect(bound).toBe(grace - 15);
      expect(checkOrchestrator(objs)).toEqual([]);
    }
  });

  it("lets config: hold every setting of config.ts but those the chart sets or keeps in the Secret", () => {
    const schema = JSON.parse(readFileSync(join(CHART_DIR, "values.schema.json"), "utf8")) as {
      properties: { config: { propertyNames: { enum: string[] } } };
    };
    const bySchema = schema.properties.config.propertyNames.enum;
    // The work remote's two come from workRemote.* (the URL, the key file the chart mounts); the shutdown bound from the grace period;
    // the sandbox's setting from sandbox.mode.
    const chartSet = [
      ...[
        "HOST",
        "PORT",
        "ORCHESTRATOR_DATA_DIR",
        "ORCHESTRATOR_DASHBOARD",
        "ORCHESTRATOR_REPLICA_ID",
        "DATABASE_URL",
        "REDIS_URL",
      ],
      ...[
        "ORCHESTRATOR_WORK_REMOTE",
        "ORCHESTRATOR_GIT_SSH_KEY",
        "ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS",
        "ORCHESTRATOR_SANDBOX",
      ],
    ];
    const inSecret = [
      "ORCHESTRATOR_SECRET",
      "ORCHESTRATOR_ADMIN_KEY",
      "ORCHESTRATOR_METRICS_TOKEN",
      "ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET",
    ];
    // Never settable: a cluster never runs without API keys.
    const never = ["ORCHESTRATOR_AUTH"];
    expect([...bySchema].sort()).toEqual(
      [...configKeys()].filter((k) => ![...chartSet, ...inSecret, ...never].includes(k)).sort(),
    );
  });

  it("points DATABASE_URL and REDIS_URL at the bundled PostgreSQL and Redis with the passwords they are given", () => {
    const objs = parseManifests(renderChart(helm));
    const { container } = containers(objs).find((c) => c.container.name === "orchestrator")!;
    const { vars } = containerEnv(objs, container);
    const secretOf = (component: string) => secretData(find(objs, "Secret", component)[0]!);
    const db = new URL(vars.get("DATABASE_URL")!.value!);
    expect(vars.get("DATABASE_URL")!.expands).toEqual(["POSTGRES_PASSWORD"]);
    expect(decodeURIComponent(db.password)).toBe(secretOf("postgresql").POSTGRES_PASSWORD);
    expect(db.hostname).toBe(find(objs, "Service", "postgresql")[0]!.metadata.name);
    const redis = new URL(vars.get("REDIS_URL")!.value!);
    expect(decodeURIComponent(redis.password)).toBe(secretOf("redis").REDIS_PASSWORD);
    expect(redis.hostname).toBe(find(objs, "Service", "redis")[0]!.metadata.name);
    const redisPod = containers(objs).find((c) => c.container.name === "redis")!.container;
    expect(containerEnv(objs, redisPod).vars.get("REDIS_PASSWORD")).toMatchObject({
      source: "secret",
      value: secretOf("redis").REDIS_PASSWORD,
    });
    expect(redisPod.args!.join(" ")).toContain('--requirepass "$REDIS_PASSWORD"');
    for (const password of [db.password, redis.password]) expect(password.length).toBeGreaterThanOrEqual(32);
  });
});
