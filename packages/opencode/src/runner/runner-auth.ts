import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { OPENCODE_AUTH_USER } from "@industrial/core";

/**
 * A managed runner's own password. `opencode serve` listens on 127.0.0.1,
 * where every process of the machine reaches it — an agent's shell command
 * too, which could otherwise drive OpenCode for any directory (outside its
 * sandbox, past its agent's permissions). With `OPENCODE_SERVER_PASSWORD`
 * set, OpenCode answers 401 to any request without basic auth (user
 * `opencode`), so only the orchestrator, which holds the password, drives it.
 */

/** 256 random bits, URL-safe: never logged, never stored, never shown. */
export function createRunnerPassword(): string {
  return randomBytes(32).toString("base64url");
}

/** The Authorization header of a runner started with `password`. */
export function computeRunnerAuthHeaders(password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${OPENCODE_AUTH_USER}:${password}`).toString("base64")}` };
}

/** The plugin's file name in a runner's state dir. */
export const RUNNER_SECRETS_PLUGIN_FILE = "orchestrator-runner-secrets.js";

/**
 * The OpenCode plugin that keeps the password out of the commands the
 * runner's agents run: OpenCode gives a bash tool (and a session shell, a
 * terminal) its own environment plus what `shell.env` returns, so without
 * it `env` would print the password into the tool's output — the session's
 * events — and hand it to the very command it is meant to keep out.
 */
export function runnerSecretsPluginSource(): string {
  return `// Written by Industrial Orchestrator for its managed OpenCode runners: the runner's password stays out of its agents' commands.
export const OrchestratorRunnerSecrets = async () => ({
  "shell.env": async (_input, output) => {
    output.env.OPENCODE_SERVER_PASSWORD = "";
  },
});
`;
}

/** Writes the plugin into `dir`; returns the `file://` URL OpenCode's `plugin` config takes. */
export function writeRunnerSecretsPlugin(dir: string): string {
  const file = join(dir, RUNNER_SECRETS_PLUGIN_FILE);
  writeFileSync(file, runnerSecretsPluginSource(), { mode: 0o600 });
  return pathToFileURL(file).href;
}
