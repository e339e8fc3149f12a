/**
 * The OpenCode config a managed runner starts with (passed as JSON in
 * `OPENCODE_CONFIG_CONTENT`, so nothing is written into anyone's repo).
 * Two modes:
 * - scripted: one provider `scripted` (`@ai-sdk/openai-compatible`, bundled in
 *   the binary) pointing at the scripted model; used by tests and `--demo`.
 * - user: no provider override, so the person's own providers and auth apply;
 *   optionally a default model.
 */
import { TEMPERATURE_BASE_AGENT, TEMPERATURE_STEP } from "@industrial/core";

export type PermissionAction = "allow" | "ask" | "deny";
/** One action, or `{glob: action}` (the last matching rule wins). */
export type PermissionRule = PermissionAction | Record<string, PermissionAction>;

/** What callers may change in the headless baseline. */
export interface PermissionOverrides {
  edit?: PermissionRule;
  bash?: PermissionRule;
}

export const SCRIPTED_PROVIDER_ID = "scripted";
export const SCRIPTED_MODEL_ID = "scripted-model";
/** The model ref of the scripted model, as OpenCode spells it. */
export const SCRIPTED_MODEL = `${SCRIPTED_PROVIDER_ID}/${SCRIPTED_MODEL_ID}`;
/**
 * A second name for the same replay server, priced higher: agents can be
 * given different models in tests and the demo, and the request log shows
 * which one each call used.
 */
export const SCRIPTED_MODEL_LARGE_ID = "scripted-model-large";
/** Scripted models that fail every call, as a provider in trouble does: 429 with retry-after 1 s, and 503. */
export const SCRIPTED_MODEL_UNAVAILABLE_ID = "scripted-unavailable";
export const SCRIPTED_MODEL_OVERLOADED_ID = "scripted-overloaded";

export type OpenCodeConfigOptions =
  | {
      mode: "scripted";
      /** The scripted model's `http://127.0.0.1:<port>/v1`. */ baseUrl: string;
      permission?: PermissionOverrides;
    }
  | {
      mode: "user";
      /** e.g. `anthropic/claude-sonnet-4`. */ model?: string;
      smallModel?: string;
      permission?: PermissionOverrides;
    };

/** The subset of OpenCode's config schema we write. */
export interface OpenCodeConfig {
  autoupdate: false;
  share: "disabled";
  lsp: false;
  formatter: false;
  permission: Record<string, PermissionRule>;
  model?: string;
  small_model?: string;
  enabled_providers?: string[];
  provider?: Record<string, unknown>;
  agent: Record<string, OpenCodeAgentConfig>;
  /** Plugins to load (`file://` URLs: the managed runners' agent gate). */
  plugin?: string[];
}

export interface OpenCodeAgentConfig {
  mode: "primary";
  temperature: number;
  description: string;
}

/** The OpenCode agent a session of an orchestrator agent runs on: the temperature copy of build when it has one. */
export function resolveOpenCodeAgent(agent: { openCodeAgent: string; temperature: number | null }): string {
  if (agent.temperature === null || agent.openCodeAgent !== TEMPERATURE_BASE_AGENT) return agent.openCodeAgent;
  return `${TEMPERATURE_BASE_AGENT}-t${(Math.round(agent.temperature / TEMPERATURE_STEP) * TEMPERATURE_STEP).toFixed(2)}`;
}

/**
 * Copies of `build` at every temperature step. A config agent with a new name
 * gets OpenCode's default permissions and prompt, which is what build is
 * (less its plan-mode switch, which headless runs never use). Defined up
 * front, so no runner restarts (an OpenCode config change aborts running turns).
 */
export function computeTemperatureAgents(): Record<string, OpenCodeAgentConfig> {
  const agents: Record<string, OpenCodeAgentConfig> = {};
  for (let i = 0; i <= Math.round(2 / TEMPERATURE_STEP); i++) {
    const temperature = Number((i * TEMPERATURE_STEP).toFixed(2));
    agents[resolveOpenCodeAgent({ openCodeAgent: TEMPERATURE_BASE_AGENT, temperature })] = {
      mode: "primary",
      temperature,
      description: `${TEMPERATURE_BASE_AGENT} at temperature ${temperature} (Industrial Orchestrator)`,
    };
  }
  return agents;
}

/**
 * Permissions for runs nobody watches: `question` would block forever,
 * `webfetch`/`websearch` reach the internet, and `external_directory` lets
 * the agent leave its workspace. Those stay denied; `edit` and `bash` are
 * allowed unless the agent's policy says otherwise.
 */
export function computePermissions(overrides: PermissionOverrides = {}): Record<string, PermissionRule> {
  return {
    edit: overrides.edit ?? "allow",
    bash: overrides.bash ?? "allow",
    question: "deny",
    webfetch: "deny",
    websearch: "deny",
    external_directory: "deny",
  };
}

/** Builds the config for one managed runner. */
export function computeOpenCodeConfig(options: OpenCodeConfigOptions): OpenCodeConfig {
  const base = {
    autoupdate: false,
    share: "disabled",
    lsp: false,
    formatter: false,
    permission: computePermissions(options.permission),
    agent: computeTemperatureAgents(),
  } as const;
  if (options.mode === "user") {
    return {
      ...base,
      ...(options.model ? { model: options.model } : {}),
      ...(options.smallModel ? { small_model: options.smallModel } : {}),
    };
  }
  return {
    ...base,
    model: SCRIPTED_MODEL,
    // Title generation uses small_model: keep it on the scripted model too, or
    // OpenCode would look for a real provider.
    small_model: SCRIPTED_MODEL,
    enabled_providers: [SCRIPTED_PROVIDER_ID],
    provider: {
      [SCRIPTED_PROVIDER_ID]: {
        npm: "@ai-sdk/openai-compatible",
        name: "Scripted model (replays a script, not an LLM)",
        options: { baseURL: options.baseUrl, apiKey: "scripted" },
        models: {
          // $ per million tokens: small, non-zero, so cost flows end to end.
          [SCRIPTED_MODEL_ID]: scriptedModelEntry("Scripted model", { input: 1, output: 2 }),
          [SCRIPTED_MODEL_LARGE_ID]: scriptedModelEntry("Scripted model (large)", { input: 5, output: 10 }),
          [SCRIPTED_MODEL_UNAVAILABLE_ID]: scriptedModelEntry("Scripted model (rate limited: every call 429)", {
            input: 1,
            output: 2,
          }),
          [SCRIPTED_MODEL_OVERLOADED_ID]: scriptedModelEntry("Scripted model (overloaded: every call 503)", {
            input: 1,
            output: 2,
          }),
        },
      },
    },
  };
}

function scriptedModelEntry(name: string, cost: { input: number; output: number }) {
  return {
    name,
    tool_call: true,
    attachment: false,
    reasoning: false,
    temperature: true,
    cost,
    limit: { context: 128_000, output: 8_192 },
  };
}
