import { describe, expect, it } from "vitest";
import { computeRunnerAuthHeaders, createRunnerPassword, runnerSecretsPluginSource } from "./runner-auth";

describe("a managed runner's password", () => {
  it("is 256 random bits, URL-safe, new every time", () => {
    const passwords = new Set(Array.from({ length: 50 }, createRunnerPassword));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("is sent as OpenCode's basic auth, user opencode", () => {
    const { authorization } = computeRunnerAuthHeaders("s3cret");
    expect(authorization).toBe(`Basic ${Buffer.from("opencode:s3cret").toString("base64")}`);
  });

  it("is blanked in the agents' commands by the plugin, which holds no secret itself", () => {
    const source = runnerSecretsPluginSource();
    expect(source).toContain('"shell.env"');
    expect(source).toContain('output.env.OPENCODE_SERVER_PASSWORD = ""');
  });
});
