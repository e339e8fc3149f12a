import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

const parse = (env: Record<string, string>) => parseConfig(env, "/srv/orch");

// ORCHESTRATOR_REMOTE_RUNNERS: URLs, each with its password when the runner requires one.
describe("remote runners in the configuration", () => {
  it("takes each URL with the password it carries, and none when it carries none", () => {
    const r = parse({ ORCHESTRATOR_REMOTE_RUNNERS: "http://opencode:s3cret@runner-a:4096/, http://127.0.0.1:4097" });
    expect(r.ok && r.config.ORCHESTRATOR_REMOTE_RUNNERS).toEqual([
      { url: "http://runner-a:4096", password: "s3cret" },
      { url: "http://127.0.0.1:4097", password: null },
    ]);
    expect(
      parse({}).ok &&
        (parse({}) as { config: { ORCHESTRATOR_REMOTE_RUNNERS: unknown } }).config.ORCHESTRATOR_REMOTE_RUNNERS,
    ).toEqual([]);
  });

  it("names the variable, the runner by position and why, and never repeats the password", () => {
    const r = parse({ ORCHESTRATOR_REMOTE_RUNNERS: "http://127.0.0.1:4097,http://admin:hunter2@runner-b:4096" });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.join("\n")).toMatch(
        /ORCHESTRATOR_REMOTE_RUNNERS: remote runner 2 names user "admin": OpenCode's server has one user, opencode/,
      );
      expect(r.errors.join("\n")).not.toContain("hunter2");
    }
  });
});
