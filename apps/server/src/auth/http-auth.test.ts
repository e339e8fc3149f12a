import { describe, expect, it } from "vitest";
import { bearerOf, isSameSiteOrigin } from "./http-auth";

describe("bearerOf", () => {
  it("reads `Bearer <key>` and refuses other schemes rather than ignoring them", () => {
    expect(bearerOf(undefined)).toEqual({ ok: true, token: null });
    expect(bearerOf("Bearer io_abc")).toEqual({ ok: true, token: "io_abc" });
    expect(bearerOf("bearer   io_abc ")).toEqual({ ok: true, token: "io_abc" });
    expect(bearerOf("Basic dXNlcjpwdw==")).toEqual({ ok: false });
    expect(bearerOf("Bearer")).toEqual({ ok: false });
    expect(bearerOf("Bearer a b")).toEqual({ ok: false });
  });
});

describe("isSameSiteOrigin (the cookie's Origin check)", () => {
  it("accepts the server's own host, whatever the scheme a proxy ended", () => {
    expect(isSameSiteOrigin("http://127.0.0.1:8000", { host: "127.0.0.1:8000" }, [])).toBe(true);
    expect(isSameSiteOrigin("https://orch.example.com", { host: "orch.example.com" }, [])).toBe(true);
  });

  it("accepts the host a proxy kept in X-Forwarded-Host (the standalone dashboard's server)", () => {
    expect(
      isSameSiteOrigin(
        "http://localhost:3000",
        { host: "orchestrator:8000", "x-forwarded-host": "localhost:3000" },
        [],
      ),
    ).toBe(true);
    expect(
      isSameSiteOrigin(
        "http://localhost:3000",
        { host: "orchestrator:8000", "x-forwarded-host": "localhost:3000, inner:1" },
        [],
      ),
    ).toBe(true);
  });

  it("accepts an allowed origin and refuses any other, a missing one and `null`", () => {
    expect(isSameSiteOrigin("https://tools.example.com", { host: "orch:8000" }, ["https://tools.example.com"])).toBe(
      true,
    );
    expect(isSameSiteOrigin("https://evil.example", { host: "orch:8000" }, ["https://tools.example.com"])).toBe(false);
    expect(isSameSiteOrigin("http://127.0.0.1:8001", { host: "127.0.0.1:8000" }, [])).toBe(false);
    expect(isSameSiteOrigin(undefined, { host: "127.0.0.1:8000" }, [])).toBe(false);
    expect(isSameSiteOrigin("null", { host: "127.0.0.1:8000" }, [])).toBe(false);
    expect(isSameSiteOrigin("not a url", { host: "127.0.0.1:8000" }, [])).toBe(false);
  });
});
