import { describe, expect, it } from "vitest";
import { computeOpenCodeConfig } from "./opencode-config";
import { CONFINED_ENV, computeRunnerEnv, OFFLINE_ENV } from "./runner-env";
import { computeRunnerEnvProblems } from "./runner-env-policy";

const config = computeOpenCodeConfig({ mode: "user" });
const base = {
  PATH: "/usr/bin",
  HOME: "/home/me",
  XDG_CONFIG_HOME: "/home/me/.config",
  OPENCODE_CONFIG: "/home/me/oc.json",
  OPENCODE_SERVER_PASSWORD: "s3cret",
  ANTHROPIC_API_KEY: "k",
};

/** What an orchestrator's environment holds: its own secrets and settings, a person's shell, provider credentials. */
const orchestratorEnv = {
  ...base,
  USER: "me",
  LOGNAME: "me",
  SHELL: "/bin/bash",
  TERM: "xterm-256color",
  TMPDIR: "/tmp/me",
  LANG: "de_DE.UTF-8",
  LC_ALL: "de_DE.UTF-8",
  LC_TIME: "C",
  TZ: "Europe/Berlin",
  HTTPS_PROXY: "http://proxy:3128",
  https_proxy: "http://proxy:3128",
  NO_PROXY: "localhost,127.0.0.1",
  no_proxy: "localhost",
  NODE_EXTRA_CA_CERTS: "/etc/ssl/corp.pem",
  ORCHESTRATOR_ADMIN_KEY: "admin-key-0123456789abcdef0123456789",
  ORCHESTRATOR_SECRET: "server-secret",
  ORCHESTRATOR_METRICS_TOKEN: "metrics-token",
  ORCHESTRATOR_DEFAULT_MODEL: "anthropic/claude",
  DATABASE_URL: "postgres://u:pw@db/orchestrator",
  REDIS_URL: "redis://:pw@redis:6379",
  PGPASSWORD: "pw",
  AWS_ACCESS_KEY_ID: "AKIA",
  AWS_SECRET_ACCESS_KEY: "aws-secret",
  OPENAI_API_KEY: "sk-openai",
  GITHUB_TOKEN: "ghp_x",
  npm_config__authToken: "npm-token",
};

describe("computeRunnerEnv", () => {
  it("isolates: own XDG homes, no inherited OPENCODE_*, offline switches and the config", () => {
    const env = computeRunnerEnv({ base, config, stateDir: "/state", isolate: true });
    expect(env).toMatchObject({
      PATH: "/usr/bin",
      HOME: "/home/me",
      XDG_CONFIG_HOME: "/state/xdg/config",
      XDG_DATA_HOME: "/state/xdg/data",
      XDG_CACHE_HOME: "/state/xdg/cache",
      XDG_STATE_HOME: "/state/xdg/state",
      ...OFFLINE_ENV,
      ...CONFINED_ENV,
    });
    expect(env.OPENCODE_CONFIG).toBeUndefined();
    expect(env.OPENCODE_SERVER_PASSWORD).toBeUndefined();
    expect(JSON.parse(env.OPENCODE_CONFIG_CONTENT ?? "")).toEqual(config);
    expect(env.ORCHESTRATOR_RUNNER_STATE_DIR).toBe("/state");
  });

  it("keeps the person's XDG config and OpenCode setup when not isolated, minus the server password", () => {
    const env = computeRunnerEnv({
      base,
      config,
      stateDir: "/state",
      isolate: false,
      inherit: ["ANTHROPIC_API_KEY"],
      extra: { EXTRA: "1", ORCHESTRATOR_RUNNER_STATE_DIR: "/elsewhere" },
    });
    expect(env.ORCHESTRATOR_RUNNER_STATE_DIR).toBe("/state"); // the marker cannot be overridden
    expect(env).toMatchObject({
      XDG_CONFIG_HOME: "/home/me/.config",
      OPENCODE_CONFIG: "/home/me/oc.json",
      ANTHROPIC_API_KEY: "k",
      EXTRA: "1",
      ...OFFLINE_ENV,
    });
    expect(env.XDG_DATA_HOME).toBeUndefined();
    expect(env.OPENCODE_SERVER_PASSWORD).toBeUndefined();
  });

  it("sets the runner's own password and user last, so neither the parent nor `extra` can replace them", () => {
    const extra = { OPENCODE_SERVER_PASSWORD: "from-extra", OPENCODE_SERVER_USERNAME: "someone" };
    for (const isolate of [true, false]) {
      const env = computeRunnerEnv({ base, config, stateDir: "/state", isolate, extra, password: "p4ss" });
      expect(env).toMatchObject({ OPENCODE_SERVER_PASSWORD: "p4ss", OPENCODE_SERVER_USERNAME: "opencode" });
    }
  });

  for (const isolate of [true, false]) {
    it(`inherits only the allow-list and the named variables (${isolate ? "isolated" : "the person's setup"})`, () => {
      const env = computeRunnerEnv({
        base: orchestratorEnv,
        config,
        stateDir: "/state",
        isolate,
        inherit: ["OPENAI_API_KEY", "AWS_*"],
      });
      const inherited = Object.keys(env).filter(
        (k) =>
          !(k in OFFLINE_ENV) &&
          !(k in CONFINED_ENV) &&
          !k.startsWith("XDG_") &&
          k !== "OPENCODE_CONFIG_CONTENT" &&
          k !== "ORCHESTRATOR_RUNNER_STATE_DIR",
      );
      expect(inherited.sort()).toEqual(
        [
          "PATH",
          "HOME",
          "USER",
          "LOGNAME",
          "SHELL",
          "TERM",
          "TMPDIR",
          "LANG",
          "LC_ALL",
          "LC_TIME",
          "TZ",
          "HTTPS_PROXY",
          "https_proxy",
          "NO_PROXY",
          "no_proxy",
          "NODE_EXTRA_CA_CERTS",
          "OPENAI_API_KEY",
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          ...(isolate ? [] : ["OPENCODE_CONFIG"]),
        ].sort(),
      );
      expect(env).toMatchObject({
        LANG: "de_DE.UTF-8",
        LC_TIME: "C",
        TZ: "Europe/Berlin",
        HTTPS_PROXY: "http://proxy:3128",
        OPENAI_API_KEY: "sk-openai",
        AWS_SECRET_ACCESS_KEY: "aws-secret",
      });
      // Not named: a provider key the operator did not list stays with the orchestrator too.
      expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    });
  }

  it("never passes the orchestrator's own variables, even when a list names them", () => {
    const env = computeRunnerEnv({
      base: orchestratorEnv,
      config,
      stateDir: "/state",
      isolate: false,
      inherit: ["ORCHESTRATOR_SECRET", "DATABASE_URL", "REDIS_URL", "ORCHESTRATOR_*", "OPENCODE_SERVER_PASSWORD"],
    });
    for (const name of [
      "ORCHESTRATOR_ADMIN_KEY",
      "ORCHESTRATOR_SECRET",
      "ORCHESTRATOR_METRICS_TOKEN",
      "ORCHESTRATOR_DEFAULT_MODEL",
      "DATABASE_URL",
      "REDIS_URL",
      "OPENCODE_SERVER_PASSWORD",
    ])
      expect(env).not.toHaveProperty(name);
    const values = Object.values(env).join("\n");
    for (const secret of [
      "admin-key-0123456789abcdef0123456789",
      "server-secret",
      "metrics-token",
      "postgres://",
      "redis://",
    ])
      expect(values).not.toContain(secret);
  });
});

describe("computeRunnerEnvProblems (ORCHESTRATOR_RUNNER_ENV)", () => {
  it("accepts provider names and PREFIX_* patterns", () => {
    expect(computeRunnerEnvProblems([])).toEqual([]);
    expect(
      computeRunnerEnvProblems([
        "ANTHROPIC_API_KEY",
        "OPENAI_API_KEY",
        "AWS_*",
        "GOOGLE_*",
        "azure_api_key",
        "OPENCODE_API_KEY",
      ]),
    ).toEqual([]);
  });

  it("refuses the orchestrator's own secrets, naming each", () => {
    const problems = computeRunnerEnvProblems([
      "ORCHESTRATOR_SECRET",
      "ORCHESTRATOR_ADMIN_KEY",
      "DATABASE_URL",
      "REDIS_URL",
      "ORCHESTRATOR_METRICS_TOKEN",
      "ANTHROPIC_API_KEY",
    ]);
    expect(problems).toHaveLength(5);
    for (const [i, name] of [
      "ORCHESTRATOR_SECRET",
      "ORCHESTRATOR_ADMIN_KEY",
      "DATABASE_URL",
      "REDIS_URL",
      "ORCHESTRATOR_METRICS_TOKEN",
    ].entries())
      expect(problems[i]).toContain(name);
    expect(problems[2]).toBe("DATABASE_URL is the orchestrator's own secret and never reaches an agent");
  });

  it("refuses patterns that would cover one of them, and what is not a name", () => {
    const patterns = ["ORCHESTRATOR_*", "ORCH*", "O*", "DATABASE_*", "D*", "REDIS_*", "R*"];
    expect(computeRunnerEnvProblems(patterns).map((p) => p.split(" ")[0])).toEqual(patterns);
    expect(computeRunnerEnvProblems(["D*"])).toEqual([
      "D* would cover DATABASE_URL, the orchestrator's own secret, which never reaches an agent",
    ]);
    expect(computeRunnerEnvProblems(["*", "A*B", "1X", "A-B", "", "PATH=/x"])).toHaveLength(6);
  });

  it("refuses the OpenCode variables the orchestrator sets itself", () => {
    expect(computeRunnerEnvProblems(["OPENCODE_SERVER_PASSWORD", "OPENCODE_CONFIG_CONTENT"])).toEqual([
      "OPENCODE_SERVER_PASSWORD is set by the orchestrator for its runners and cannot be passed through",
      "OPENCODE_CONFIG_CONTENT is set by the orchestrator for its runners and cannot be passed through",
    ]);
  });
});
