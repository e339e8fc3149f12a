import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  CHART_DIR,
  parseManifests,
  PLAIN_MANIFESTS_DIR,
  renderChart,
  type K8sObject,
  type RenderOptions,
} from "../tools/chart";
import { ensureHelm } from "../tools/helm";
import {
  interpolate,
  interpolateDocument,
  parseDotEnv,
  runInitEnv,
  serviceEnvironment,
  stringValues,
  variableRefs,
} from "./compose";
import { ops, parseDockerfile } from "./dockerfile";
import { containerEnv, containers, fileSource, secretData } from "./pod-env";
import { read } from "./repo";
import { RUNNER_PODS_VALUES } from "./runner-pods-values";

/**
 * Issue 10 on the deployment side: no file ships a password or secret anyone
 * could read in this repository (generated, or required from the operator),
 * every orchestrator pod takes ORCHESTRATOR_SECRET from a Secret, the
 * metrics token reaches the scrape config, and nothing turns authentication
 * off — compose, the chart in every values combination below, the plain
 * manifests and the images.
 */

/** Variable names that hold a credential. */
const SECRET_NAME = /PASSWORD|SECRET|TOKEN|_KEY$|_AUTH$/;
/** Variables that name the file holding a credential, not the credential: the file must come from a Secret. */
const CREDENTIAL_FILES = ["ORCHESTRATOR_GIT_SSH_KEY"];
const holdsCredential = (name: string) => SECRET_NAME.test(name) && !CREDENTIAL_FILES.includes(name);
/** Values a person would try first; none may be a password anywhere. */
const GUESSABLE = [
  "admin",
  "orchestrator",
  "password",
  "postgres",
  "redis",
  "secret",
  "changeme",
  "change-me",
  "CHANGE-ME",
  "grafana",
  "prometheus",
];
/** ORCHESTRATOR_AUTH set to off, in YAML, env or Dockerfile syntax. */
const AUTH_OFF = /ORCHESTRATOR_AUTH["']?\s*[:=]\s*["']?off/i;

let helm = "";
beforeAll(() => {
  helm = ensureHelm();
}, 300_000);

const PRODUCTION = join(CHART_DIR, "values-production.yaml");
const GIVEN = {
  secret: "given-server-secret-".padEnd(40, "x"),
  adminKey: "given-admin-key-".padEnd(40, "k"),
  metricsToken: "given-metrics-token-0123",
};

interface Stack {
  name: string;
  render: RenderOptions | "plain";
  /** The Secret the chart is told to use instead of its own. */
  existingSecret?: string;
}

const stacks: Stack[] = [
  { name: "defaults (ServiceMonitor on)", render: { set: { "serviceMonitor.enabled": "true" } } },
  {
    name: "production values",
    render: { release: "prod", namespace: "orchestrator", values: [PRODUCTION] },
    existingSecret: "orchestrator-env",
  },
  {
    name: "an existing Secret, bundled PostgreSQL and Redis",
    render: { set: { "auth.existingSecret": "ops-managed", "serviceMonitor.enabled": "true" } },
    existingSecret: "ops-managed",
  },
  {
    name: "metrics token off",
    render: { set: { "auth.metricsToken.enabled": "false", "serviceMonitor.enabled": "true" } },
  },
  {
    name: "an SSH work remote and https credentials from an existing Secret",
    render: {
      set: {
        "workRemote.url": "ssh://git@git.internal.example.com:2222/platform/work.git",
        "workRemote.existingSecret": "orchestrator-git",
        "workRemote.ssh.privateKeyKey": "ssh-privatekey",
        "workRemote.ssh.knownHostsKey": "known_hosts",
        "workRemote.https.credentialsKey": "git-credentials",
      },
    },
  },
  {
    name: "values given, external database and Redis, repositories claim, no dashboard",
    render: {
      set: {
        "auth.secret": GIVEN.secret,
        "auth.adminKey": GIVEN.adminKey,
        "auth.metricsToken.value": GIVEN.metricsToken,
        "auth.credentials.ANTHROPIC_API_KEY": "sk-ant-test-credential",
        "postgresql.enabled": "false",
        "externalDatabase.url": "postgres://app:external-db-password@db.internal:5432/orchestrator",
        "redis.enabled": "false",
        "externalRedis.url": "rediss://:external-redis-password@cache.internal:6380",
        "orchestrator.repositoriesClaim": "repos",
        "dashboard.enabled": "false",
        "autoscaling.enabled": "false",
        "serviceMonitor.enabled": "true",
        "config.ORCHESTRATOR_CORS_ORIGINS": "https://console.example.com",
      },
    },
  },
  {
    // Issue 12: a runner pod per tenant, each with a password of its own (its Secret's only).
    name: "runner pods (sandbox.podSecurity runner-pods)",
    render: {
      set: { ...RUNNER_PODS_VALUES },
    },
  },
  { name: "plain manifests", render: "plain" },
];

function objectsOf(stack: Stack): { objects: K8sObject[]; text: string } {
  if (stack.render === "plain") {
    const text = [
      "11-secret.yaml",
      "10-configmap.yaml",
      "21-redis.yaml",
      "20-postgresql.yaml",
      "30-orchestrator-deployment.yaml",
      "80-servicemonitor.yaml",
    ]
      .map((f) => readFileSync(join(PLAIN_MANIFESTS_DIR, f), "utf8"))
      .join("\n---\n");
    return { objects: parseManifests(text), text };
  }
  const text = renderChart(helm, stack.render);
  return { objects: parseManifests(text), text };
}

const component = (o: K8sObject) => o.metadata.labels?.["app.kubernetes.io/component"];
const orchestratorContainers = (objs: K8sObject[]) =>
  containers(objs).filter((c) => component(c.workload) === "orchestrator");

describe.each(stacks)("chart: $name", (stack) => {
  let objs: K8sObject[] = [];
  let text = "";
  beforeAll(() => {
    ({ objects: objs, text } = objectsOf(stack));
  });
  const plain = stack.render === "plain";

  it("gives every orchestrator pod ORCHESTRATOR_SECRET from a Secret, never from a ConfigMap or a literal", () => {
    const pods = orchestratorContainers(objs);
    expect(pods.length).toBeGreaterThan(0);
    for (const { workload, container } of pods) {
      const v = containerEnv(objs, container).vars.get("ORCHESTRATOR_SECRET");
      expect(v?.source, `${workload.metadata.name}/${container.name}`).toBe("secret");
      const rendered = objs.find((o) => o.kind === "Secret" && o.metadata.name === v!.ref!.name);
      if (stack.existingSecret) {
        expect(rendered, "the chart makes no Secret of its own").toBeUndefined();
        expect(v!.ref).toEqual({ name: stack.existingSecret, key: "ORCHESTRATOR_SECRET" });
      } else if (plain) expect(v!.value, "a placeholder to fill in").toBe("");
      else expect(v!.value!.length).toBeGreaterThanOrEqual(32);
    }
    for (const cm of objs.filter((o) => o.kind === "ConfigMap"))
      expect(Object.keys((cm.data as object) ?? {}).filter(holdsCredential), cm.metadata.name).toEqual([]);
  });

  it("points every credential file variable at a file of a Secret, mounted read-only", () => {
    for (const { workload, container } of orchestratorContainers(objs)) {
      const { vars } = containerEnv(objs, container);
      for (const name of CREDENTIAL_FILES) {
        const path = vars.get(name)?.value;
        if (path === undefined) continue;
        expect(fileSource(workload, container, path), `${name}=${path}`).toMatchObject({
          kind: "secret",
          readOnly: true,
        });
      }
    }
  });

  it("writes no password or secret outside a Secret, and none anyone could guess", () => {
    const secrets = objs
      .filter((o) => o.kind === "Secret")
      .map((o) => ({ name: o.metadata.name, data: secretData(o) }));
    const values = secrets.flatMap((s) =>
      Object.entries(s.data).map(([key, value]) => ({ where: `${s.name}/${key}`, key, value })),
    );
    // Each secret value appears in its Secret only: not in a ConfigMap, an env literal, args, annotations.
    const outside = JSON.stringify(objs.filter((o) => o.kind !== "Secret"));
    for (const v of values)
      if (v.value.length >= 8) expect(outside.includes(v.value), `${v.where} appears outside its Secret`).toBe(false);
    for (const v of values.filter((x) => SECRET_NAME.test(x.key))) {
      expect(
        GUESSABLE.map((g) => g.toLowerCase()),
        v.where,
      ).not.toContain(v.value.toLowerCase());
      if (plain) expect(v.value, `${v.where}: a placeholder, empty until filled in`).toBe("");
      else expect(v.value.length, v.where).toBeGreaterThanOrEqual(16);
    }
    if (!plain) {
      const generated = values.filter((x) => SECRET_NAME.test(x.key)).map((x) => x.value);
      expect(new Set(generated).size, "no two secrets share a value").toBe(generated.length);
    }
    // A credential-bearing variable is read from a Secret; a URL literal holds only $(VAR) of one.
    for (const { workload, container } of containers(objs)) {
      const { vars } = containerEnv(objs, container);
      for (const e of (container.env ?? []) as { name: string; value?: string }[]) {
        const where = `${workload.metadata.name}/${container.name} ${e.name}`;
        if (e.value === undefined) continue;
        expect(holdsCredential(e.name), `${where} is a literal`).toBe(false);
        const password = /^[a-z]+:\/\/[^:/@]*:([^@]*)@/.exec(e.value)?.[1];
        if (password !== undefined) {
          const ref = /^\$\(([A-Z_]+)\)$/.exec(password)?.[1];
          expect(ref, `${where}: the password in the URL is a literal`).toBeDefined();
          expect(vars.get(ref!)?.source, `${where}: $(${ref}) comes from a Secret`).toBe("secret");
        }
      }
    }
    for (const g of GUESSABLE)
      expect(text, `"${g}" as a password`).not.toMatch(
        new RegExp(`(PASSWORD|SECRET|TOKEN|_KEY)["']?\\s*:\\s*["']?${g}["']?\\s*$`, "im"),
      );
  });

  it("sends the metrics token in the ServiceMonitor, from the key the orchestrator reads it from", () => {
    const token = orchestratorContainers(objs).map(({ container }) =>
      containerEnv(objs, container).vars.get("ORCHESTRATOR_METRICS_TOKEN"),
    );
    const monitors = objs.filter((o) => o.kind === "ServiceMonitor");
    const tokenOff = JSON.stringify(stack.render).includes('"auth.metricsToken.enabled":"false"');
    expect(token.every((t) => (tokenOff ? t === undefined : t?.source === "secret"))).toBe(true);
    if (stack.name.startsWith("defaults")) expect(monitors.length).toBe(1);
    for (const m of monitors)
      for (const endpoint of (
        m.spec as {
          endpoints: { authorization?: { type?: string; credentials?: unknown }; bearerTokenSecret?: unknown }[];
        }
      ).endpoints) {
        const sent = endpoint.authorization?.credentials ?? endpoint.bearerTokenSecret;
        if (tokenOff) expect(sent, "no token to send").toBeUndefined();
        else {
          expect(endpoint.authorization?.type ?? "Bearer").toBe("Bearer");
          expect(sent).toEqual(token[0]!.ref);
        }
      }
  });

  it("never sets ORCHESTRATOR_AUTH (authentication stays on)", () => {
    expect(text).not.toMatch(AUTH_OFF);
    for (const { workload, container } of containers(objs))
      expect(containerEnv(objs, container).vars.has("ORCHESTRATOR_AUTH"), workload.metadata.name).toBe(false);
  });
});

describe("chart values", () => {
  it("refuse ORCHESTRATOR_AUTH wherever a value could set it", () => {
    expect(() => renderChart(helm, { set: { "config.ORCHESTRATOR_AUTH": "off" } })).toThrow(/ORCHESTRATOR_AUTH/);
    expect(() =>
      renderChart(helm, {
        set: { "orchestrator.extraEnv[0].name": "ORCHESTRATOR_AUTH", "orchestrator.extraEnv[0].value": "off" },
      }),
    ).toThrow(/ORCHESTRATOR_AUTH|extraEnv/);
    expect(() => renderChart(helm, { set: { "auth.credentials.ORCHESTRATOR_AUTH": "off" } })).toThrow(/credentials/);
  });

  it("refuse weak or URL-breaking secrets, and keep the ones given", () => {
    expect(() => renderChart(helm, { set: { "auth.secret": "too-short" } })).toThrow(/secret/);
    expect(() => renderChart(helm, { set: { "auth.metricsToken.value": "short" } })).toThrow(/metricsToken/);
    expect(() => renderChart(helm, { set: { "postgresql.auth.password": "p@ss/word:with-url-characters" } })).toThrow(
      /password/,
    );
    const objs = parseManifests(
      renderChart(helm, {
        set: { "auth.secret": GIVEN.secret, "postgresql.auth.password": "given0password0for0postgres" },
      }),
    );
    const data = (c: string) => secretData(objs.find((o) => o.kind === "Secret" && component(o) === c)!);
    expect(data("orchestrator").ORCHESTRATOR_SECRET).toBe(GIVEN.secret);
    expect(data("postgresql").POSTGRES_PASSWORD).toBe("given0password0for0postgres");
  });

  it("keep the generated secrets across upgrades: they are read back from the cluster first, and kept on uninstall", () => {
    const helpers = readFileSync(join(CHART_DIR, "templates/_helpers.tpl"), "utf8");
    expect(helpers).toMatch(/lookup "v1" "Secret" \.root\.Release\.Namespace \.secret/);
    const objs = parseManifests(renderChart(helm));
    for (const c of ["orchestrator", "postgresql"])
      expect(
        objs.find((o) => o.kind === "Secret" && component(o) === c)!.metadata.annotations?.["helm.sh/resource-policy"],
      ).toBe("keep");
  });

  it("name the repositories volume as the only workspace root, unless told otherwise", () => {
    const roots = (set: Record<string, string>) =>
      (parseManifests(renderChart(helm, { set })).find((o) => o.kind === "ConfigMap")!.data as Record<string, string>)
        .ORCHESTRATOR_WORKSPACE_ROOTS;
    expect(roots({})).toBe("/srv/repos");
    expect(roots({ "orchestrator.repositoriesClaim": "repos", "config.ORCHESTRATOR_WORKSPACE_ROOTS": "" })).toBe(
      "/srv/repos",
    );
    expect(roots({ "config.ORCHESTRATOR_WORKSPACE_ROOTS": "/srv/repos/team-a" })).toBe("/srv/repos/team-a");
    expect(() => roots({ "config.ORCHESTRATOR_WORKSPACE_ROOTS": "relative/path" })).toThrow(
      /ORCHESTRATOR_WORKSPACE_ROOTS/,
    );
  });
});

describe("plain manifests", () => {
  it("hold empty Secrets to fill in, and Redis refuses to start with an empty password", () => {
    const objs = parseManifests(readFileSync(join(PLAIN_MANIFESTS_DIR, "11-secret.yaml"), "utf8"));
    const keys = objs.flatMap((o) => Object.entries(secretData(o)).map(([k, v]) => ({ k, v })));
    expect(keys.map((x) => x.k).sort()).toEqual([
      "GIT_SERVER_PASSWORD",
      "ORCHESTRATOR_ADMIN_KEY",
      "ORCHESTRATOR_METRICS_TOKEN",
      "ORCHESTRATOR_SECRET",
      "POSTGRES_PASSWORD",
      "REDIS_PASSWORD",
    ]);
    expect(keys.filter((x) => x.v !== "")).toEqual([]);
    const redis = containers(parseManifests(readFileSync(join(PLAIN_MANIFESTS_DIR, "21-redis.yaml"), "utf8")))[0]!
      .container;
    expect(redis.args!.join(" ")).toMatch(/if \[ -z "\$REDIS_PASSWORD" \]; then .*exit 1; fi;\s*exec redis-server/);
  });
});

describe("docker-compose.yml", () => {
  const raw = parse(read("docker-compose.yml")) as {
    services: Record<
      string,
      { environment?: string[] | Record<string, string>; command?: string[]; secrets?: string[] }
    >;
    secrets?: Record<string, { environment?: string; file?: string }>;
  };

  it("has no default for any password or secret: compose refuses to start until the .env holds them", () => {
    const refs = stringValues(raw).flatMap((v) => variableRefs(v.value).map((r) => ({ ...r, path: v.path })));
    const secretRefs = refs.filter((r) => SECRET_NAME.test(r.name));
    expect(secretRefs.length).toBeGreaterThan(0);
    for (const r of secretRefs)
      expect(r.op, `${r.path}: \${${r.name}} must be required (:?), never defaulted`).toBe(":?");
    const { missing } = interpolateDocument(raw, {});
    expect([...new Set(missing.map((m) => m.name))].sort()).toEqual([
      "GRAFANA_ADMIN_PASSWORD",
      "ORCHESTRATOR_METRICS_TOKEN",
      "ORCHESTRATOR_SECRET",
      "POSTGRES_PASSWORD",
      "REDIS_PASSWORD",
    ]);
    for (const m of missing) expect(m.error).toMatch(/init-env\.sh/);
  });

  it("sets no credential as a literal: each comes from a required variable, the shell (optional keys) or a secret file", () => {
    for (const [name, svc] of Object.entries(raw.services))
      for (const [key, value] of Object.entries(serviceEnvironment(svc.environment))) {
        if (!SECRET_NAME.test(key) || value === undefined) continue;
        const refs = variableRefs(value);
        expect(
          refs.length === 1 && interpolate(value, { [refs[0]!.name]: "" }).value === "",
          `${name}: ${key}=${value}`,
        ).toBe(true);
      }
    for (const [name, svc] of Object.entries(raw.services))
      for (const arg of svc.command ?? []) expect(GUESSABLE, `${name} command`).not.toContain(arg);
  });

  it("takes Grafana's admin password from the operator, and gives Prometheus the metrics token as a secret file", () => {
    const grafana = serviceEnvironment(raw.services.grafana!.environment);
    const password = grafana.GF_SECURITY_ADMIN_PASSWORD ?? grafana.GF_SECURITY_ADMIN_PASSWORD__FILE!;
    expect(variableRefs(password)[0]?.op === ":?" || password.startsWith("/run/secrets/"), password).toBe(true);
    const orchestrator = serviceEnvironment(raw.services.orchestrator!.environment);
    const tokenVar = variableRefs(orchestrator.ORCHESTRATOR_METRICS_TOKEN!)[0]!.name;
    const [secretName] = raw.services.prometheus!.secrets!;
    expect(raw.secrets![secretName!]).toEqual({ environment: tokenVar });
    const prom = parse(read("deploy/prometheus/prometheus.yml")) as {
      scrape_configs: { job_name: string; authorization?: { type?: string; credentials_file?: string } }[];
    };
    expect(prom.scrape_configs.find((j) => j.job_name === "orchestrator")!.authorization).toEqual({
      type: "Bearer",
      credentials_file: `/run/secrets/${secretName}`,
    });
  });

  it("never sets ORCHESTRATOR_AUTH, not even as a name passed through from the shell", () => {
    expect(read("docker-compose.yml")).not.toMatch(AUTH_OFF);
    for (const [name, svc] of Object.entries(raw.services))
      expect(Object.keys(serviceEnvironment(svc.environment)), name).not.toContain("ORCHESTRATOR_AUTH");
  });
});

describe("deploy/compose/init-env.sh", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const scratch = () => (dir = mkdtempSync(join(tmpdir(), "init-env-")));

  it("writes every required secret, random, readable by its owner only, and compose then starts", () => {
    const file = join(scratch(), ".env");
    runInitEnv(file);
    const env = parseDotEnv(readFileSync(file, "utf8"));
    expect(Object.keys(env).sort()).toEqual([
      "GRAFANA_ADMIN_PASSWORD",
      "ORCHESTRATOR_ADMIN_KEY",
      "ORCHESTRATOR_METRICS_TOKEN",
      "ORCHESTRATOR_SECRET",
      "POSTGRES_PASSWORD",
      "REDIS_PASSWORD",
    ]);
    for (const [k, v] of Object.entries(env)) expect(v, k).toMatch(/^[0-9a-f]{32,}$/);
    expect(env.ORCHESTRATOR_SECRET!.length).toBeGreaterThanOrEqual(64);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(interpolateDocument(parse(read("docker-compose.yml")), env).missing).toEqual([]);
  });

  it("keeps what the file holds, so a second run changes nothing", () => {
    const file = join(scratch(), ".env");
    writeFileSync(file, "LOG_LEVEL=debug\nORCHESTRATOR_SECRET=mine-0123456789abcdef0123456789abcdef"); // no final newline
    runInitEnv(file);
    const first = readFileSync(file, "utf8");
    expect(first).toMatch(
      /^LOG_LEVEL=debug\nORCHESTRATOR_SECRET=mine-0123456789abcdef0123456789abcdef\nPOSTGRES_PASSWORD=/,
    );
    expect(runInitEnv(file)).toMatch(/nothing changed/);
    expect(readFileSync(file, "utf8")).toBe(first);
  });

  it("refuses an empty value rather than guess which line wins", () => {
    const file = join(scratch(), ".env");
    writeFileSync(file, "REDIS_PASSWORD=\n");
    expect(() => runInitEnv(file)).toThrow(/REDIS_PASSWORD is empty/);
  });
});

describe("images", () => {
  const dockerfiles = ["Dockerfile", "apps/dashboard/Dockerfile"];

  it.each(dockerfiles)("%s bakes in no secret and never sets ORCHESTRATOR_AUTH", (path) => {
    const df = parseDockerfile(read(path));
    const settings = [...df.globalArgs, ...df.stages.flatMap((s) => [...ops(s, "ENV"), ...ops(s, "ARG")])].flatMap(
      (i) => [...i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1]!),
    );
    expect(settings.filter((n) => SECRET_NAME.test(n))).toEqual([]);
    expect(read(path)).not.toMatch(/ORCHESTRATOR_AUTH\b/);
  });

  it("keeps compose's .env (the deployment's passwords) out of the build context", () => {
    const patterns = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(patterns).toContain("**/.env");
  });
});
