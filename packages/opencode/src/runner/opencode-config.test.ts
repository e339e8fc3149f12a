import { describe, expect, it } from "vitest";
import {
  computeOpenCodeConfig,
  computeTemperatureAgents,
  resolveOpenCodeAgent,
  SCRIPTED_MODEL,
} from "./opencode-config";

const headless = { question: "deny", webfetch: "deny", websearch: "deny", external_directory: "deny" };

describe("computeOpenCodeConfig", () => {
  it("points everything at the scripted model in scripted mode", () => {
    const config = computeOpenCodeConfig({ mode: "scripted", baseUrl: "http://127.0.0.1:1234/v1" });
    expect(config).toMatchObject({
      autoupdate: false,
      share: "disabled",
      lsp: false,
      formatter: false,
      model: SCRIPTED_MODEL,
      small_model: SCRIPTED_MODEL,
      enabled_providers: ["scripted"],
      permission: { edit: "allow", bash: "allow", ...headless },
      provider: {
        scripted: {
          npm: "@ai-sdk/openai-compatible",
          options: { baseURL: "http://127.0.0.1:1234/v1" },
          models: {
            "scripted-model": {
              tool_call: true,
              cost: { input: 1, output: 2 },
              limit: { context: 128_000, output: 8_192 },
            },
          },
        },
      },
    });
  });

  it("leaves providers alone in user mode and sets the model only when given", () => {
    const plain = computeOpenCodeConfig({ mode: "user" });
    expect(plain).toEqual({
      autoupdate: false,
      share: "disabled",
      lsp: false,
      formatter: false,
      permission: { edit: "allow", bash: "allow", ...headless },
      agent: computeTemperatureAgents(),
    });
    expect(computeOpenCodeConfig({ mode: "user", model: "anthropic/claude-sonnet-4" }).model).toBe(
      "anthropic/claude-sonnet-4",
    );
  });

  it("lets edit and bash be overridden, never the headless denials", () => {
    const config = computeOpenCodeConfig({
      mode: "user",
      permission: { edit: "ask", bash: { "*": "ask", "git status": "allow" } },
    });
    expect(config.permission).toEqual({ edit: "ask", bash: { "*": "ask", "git status": "allow" }, ...headless });
  });
});

describe("temperature agents", () => {
  it("defines a primary copy of build at every 0.05 from 0 to 2, in both modes", () => {
    const agents = computeTemperatureAgents();
    expect(Object.keys(agents)).toHaveLength(41);
    expect(agents["build-t0.00"]).toMatchObject({ mode: "primary", temperature: 0 });
    expect(agents["build-t0.35"]).toMatchObject({ mode: "primary", temperature: 0.35 });
    expect(agents["build-t2.00"]).toMatchObject({ mode: "primary", temperature: 2 });
    expect(computeOpenCodeConfig({ mode: "scripted", baseUrl: "http://x/v1" }).agent).toEqual(agents);
  });

  it("sends build's copy for an agent with a temperature, and the agent's own OpenCode agent otherwise", () => {
    expect(resolveOpenCodeAgent({ openCodeAgent: "build", temperature: 0.35 })).toBe("build-t0.35");
    expect(resolveOpenCodeAgent({ openCodeAgent: "build", temperature: 0.1 + 0.2 })).toBe("build-t0.30");
    expect(resolveOpenCodeAgent({ openCodeAgent: "build", temperature: null })).toBe("build");
    expect(resolveOpenCodeAgent({ openCodeAgent: "plan", temperature: null })).toBe("plan");
    const agents = computeTemperatureAgents();
    for (const t of Object.values(agents))
      expect(agents[resolveOpenCodeAgent({ openCodeAgent: "build", temperature: t.temperature })]).toBe(t);
  });
});
