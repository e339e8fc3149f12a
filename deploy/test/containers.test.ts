import { existsSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { pathToFileURL } from "node:url";
import { LEASE_SECONDS } from "@industrial/core";
import { routes } from "@industrial/contracts";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generatedDotEnv, interpolateDocument, serviceEnvironment } from "./compose";
import { imageDirectories, parseDeployedConfig } from "./deployed-config";
import { configKeys } from "./k8s-checks";
import { execForm, ops, parseDockerfile, stageInputs, type Dockerfile, type Stage } from "./dockerfile";
import { missingNpmScripts, read, ROOT, workspaces } from "./repo";

/**
 * No Docker engine runs here, so the container files are checked for what
 * they must do; CI builds the images, and runs the same build steps outside
 * Docker (the dashboard's standalone server: standalone.e2e.test.ts).
 */

/** What every image of ours must do: multi-stage on Node 20, stages that exist, a non-root user, a health check. */
function checkCommon(df: Dockerfile, healthPath: string): { final: Stage; user: string } {
  expect(df.stages.length, "stages").toBeGreaterThanOrEqual(3);
  const nodeImage = df.globalArgs.find((a) => a.args.startsWith("NODE_IMAGE="))?.args.split("=")[1];
  expect(nodeImage, "NODE_IMAGE").toMatch(/^node:20[.-]/);
  const names = df.stages.map((s) => s.name);
  for (const s of df.stages) {
    expect(s.base === "${NODE_IMAGE}" || names.includes(s.base), `FROM ${s.base}`).toBe(true);
    for (const input of stageInputs(df, s)) expect(names, `stage ${s.name} uses ${input}`).toContain(input);
    for (const run of ops(s, "RUN")) expect(missingNpmScripts(run.args), run.args).toEqual([]);
  }
  const final = df.stages.at(-1)!;
  expect(final.name).toBe("runtime");
  const users = ops(final, "USER");
  expect(users.length, "USER in the final stage").toBeGreaterThan(0);
  const user = users.at(-1)!.args;
  expect(user).not.toMatch(/^(root|0)(:|$)/);
  expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  const uid = user.split(":")[0]!;
  expect(
    ops(final, "RUN").some((r) => r.args.includes(`useradd`) && r.args.includes(`--uid ${uid}`)),
    `user ${uid} is created`,
  ).toBe(true);
  const health = ops(final, "HEALTHCHECK");
  expect(health.length, "HEALTHCHECK").toBe(1);
  expect(health[0]!.args).toMatch(/--interval=\S+/);
  const probe = execForm(health[0]!.args.slice(health[0]!.args.indexOf("CMD") + 3)).join(" ");
  expect(probe).toContain(healthPath);
  return { final, user };
}

describe("Dockerfile (orchestrator)", () => {
  const df = parseDockerfile(read("Dockerfile"));

  it("is multi-stage on Node 20, runs as a non-root user and checks /health/ready", () => {
    const { final } = checkCommon(df, routes.ready.path);
    expect(final.instructions.findIndex((i) => i.op === "USER")).toBeGreaterThan(
      final.instructions.findIndex((i) => i.op === "RUN"),
    );
  });

  it("installs every workspace from the lockfile before copying sources", () => {
    const deps = df.stages.find((s) => s.name === "deps")!;
    const copied = ops(deps, "COPY").map((c) => c.args.split(/\s+/)[0]);
    for (const ws of workspaces()) expect(copied, `${ws}/package.json`).toContain(`${ws}/package.json`);
    expect(ops(deps, "COPY")[0]!.args).toContain("package-lock.json");
    expect(ops(deps, "RUN").map((r) => r.args)).toContainEqual(expect.stringMatching(/^npm ci\b/));
  });

  it("builds the dashboard the orchestrator serves, and ships runtime dependencies only", () => {
    const build = df.stages.find((s) => s.name === "build")!;
    expect(ops(build, "RUN").some((r) => r.args.includes("npm run build:dashboard"))).toBe(true);
    const prod = df.stages.find((s) => s.name === "prod-deps")!;
    const install = ops(prod, "RUN")
      .map((r) => r.args)
      .find((a) => a.startsWith("npm ci"))!;
    expect(install).toContain("--omit=dev");
    // opencode-ai's platform binary is an optional dependency installed by its postinstall.
    expect(install).not.toMatch(/--omit=optional|--no-optional|--ignore-scripts/);
    const runtime = df.stages.at(-1)!;
    const copies = ops(runtime, "COPY").map((c) => c.args);
    expect(copies).toContain("--from=prod-deps /app ./");
    expect(copies).toContain("--from=build /app/apps/dashboard/.next ./apps/dashboard/.next");
  });

  it("includes git, ssh (SSH work remotes) and the pinned opencode binary, and fails the build when one is missing", () => {
    const runtime = df.stages.at(-1)!;
    const runs = ops(runtime, "RUN").map((r) => r.args);
    expect(runs.find((r) => r.includes("apt-get install"))).toMatch(/\bgit\b.*\bopenssh-client\b/);
    const check = runs.find((r) => r.includes("resolveOpenCodeBinary"))!;
    expect(check).toMatch(/--version/);
    expect(check).toMatch(/git --version/);
    expect(check).toMatch(/ssh -V/);
    const imported = /from '\.\/(packages\/[^']+)'/.exec(check)![1]!;
    expect(read(imported)).toContain("export function resolveOpenCodeBinary");
    const pinned = JSON.parse(read("packages/opencode/package.json")).dependencies["opencode-ai"] as string;
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    const lock = JSON.parse(read("package-lock.json")) as {
      packages: Record<string, { version?: string; optionalDependencies?: Record<string, string> }>;
    };
    expect(lock.packages["node_modules/opencode-ai"]?.version).toBe(pinned);
    expect(Object.keys(lock.packages["node_modules/opencode-ai"]?.optionalDependencies ?? {})).toContain(
      "opencode-linux-x64",
    );
  });

  it("starts the orchestrator under tini with the container's settings", () => {
    const runtime = df.stages.at(-1)!;
    expect(execForm(ops(runtime, "ENTRYPOINT")[0]!.args)).toEqual(["/usr/bin/tini", "--"]);
    const cmd = execForm(ops(runtime, "CMD")[0]!.args);
    expect(cmd).toEqual(["node", "apps/cli/bin/orchestrator.js", "start"]);
    expect(existsSync(join(ROOT, cmd[1]!))).toBe(true);
    const env = Object.fromEntries(
      ops(runtime, "ENV").flatMap((e) => [...e.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
    );
    const parsed = parseDeployedConfig(env, imageDirectories());
    expect(parsed.ok ? "" : parsed.errors.join("; ")).toBe("");
    expect(parsed.ok && parsed.config).toMatchObject({ HOST: "0.0.0.0", PORT: 8000, ORCHESTRATOR_DATA_DIR: "/data" });
    // Sessions' roots are a folder the image makes (and its user owns), never the application's /app.
    expect(env.ORCHESTRATOR_WORKSPACE_ROOTS).toBe("/srv/repos");
    expect(imageDirectories()).toContain("/srv/repos");
    expect(ops(runtime, "EXPOSE").map((e) => e.args)).toEqual(["8000"]);
    expect(ops(runtime, "VOLUME")[0]!.args).toContain('"/data"');
  });
});

describe("apps/dashboard/Dockerfile (standalone dashboard)", () => {
  const df = parseDockerfile(read("apps/dashboard/Dockerfile"));

  it("is multi-stage, non-root, checked by a health probe", () => {
    checkCommon(df, "'/'");
  });

  it("builds with Next's standalone output and runs its server.js with the static assets beside it", async () => {
    const build = df.stages.find((s) => s.name === "build")!;
    expect(
      ops(build, "RUN").some(
        (r) =>
          r.args.includes("npm run build -w @industrial/dashboard") &&
          r.args.includes(".next/standalone/apps/dashboard/server.js"),
      ),
    ).toBe(true);
    const runtime = df.stages.at(-1)!;
    expect(ops(runtime, "COPY").map((c) => c.args)).toEqual([
      "--from=build /app/apps/dashboard/.next/standalone ./",
      "--from=build /app/apps/dashboard/.next/static ./apps/dashboard/.next/static",
    ]);
    expect(execForm(ops(runtime, "CMD")[0]!.args)).toEqual(["node", "apps/dashboard/server.js"]);
    expect(
      ops(runtime, "RUN").some((r) => /npm (ci|install)/.test(r.args)),
      "no install in the runtime stage",
    ).toBe(false);
    const env = ops(runtime, "ENV")
      .map((e) => e.args)
      .join(" ");
    expect(env).toMatch(/HOSTNAME=0\.0\.0\.0/);
    expect(env).toMatch(/PORT=3000/);
  });

  it("has a next.config that builds standalone, proxies the API only when ORCHESTRATOR_PROXY_URL is set", async () => {
    const configUrl = pathToFileURL(join(ROOT, "apps/dashboard/next.config.mjs")).href;
    const config = (await import(configUrl)).default as (phase: string) => {
      output?: string;
      rewrites?: () => Promise<{ source: string; destination: string }[]>;
    };
    const embedded = config("phase-production-build");
    expect(embedded.output).toBe("standalone");
    expect(embedded.rewrites, "the embedded build (served by the orchestrator) has no rewrites").toBeUndefined();
    const arg = ops(
      df.stages.find((s) => s.name === "build")!,
      "ARG",
    ).find((a) => a.args.startsWith("ORCHESTRATOR_PROXY_URL="))!;
    const target = arg.args.split("=")[1]!;
    const saved = process.env.ORCHESTRATOR_PROXY_URL;
    process.env.ORCHESTRATOR_PROXY_URL = target;
    try {
      const proxied = await config("phase-production-build").rewrites!();
      for (const p of ["/api/:path*", "/ws/:path*", "/health", "/health/:path*"])
        expect(proxied).toContainEqual({ source: p, destination: `${target}${p}` });
    } finally {
      if (saved === undefined) delete process.env.ORCHESTRATOR_PROXY_URL;
      else process.env.ORCHESTRATOR_PROXY_URL = saved;
    }
  });
});

describe(".dockerignore", () => {
  const patterns = read(".dockerignore")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const toRegex = (glob: string) =>
    new RegExp(
      `^${glob
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*\*\//g, "\0")
        .replace(/\*/g, "[^/]*")
        .replace(/\0/g, "(?:.*/)?")}(?:/.*)?$`,
    );
  // As Docker reads it: the last pattern that matches decides, `!` re-includes.
  const ignored = (path: string) =>
    patterns.reduce(
      (out, p) =>
        p.startsWith("!") ? (toRegex(p.slice(1)).test(path) ? false : out) : toRegex(p).test(path) ? true : out,
      false,
    );

  it("keeps node_modules and builds out of the context, and the sources in", () => {
    for (const p of [
      "node_modules/x",
      "apps/dashboard/node_modules/x",
      "apps/dashboard/.next/BUILD_ID",
      ".git/HEAD",
      ".orchestrator/pglite",
    ])
      expect(ignored(p), p).toBe(true);
    for (const p of [
      "package.json",
      "package-lock.json",
      "apps/cli/bin/orchestrator.js",
      "apps/dashboard/next.config.mjs",
      "packages/opencode/src/index.ts",
      "apps/server/src/main.ts",
    ])
      expect(ignored(p), p).toBe(false);
    // The chart's bundled git server runs from the orchestrator's image; the rest of deploy/ stays out.
    expect(ignored("deploy/git-server/main.ts")).toBe(false);
    expect(ignored("deploy/helm/industrial-orchestrator/values.yaml")).toBe(true);
  });
});

describe("docker-compose.yml", () => {
  type Service = {
    build?: { context: string; dockerfile: string; args?: Record<string, string> };
    image?: string;
    environment?: string[] | Record<string, string>;
    volumes?: string[];
    depends_on?: Record<string, { condition: string }> | string[];
    healthcheck?: unknown;
    command?: string[];
    stop_grace_period?: string;
    ports?: string[];
  };
  // As compose reads it with the .env init-env.sh writes (and nothing else set).
  const dotEnv = generatedDotEnv();
  const interpolated = interpolateDocument(
    parse(read("docker-compose.yml")) as { services: Record<string, Service> },
    dotEnv,
  );
  const s = interpolated.value.services;
  const env = (svc: Service) => serviceEnvironment(svc.environment);

  it("starts with the .env init-env.sh writes, and every variable it requires", () => {
    expect(interpolated.missing).toEqual([]);
  });

  it("runs orchestrator, dashboard, postgres, redis, prometheus and grafana", () => {
    expect(Object.keys(s).sort()).toEqual(["dashboard", "grafana", "orchestrator", "postgres", "prometheus", "redis"]);
    expect(s.orchestrator!.build).toMatchObject({ context: ".", dockerfile: "Dockerfile" });
    expect(s.dashboard!.build).toMatchObject({ context: ".", dockerfile: "apps/dashboard/Dockerfile" });
    for (const svc of Object.values(s)) if (svc.build) expect(existsSync(join(ROOT, svc.build.dockerfile))).toBe(true);
  });

  it("gives the orchestrator a configuration config.ts accepts, on the compose PostgreSQL and Redis", () => {
    const e = env(s.orchestrator!);
    const known = configKeys();
    const names = Object.keys(e);
    expect(names.filter((n) => !known.has(n) && n !== "REDIS_URL" && !/_API_KEY$/.test(n))).toEqual([]);
    const mounts = (s.orchestrator!.volumes ?? []).map((v) => v.split(":")[1]!);
    const parsed = parseDeployedConfig(e, [...imageDirectories(), ...mounts]);
    expect(parsed.ok ? "" : parsed.errors.join("; ")).toBe("");
    expect(mounts).toContain("/srv/repos");
    const db = new URL(e.DATABASE_URL!);
    const pg = env(s.postgres!);
    expect([db.hostname, db.port, db.username, db.password, db.pathname]).toEqual([
      "postgres",
      "5432",
      pg.POSTGRES_USER,
      pg.POSTGRES_PASSWORD,
      `/${pg.POSTGRES_DB}`,
    ]);
    const redis = new URL(e.REDIS_URL!);
    expect(redis.hostname).toBe("redis");
    const requirepass = s.redis!.command![s.redis!.command!.indexOf("--requirepass") + 1];
    expect(redis.password).toBe(requirepass);
    expect(env(s.redis!).REDISCLI_AUTH, "the health check authenticates").toBe(requirepass);
    expect(Number.parseInt(s.orchestrator!.stop_grace_period!, 10)).toBeGreaterThan(LEASE_SECONDS);
    // The server's own bound ends before compose's kill.
    expect(parsed.ok && parsed.config.ORCHESTRATOR_SHUTDOWN_GRACE_SECONDS).toBeLessThan(
      Number.parseInt(s.orchestrator!.stop_grace_period!, 10),
    );
    expect(s.dashboard!.build!.args!.ORCHESTRATOR_PROXY_URL).toBe("http://orchestrator:8000");
  });

  it("waits on health checks that exist", () => {
    for (const [name, svc] of Object.entries(s))
      for (const [dep, { condition }] of Object.entries(Array.isArray(svc.depends_on) ? {} : (svc.depends_on ?? {}))) {
        if (condition !== "service_healthy") continue;
        const target = s[dep]!;
        const hasCheck =
          Boolean(target.healthcheck) ||
          (target.build
            ? parseDockerfile(read(target.build.dockerfile))
                .stages.at(-1)!
                .instructions.some((i) => i.op === "HEALTHCHECK")
            : false);
        expect(hasCheck, `${name} waits for ${dep} to be healthy`).toBe(true);
      }
  });

  it("mounts the Prometheus scrape config and Grafana's provisioning from the repository", () => {
    const mounts = (svc: Service) =>
      (svc.volumes ?? [])
        .filter((v) => v.startsWith("./"))
        .map((v) => ({ src: v.split(":")[0]!, dst: v.split(":")[1]! }));
    for (const svc of Object.values(s))
      for (const m of mounts(svc)) expect(existsSync(join(ROOT, m.src)), m.src).toBe(true);

    const promConfig = mounts(s.prometheus!).find((m) => m.src === "./deploy/prometheus/prometheus.yml")!;
    expect(s.prometheus!.command).toContain(`--config.file=${promConfig.dst}`);
    const prom = parse(read("deploy/prometheus/prometheus.yml")) as {
      scrape_configs: {
        job_name: string;
        metrics_path?: string;
        dns_sd_configs?: { names: string[]; port: number }[];
      }[];
    };
    const job = prom.scrape_configs.find((j) => j.job_name === "orchestrator")!;
    expect(job.metrics_path).toBe("/metrics");
    expect(job.dns_sd_configs?.[0]).toMatchObject({ names: ["orchestrator"], port: 8000 });

    const g = mounts(s.grafana!);
    expect(g.map((m) => m.dst)).toEqual(
      expect.arrayContaining(["/etc/grafana/provisioning/datasources", "/etc/grafana/provisioning/dashboards"]),
    );
    const ds = parse(read("deploy/grafana/provisioning/datasources/prometheus.yml")) as {
      datasources: { type: string; url: string }[];
    };
    expect(ds.datasources).toContainEqual(
      expect.objectContaining({ type: "prometheus", url: "http://prometheus:9090" }),
    );
    const providers = parse(read("deploy/grafana/provisioning/dashboards/orchestrator.yml")) as {
      providers: { options: { path: string } }[];
    };
    const dashboardMount = g.find((m) => m.src === "./deploy/grafana/orchestrator.json")!;
    expect(posix.dirname(dashboardMount.dst)).toBe(providers.providers[0]!.options.path);
    expect(dirname(join(ROOT, dashboardMount.src))).toBe(join(ROOT, "deploy/grafana"));
  });
});
