import { describe, expect, it } from "vitest";
import { computeOpenCodeConfig, SCRIPTED_MODEL } from "./opencode-config";

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
          models: { "scripted-model": { tool_call: true, cost: { input: 1, output: 2 }, limit: { context: 128_000, output: 8_192 } } },
        },
      },
    });
  });

  it("leaves providers alone in user mode and sets the model only when given", () => {
    const plain = computeOpenCodeConfig({ mode: "user" });
    expect(plain).toEqual({ autoupdate: false, share: "disabled", lsp: false, formatter: false, permission: { edit: "allow", bash: "allow", ...headless } });
    expect(computeOpenCodeConfig({ mode: "user", model: "anthropic/claude-sonnet-4" }).model).toBe("anthropic/claude-sonnet-4");
  });

  it("lets edit and bash be overridden, never the headless denials", () => {
    const config = computeOpenCodeConfig({ mode: "user", permission: { edit: "ask", bash: { "*": "ask", "git status": "allow" } } });
    expect(config.permission).toEqual({ edit: "ask", bash: { "*": "ask", "git status": "allow" }, ...headless });
  });
});
