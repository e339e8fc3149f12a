import { describe, expect, it } from "vitest";
import { isLoopbackHost, parseConfig } from "./config";

const errorsOf = (env: Record<string, string>) => {
  const r = parseConfig(env, "/");
  return r.ok ? [] : r.errors;
};

// The authentication settings and the rules across variables (docs/security.md).
describe("authentication settings", () => {
  it("turns keys off only on a loopback HOST, naming the variable otherwise", () => {
    expect(errorsOf({ ORCHESTRATOR_AUTH: "off" })).toEqual([]);
    expect(errorsOf({ ORCHESTRATOR_AUTH: "off", HOST: "::1" })).toEqual([]);
    const refused = errorsOf({ ORCHESTRATOR_AUTH: "off", HOST: "0.0.0.0" });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^ORCHESTRATOR_AUTH: off is allowed only when HOST is a loopback address/);
    expect(errorsOf({ ORCHESTRATOR_AUTH: "maybe" })[0]).toMatch(/^ORCHESTRATOR_AUTH/);
  });

  it("requires ORCHESTRATOR_SECRET with DATABASE_URL (every replica must share it)", () => {
    expect(errorsOf({ DATABASE_URL: "postgres://u@h/db" })[0]).toMatch(
      /^ORCHESTRATOR_SECRET: required with DATABASE_URL/,
    );
    expect(errorsOf({ DATABASE_URL: "postgres://u@h/db", ORCHESTRATOR_SECRET: "x".repeat(32) })).toEqual([]);
    expect(errorsOf({ ORCHESTRATOR_SECRET: "short" })[0]).toMatch(
      /^ORCHESTRATOR_SECRET: must be at least 32 characters/,
    );
  });

  it("takes an admin key of 32+ characters without spaces, and a metrics token of 16+", () => {
    expect(errorsOf({ ORCHESTRATOR_ADMIN_KEY: "k".repeat(31) })[0]).toMatch(/^ORCHESTRATOR_ADMIN_KEY/);
    expect(errorsOf({ ORCHESTRATOR_ADMIN_KEY: `${"k".repeat(20)} ${"k".repeat(20)}` })[0]).toMatch(
      /^ORCHESTRATOR_ADMIN_KEY: must not contain spaces/,
    );
    expect(errorsOf({ ORCHESTRATOR_ADMIN_KEY: "k".repeat(32), ORCHESTRATOR_METRICS_TOKEN: "t".repeat(16) })).toEqual(
      [],
    );
    expect(errorsOf({ ORCHESTRATOR_METRICS_TOKEN: "t" })[0]).toMatch(/^ORCHESTRATOR_METRICS_TOKEN/);
  });

  it("reads trusted proxies as hops or addresses", () => {
    const of = (v: string) => {
      const r = parseConfig({ ORCHESTRATOR_TRUST_PROXY: v }, "/");
      return r.ok ? r.config.ORCHESTRATOR_TRUST_PROXY : r.errors;
    };
    expect(of("")).toBe(false);
    expect(of("1")).toBe(1);
    expect(of("10.0.0.0/8, 127.0.0.1")).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect((of("proxy.example") as string[])[0]).toMatch(/^ORCHESTRATOR_TRUST_PROXY/);
  });

  it("knows loopback hosts", () => {
    for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["0.0.0.0", "10.0.0.1", "::", "example.com", "128.0.0.1"]) expect(isLoopbackHost(h)).toBe(false);
  });
});
