import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isPreflight, normalizeOrigin } from "./cors";
import { computeAllowedHostNames, hostNameOf, isAllowedHost } from "./host-allow-list";
import { computeAddressBucket, isRateLimited } from "./rate-limit";
import { createLocalBucketStore } from "./rate-limit-store";
import { computeDashboardCsp, computePrerenderedScriptHashes, inlineScripts } from "./security-headers";

describe("rate limit: what is limited and whose bucket", () => {
  it("leaves probes and the dashboard's hashed assets alone, limits everything else", () => {
    for (const url of ["/health", "/health/ready", "/health?x=1", "/metrics", "/_next/static/chunks/a.js"])
      expect(isRateLimited(url), url).toBe(false);
    for (const url of [
      "/api/v1/sessions",
      "/api/v1/auth/login",
      "/",
      "/sessions",
      "/docs",
      "/ws/system",
      "/healthz",
      "/metrics-x",
      "/health/other",
    ])
      expect(isRateLimited(url), url).toBe(true);
  });

  it("counts an IPv4 caller by its address, an IPv6 one by its /64, a mapped IPv4 as the IPv4", () => {
    expect(computeAddressBucket("203.0.113.9")).toBe("ip:203.0.113.9");
    expect(computeAddressBucket("2001:db8:1:2:aaaa::1")).toBe("ip:2001:db8:1:2::/64");
    expect(computeAddressBucket("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe("ip:2001:db8:1:2::/64");
    expect(computeAddressBucket("2001:db8::1")).toBe("ip:2001:db8:0:0::/64");
    expect(computeAddressBucket("::1")).toBe("ip:0:0:0:0::/64");
    expect(computeAddressBucket("fe80::1%eth0")).toBe("ip:fe80:0:0:0::/64");
    expect(computeAddressBucket("::ffff:198.51.100.7")).toBe("ip:198.51.100.7");
    expect(computeAddressBucket("::ffff:c633:6407")).toBe("ip:198.51.100.7");
  });
});

describe("local bucket store", () => {
  it("keeps one bucket per key and forgets buckets that are full again", async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = createLocalBucketStore({ rate: 1, burst: 2 }, { now: () => new Date(now) });
    expect((await store.take("a")).allowed).toBe(true);
    expect((await store.take("a")).allowed).toBe(true);
    const refused = await store.take("a");
    expect(refused).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    expect((await store.take("b")).allowed).toBe(true);
    now += 1000;
    expect((await store.take("a")).allowed).toBe(true);
    expect(store.size).toBe(2);
    // Past the sweep threshold, buckets idle for a full refill are dropped.
    now += 10_000;
    for (let i = 0; i < 10_001; i++) await store.take(`k${i}`);
    // "a" and "b" were swept; the fresh ones stay.
    expect(store.size).toBe(10_001);
  });
});

describe("Host allow-list", () => {
  const allowed = computeAllowedHostNames(["https://app.example.com", "http://Tools.Example:8080"]);

  it("reads the host name out of a Host header", () => {
    expect(hostNameOf("localhost:8000")).toBe("localhost");
    expect(hostNameOf("LOCALHOST")).toBe("localhost");
    expect(hostNameOf("[::1]:8000")).toBe("[::1]");
    expect(hostNameOf("127.0.0.1")).toBe("127.0.0.1");
    expect(hostNameOf("evil.example:80")).toBe("evil.example");
    for (const bad of ["", "a b", "localhost:", "localhost:8000:1", "user@localhost", "localhost/x", "::1"])
      expect(hostNameOf(bad), bad).toBeNull();
  });

  it("serves this machine's names on any port and the CORS origins' hosts, nothing else", () => {
    for (const host of [
      "localhost",
      "localhost:8000",
      "127.0.0.1:1",
      "[::1]:8000",
      "app.example.com",
      "tools.example:9999",
    ])
      expect(isAllowedHost(host, allowed), host).toBe(true);
    for (const host of [
      undefined,
      "",
      "evil.example",
      "localhost.evil.example",
      "127.0.0.1.nip.io",
      "example.com",
      "[::2]",
      "0.0.0.0:8000",
    ])
      expect(isAllowedHost(host, allowed), String(host)).toBe(false);
  });
});

describe("CORS helpers", () => {
  it("writes configured origins as a browser does", () => {
    expect(normalizeOrigin("https://App.Example.com:443")).toBe("https://app.example.com");
    expect(normalizeOrigin("http://localhost:3000")).toBe("http://localhost:3000");
  });

  it("knows a preflight: OPTIONS with an Origin and the method it asks for", () => {
    expect(
      isPreflight({
        method: "OPTIONS",
        headers: { origin: "https://a.example", "access-control-request-method": "POST" },
      }),
    ).toBe(true);
    expect(isPreflight({ method: "OPTIONS", headers: { origin: "https://a.example" } })).toBe(false);
    expect(
      isPreflight({ method: "GET", headers: { origin: "https://a.example", "access-control-request-method": "POST" } }),
    ).toBe(false);
  });
});

describe("dashboard CSP", () => {
  it("finds inline scripts, not external ones", () => {
    const html = `<script src="/a.js"></script><script id="_R_">self.x=1</script><SCRIPT>b()</SCRIPT><script async src=/c.js></script><script></script>`;
    expect(inlineScripts(html)).toEqual(["self.x=1", "b()"]);
  });

  it("hashes the inline scripts of every prerendered page of a build", () => {
    const dir = mkdtempSync(join(tmpdir(), "csp-"));
    try {
      mkdirSync(join(dir, ".next/server/app/bench"), { recursive: true });
      writeFileSync(join(dir, ".next/server/app/index.html"), "<script>a()</script><script>b()</script>");
      writeFileSync(join(dir, ".next/server/app/bench/terminal.html"), "<script>a()</script>");
      writeFileSync(join(dir, ".next/server/app/index.rsc"), "<script>not html</script>");
      const sha = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;
      expect(computePrerenderedScriptHashes(dir)).toEqual([sha("a()"), sha("b()")].sort());
      expect(computePrerenderedScriptHashes(join(dir, "missing"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("allows scripts by nonce and hash only, frames nothing, and WebSockets to this host", () => {
    const csp = computeDashboardCsp({ nonce: "abc+/=", scriptHashes: ["'sha256-x'"], host: "localhost:8000" });
    const directives = Object.fromEntries(
      csp.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]),
    );
    expect(directives["script-src"]).toBe("'self' 'nonce-abc+/=' 'sha256-x' 'report-sample'");
    expect(directives["script-src"]).not.toContain("unsafe");
    expect(directives["frame-ancestors"]).toBe("'none'");
    expect(directives["object-src"]).toBe("'none'");
    expect(directives["connect-src"]).toBe("'self' ws://localhost:8000 wss://localhost:8000");
    expect(directives["default-src"]).toBe("'self'");
    // Next reads its nonce from the first directive starting with script-src.
    expect(csp.indexOf("script-src ")).toBeLessThan(csp.indexOf("script-src-attr"));
  });

  it("leaves a Host it cannot trust out of the policy", () => {
    expect(computeDashboardCsp({ nonce: "n", scriptHashes: [], host: "evil; script-src *" })).toContain(
      "connect-src 'self';",
    );
    expect(computeDashboardCsp({ nonce: "n", scriptHashes: [], host: undefined })).toContain(
      "script-src 'self' 'nonce-n' 'report-sample';",
    );
  });
});
