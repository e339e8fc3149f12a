import { describe, expect, it } from "vitest";
import { parseConfig } from "./config";

const parse = (env: Record<string, string>) => parseConfig(env, "/srv/orch");
const errorsOf = (env: Record<string, string>) => {
  const r = parse(env);
  return r.ok ? [] : r.errors;
};

// ORCHESTRATOR_NOTIFY_WEBHOOK_URL / _SECRET: the server's default receiver of notifications (README, "Notifications").
describe("notify webhook in the configuration", () => {
  it("is off by default, and takes an http(s) URL with or without a secret", () => {
    const off = parse({});
    expect(
      off.ok && [off.config.ORCHESTRATOR_NOTIFY_WEBHOOK_URL, off.config.ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET],
    ).toEqual([undefined, undefined]);
    const on = parse({
      ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "https://hooks.example.com/orchestrator?team=a",
      ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: "0123456789abcdef0123",
    });
    expect(on.ok && on.config.ORCHESTRATOR_NOTIFY_WEBHOOK_URL).toBe("https://hooks.example.com/orchestrator?team=a");
    expect(parse({ ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "http://127.0.0.1:9000/hook" }).ok).toBe(true);
  });

  it("names the variable and why for a URL it refuses, without repeating a password", () => {
    expect(errorsOf({ ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "ftp://example.com/x" })).toEqual([
      "ORCHESTRATOR_NOTIFY_WEBHOOK_URL: must be an http(s) URL",
    ]);
    const withUser = errorsOf({ ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "https://ops:hunter2@example.com/x" });
    expect(withUser.join("\n")).toMatch(/^ORCHESTRATOR_NOTIFY_WEBHOOK_URL: must not carry a user or password/);
    expect(withUser.join("\n")).not.toContain("hunter2");
    expect(errorsOf({ ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "hooks.example.com" })).toEqual([
      "ORCHESTRATOR_NOTIFY_WEBHOOK_URL: is not a URL",
    ]);
  });

  it("refuses a short secret, and a secret without a URL", () => {
    expect(
      errorsOf({
        ORCHESTRATOR_NOTIFY_WEBHOOK_URL: "https://x.example/h",
        ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: "short",
      })[0],
    ).toMatch(/^ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: must be at least 16 characters/);
    expect(errorsOf({ ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: "0123456789abcdef0123" })).toEqual([
      "ORCHESTRATOR_NOTIFY_WEBHOOK_SECRET: set without ORCHESTRATOR_NOTIFY_WEBHOOK_URL; give the URL it signs for, or unset it",
    ]);
  });
  it("gives a POST 10 s by default, and takes 1–300 s", () => {
    const d = parse({});
    expect(d.ok && d.config.ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS).toBe(10);
    const set = parse({ ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS: "120" });
    expect(set.ok && set.config.ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS).toBe(120);
    for (const bad of ["0", "301", "ten"])
      expect(errorsOf({ ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS: bad }).join("\n")).toMatch(
        /^ORCHESTRATOR_NOTIFY_WEBHOOK_TIMEOUT_SECONDS: /,
      );
  });
});
