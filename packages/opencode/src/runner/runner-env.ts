import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { OPENCODE_AUTH_USER } from "@industrial/core";
import type { OpenCodeConfig } from "./opencode-config";
import { RUNNER_MARKER_ENV } from "./process-control";
import { isRunnerEnvAllowed } from "./runner-env-policy";

/**
 * The environment and directories of a managed `opencode serve`.
 */

/** Switches that keep OpenCode from reaching the internet on its own (OPENCODE.md). */
export const OFFLINE_ENV: Readonly<Record<string, string>> = {
  OPENCODE_DISABLE_MODELS_FETCH: "1",
  OPENCODE_DISABLE_AUTOUPDATE: "1",
  OPENCODE_DISABLE_SHARE: "1",
  OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
  OPENCODE_DISABLE_EXTERNAL_SKILLS: "1",
  OPENCODE_DISABLE_CLAUDE_CODE: "1",
};

/**
 * Switches that keep a repository's own OpenCode setup out of the runner: a
 * worktree's `opencode.json` and `.opencode/` (plugins, agents, commands)
 * would otherwise load — a plugin is code the runner process runs, outside
 * the sandbox, and a config could allow what the agent's permissions deny.
 */
export const CONFINED_ENV: Readonly<Record<string, string>> = {
  OPENCODE_DISABLE_PROJECT_CONFIG: "1",
};

/** XDG homes of an isolated runner, all under its state dir. */
export interface IsolatedDirs {
  config: string;
  data: string;
  cache: string;
  state: string;
}

export function computeIsolatedDirs(stateDir: string): IsolatedDirs {
  const xdg = join(stateDir, "xdg");
  return { config: join(xdg, "config"), data: join(xdg, "data"), cache: join(xdg, "cache"), state: join(xdg, "state") };
}

export interface RunnerEnvInput {
  /** The parent's environment (process.env): only its allow-listed variables are inherited. */
  base: NodeJS.ProcessEnv;
  config: OpenCodeConfig;
  stateDir: string;
  isolate: boolean;
  /** Where the isolated XDG homes live (default: stateDir). */
  isolatedHome?: string;
  /**
   * More of the parent's variables to inherit (names or `PREFIX_*` patterns):
   * the provider credentials the operator names in ORCHESTRATOR_RUNNER_ENV.
   * The orchestrator's own variables are never inherited, named or not.
   */
  inherit?: readonly string[];
  /** Extra variables, applied last. */
  extra?: Record<string, string>;
  /** The runner's own password (runner-auth.ts): OpenCode then refuses every request without it. */
  password?: string;
}

/**
 * The child's environment: the allow-listed part of the parent's
 * (runner-env-policy.ts), so that no agent's shell can read the
 * orchestrator's secrets. Isolated (tests, demo): no inherited `OPENCODE_*`,
 * so a developer's own OpenCode setup cannot leak into a run, and the XDG
 * homes point into the state dir. Not isolated (a person's real models):
 * their XDG homes and OPENCODE_* stay, so their providers and auth work.
 */
export function computeRunnerEnv(input: RunnerEnvInput): Record<string, string> {
  const policy = { isolate: input.isolate, inherit: input.inherit ?? [] };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.base)) {
    if (value !== undefined && isRunnerEnvAllowed(key, policy)) env[key] = value;
  }
  if (input.isolate) {
    const dirs = computeIsolatedDirs(input.isolatedHome ?? input.stateDir);
    Object.assign(env, {
      XDG_CONFIG_HOME: dirs.config,
      XDG_DATA_HOME: dirs.data,
      XDG_CACHE_HOME: dirs.cache,
      XDG_STATE_HOME: dirs.state,
    });
  }
  Object.assign(
    env,
    OFFLINE_ENV,
    CONFINED_ENV,
    { OPENCODE_CONFIG_CONTENT: JSON.stringify(input.config) },
    input.extra ?? {},
  );
  // After `extra`, so nothing can weaken it; never inherited (runner-env-policy.ts), so set here or not at all.
  if (input.password !== undefined)
    Object.assign(env, { OPENCODE_SERVER_PASSWORD: input.password, OPENCODE_SERVER_USERNAME: OPENCODE_AUTH_USER });
  // Last, so nothing can overwrite it: stop() finds the runner's processes by it.
  env[RUNNER_MARKER_ENV] = input.stateDir;
  return env;
}

/**
 * Creates the isolated XDG homes and pre-seeds OpenCode's global config dir:
 * with `node_modules/` present and `package-lock.json` listing
 * `@opencode-ai/plugin`, OpenCode skips its background
 * `npm install @opencode-ai/plugin` (an outside connection, ~63 MB).
 */
export async function prepareIsolatedDirs(stateDir: string): Promise<IsolatedDirs> {
  const dirs = computeIsolatedDirs(stateDir);
  await Promise.all(Object.values(dirs).map((d) => mkdir(d, { recursive: true })));
  const opencodeConfig = join(dirs.config, "opencode");
  await mkdir(join(opencodeConfig, "node_modules"), { recursive: true });
  const lock = {
    name: "opencode-config",
    lockfileVersion: 3,
    packages: { "": { dependencies: { "@opencode-ai/plugin": "*" } } },
  };
  await writeFile(join(opencodeConfig, "package-lock.json"), `${JSON.stringify(lock, null, 2)}\n`);
  return dirs;
}
