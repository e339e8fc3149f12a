import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

// ORCHESTRATOR_RUNNER_ENV in the one config schema: the pure rule is tested
// in packages/opencode (runner-env.test.ts); this checks it stops the start.
describe("ORCHESTRATOR_RUNNER_ENV", () => {
  it("is a list of names and PREFIX_* patterns, empty by default", () => {
    const parsed = parseConfig({ ORCHESTRATOR_RUNNER_ENV: " ANTHROPIC_API_KEY, OPENAI_API_KEY ,AWS_*," }, "/");
    expect(parsed.ok && parsed.config.ORCHESTRATOR_RUNNER_ENV).toEqual([
      "ANTHROPIC_API_KEY",
      "OPENAI_API_KEY",
      "AWS_*",
    ]);
    const none = parseConfig({}, "/");
    expect(none.ok && none.config.ORCHESTRATOR_RUNNER_ENV).toEqual([]);
  });

  it("refuses the orchestrator's own secrets, one error naming each", () => {
    const refused = [
      "ORCHESTRATOR_SECRET",
      "ORCHESTRATOR_ADMIN_KEY",
      "DATABASE_URL",
      "REDIS_URL",
      "ORCHESTRATOR_METRICS_TOKEN",
    ];
    const parsed = parseConfig(
      { ORCHESTRATOR_RUNNER_ENV: ["ANTHROPIC_API_KEY", ...refused, "REDIS_*"].join(",") },
      "/",
    );
    expect(parsed.ok).toBe(false);
    const errors = parsed.ok ? [] : parsed.errors;
    expect(errors).toHaveLength(6);
    for (const [i, name] of [...refused, "REDIS_*"].entries())
      expect(errors[i]).toMatch(new RegExp(`^ORCHESTRATOR_RUNNER_ENV: ${name.replace("*", "\\*")}`));
  });
});
