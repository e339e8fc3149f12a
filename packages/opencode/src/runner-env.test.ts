import { describe, expect, it } from "vitest";
import { computeOpenCodeConfig } from "./opencode-config";
import { computeRunnerEnv, OFFLINE_ENV } from "./runner-env";

const config = computeOpenCodeConfig({ mode: "user" });
const base = { PATH: "/usr/bin", HOME: "/home/me", XDG_CONFIG_HOME: "/home/me/.config", OPENCODE_CONFIG: "/home/me/oc.json", OPENCODE_SERVER_PASSWORD: "s3cret", ANTHROPIC_API_KEY: "k" };

describe("computeRunnerEnv", () => {
  it("isolates: own XDG homes, no inherited OPENCODE_*, offline switches and the config", () => {
    const env = computeRunnerEnv({ base, config, stateDir: "/state", isolate: true });
    expect(env).toMatchObject({ PATH: "/usr/bin", HOME: "/home/me", XDG_CONFIG_HOME: "/state/xdg/config", XDG_DATA_HOME: "/state/xdg/data", XDG_CACHE_HOME: "/state/xdg/cache", XDG_STATE_HOME: "/state/xdg/state", ...OFFLINE_ENV });
    expect(env.OPENCODE_CONFIG).toBeUndefined();
    expect(env.OPENCODE_SERVER_PASSWORD).toBeUndefined();
    expect(JSON.parse(env.OPENCODE_CONFIG_CONTENT ?? "")).toEqual(config);
    expect(env.ORCHESTRATOR_RUNNER_STATE_DIR).toBe("/state");
  });

  it("keeps the person's XDG config and OpenCode setup when not isolated, minus the server password", () => {
    const env = computeRunnerEnv({ base, config, stateDir: "/state", isolate: false, extra: { EXTRA: "1", ORCHESTRATOR_RUNNER_STATE_DIR: "/elsewhere" } });
    expect(env.ORCHESTRATOR_RUNNER_STATE_DIR).toBe("/state"); // the marker cannot be overridden
    expect(env).toMatchObject({ XDG_CONFIG_HOME: "/home/me/.config", OPENCODE_CONFIG: "/home/me/oc.json", ANTHROPIC_API_KEY: "k", EXTRA: "1", ...OFFLINE_ENV });
    expect(env.XDG_DATA_HOME).toBeUndefined();
    expect(env.OPENCODE_SERVER_PASSWORD).toBeUndefined();
  });
});
