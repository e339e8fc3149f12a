import { ErrorEnvelope } from "@industrial/contracts";
import { bearer, TEST_ADMIN_KEY } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_CSP } from "./http/security-headers";
import { DEFAULT_DASHBOARD_DIR, isDashboardBuilt } from "./runtime/dashboard";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { rawHttp, wsUpgradeOutcome, type RawResponse } from "./testing/raw-http";

/**
 * The HTTP edge through the real server: rate limits (5/s, bursts of 10),
 * the CORS allow-list, the loopback Host allow-list and security headers.
 * Each test that spends an address's bucket calls from an address of its own
 * (127.0.0.x), and each part calls with a key of its own (the admin key's
 * bucket holds ten), so the tests do not drain each other's.
 */
const APP_ORIGIN = "https://app.example.com";
let t: TestOrchestrator;
let url: string;
let port: number;
const keys: Record<"burstA" | "burstB" | "cors" | "host" | "headers", string> = {
  burstA: "",
  burstB: "",
  cors: "",
  host: "",
  headers: "",
};

beforeAll(async () => {
  t = await startTestOrchestrator({
    env: { ORCHESTRATOR_RATE_LIMIT: "5", ORCHESTRATOR_RATE_LIMIT_BURST: "10", ORCHESTRATOR_CORS_ORIGINS: APP_ORIGIN },
  });
  url = t.orc.url;
  port = t.orc.port;
  for (const name of Object.keys(keys) as (keyof typeof keys)[]) keys[name] = await createKey(name);
});
afterAll(async () => {
  await t?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function expectEnvelope(r: RawResponse, status: number, code: string, field?: string) {
  expect(r.status, r.text).toBe(status);
  const error = ErrorEnvelope.parse(r.json).error;
  expect(error.code).toBe(code);
  expect(error.requestId).toBeTruthy();
  if (field) expect(error.details?.map((d) => d.path)).toContain(field);
  return error;
}

function expectRateLimited(r: RawResponse) {
  expectEnvelope(r, 429, "RATE_LIMITED");
  const retryAfter = Number(r.headers["retry-after"]);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After ${r.headers["retry-after"]}`).toBe(true);
  return retryAfter;
}

async function createKey(name: string): Promise<string> {
  const r = await rawHttp(`${url}/api/v1/api-keys`, {
    method: "POST",
    headers: bearer(),
    body: { name, role: "viewer" },
  });
  expect(r.status, r.text).toBe(201);
  return (r.json as { key: string }).key;
}

describe("rate limits per key", () => {
  it("a burst over the bucket gets 429 with Retry-After in the error envelope; another key is unaffected; waiting refills", async () => {
    const [a, b] = [keys.burstA, keys.burstB];
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 16 }, () => rawHttp(`${url}/api/v1/me`, { headers: bearer(a) })),
    );
    const seconds = (performance.now() - t0) / 1000;
    const ok = answers.filter((r) => r.status === 200).length;
    const limited = answers.filter((r) => r.status === 429);
    expect(ok + limited.length).toBe(16);
    // The bucket's ten, plus what refilled (5/s) while the burst was on its way.
    expect(ok).toBeGreaterThanOrEqual(10);
    expect(ok).toBeLessThanOrEqual(10 + Math.floor(seconds * 5) + 1);
    expect(limited.length).toBeGreaterThan(0);
    const retryAfter = Math.max(...limited.map(expectRateLimited));

    // Another key has its own bucket.
    expect((await rawHttp(`${url}/api/v1/me`, { headers: bearer(b) })).status).toBe(200);

    // Drain what may have refilled, then wait as told: the next request passes.
    let last: RawResponse;
    do last = await rawHttp(`${url}/api/v1/me`, { headers: bearer(a) });
    while (last.status === 200);
    await sleep(Math.max(retryAfter, expectRateLimited(last)) * 1000);
    expect((await rawHttp(`${url}/api/v1/me`, { headers: bearer(a) })).status).toBe(200);
  });

  it("login is limited by address before the key is checked: past the burst even the right key gets 429", async () => {
    const from = { localAddress: "127.0.0.11" };
    const login = (key: string) => rawHttp(`${url}/api/v1/auth/login`, { method: "POST", body: { key }, ...from });
    const wrong = `io_wrongprefix0_${"x".repeat(43)}`;
    for (let i = 0; i < 10; i++) expect((await login(wrong)).status).toBe(401);
    // A token refills every 200 ms: on a loaded machine one may come back between the drained
    // bucket's 429 and the right key's login. Were the key checked first, it would pass every time.
    const rightKeyAnswers: number[] = [];
    for (let tries = 0; tries < 5 && !rightKeyAnswers.includes(429); tries++) {
      let r: RawResponse;
      do r = await login(wrong);
      while (r.status === 401);
      expectRateLimited(r);
      const right = await login(TEST_ADMIN_KEY);
      if (right.status === 429) expectRateLimited(right);
      rightKeyAnswers.push(right.status);
    }
    expect(rightKeyAnswers, "the right key's logins past the burst").toContain(429);
    // Another address is unaffected.
    expect(
      (
        await rawHttp(`${url}/api/v1/auth/login`, {
          method: "POST",
          body: { key: TEST_ADMIN_KEY },
          localAddress: "127.0.0.12",
        })
      ).status,
    ).toBe(200);
  });

  it("a flood of wrong keys is held to the address's bucket (401, then 429); a valid key from that address still passes", async () => {
    const from = { localAddress: "127.0.0.13" };
    const wrong = () =>
      rawHttp(`${url}/api/v1/sessions`, { headers: bearer(`io_wrongprefix1_${"y".repeat(43)}`), ...from });
    const statuses: number[] = [];
    let r: RawResponse;
    do statuses.push((r = await wrong()).status);
    while (r.status === 401 && statuses.length < 40);
    // The bucket's ten are 401s; then (after what refilled meanwhile) 429.
    expect(
      statuses.slice(0, 10).every((s) => s === 401),
      statuses.join(),
    ).toBe(true);
    expectRateLimited(r);
    expect((await rawHttp(`${url}/api/v1/me`, { headers: bearer(), ...from })).status).toBe(200);
  });

  it("pages and unauthenticated calls count by address; probes and /metrics are never limited", async () => {
    const from = { localAddress: "127.0.0.14" };
    for (let i = 0; i < 30; i++) {
      expect((await rawHttp(`${url}/health`, from)).status).toBe(200);
      expect((await rawHttp(`${url}/health/ready`, from)).status).not.toBe(429);
      expect((await rawHttp(`${url}/metrics`, from)).status).toBe(200);
    }
    const anonymous = await Promise.all(Array.from({ length: 40 }, () => rawHttp(`${url}/openapi.json`, from)));
    expect(anonymous.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    expectRateLimited(anonymous.find((r) => r.status === 429)!);
  });

  it("WebSocket upgrades count by address: past the burst they are refused with 429 before the socket opens", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => wsUpgradeOutcome(`${url}/ws/system`, bearer(keys.host), "127.0.0.15")),
    );
    const refused = outcomes.filter((o) => !o.open);
    expect(outcomes.filter((o) => o.open).length).toBeGreaterThanOrEqual(10);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) expect(o).toMatchObject({ open: false, status: 429 });
  });
});

describe("CORS allow-list", () => {
  it("an allowed origin gets its origin back with credentials, on errors too; any other gets no CORS header", async () => {
    const allowed = await rawHttp(`${url}/api/v1/me`, { headers: { ...bearer(keys.cors), origin: APP_ORIGIN } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers["access-control-allow-origin"]).toBe(APP_ORIGIN);
    expect(allowed.headers["access-control-allow-credentials"]).toBe("true");
    expect(allowed.headers["access-control-expose-headers"]).toContain("retry-after");
    expect(allowed.headers.vary).toContain("Origin");

    const refused = await rawHttp(`${url}/api/v1/me`, { headers: { origin: APP_ORIGIN }, localAddress: "127.0.0.21" });
    expect(refused.status).toBe(401);
    expect(refused.headers["access-control-allow-origin"]).toBe(APP_ORIGIN);

    const other = await rawHttp(`${url}/api/v1/me`, {
      headers: { ...bearer(keys.cors), origin: "https://evil.example" },
    });
    expect(other.status).toBe(200);
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
    expect(other.headers["access-control-allow-credentials"]).toBeUndefined();
  });

  it("answers an allowed origin's preflight with the methods, headers and max-age; refuses any other's with 403", async () => {
    const preflight = (origin: string) =>
      rawHttp(`${url}/api/v1/sessions`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type, x-tenant-id",
        },
      });
    const ok = await preflight(APP_ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers["access-control-allow-origin"]).toBe(APP_ORIGIN);
    expect(ok.headers["access-control-allow-credentials"]).toBe("true");
    expect(ok.headers["access-control-allow-methods"]).toContain("POST");
    expect(ok.headers["access-control-allow-methods"]).toContain("DELETE");
    for (const h of ["authorization", "content-type", "x-tenant-id", "x-request-id"])
      expect(ok.headers["access-control-allow-headers"]).toContain(h);
    expect(Number(ok.headers["access-control-max-age"])).toBeGreaterThan(0);

    const bad = await preflight("https://evil.example");
    expectEnvelope(bad, 403, "FORBIDDEN", "headers.origin");
    expect(bad.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("Host allow-list on loopback (DNS rebinding)", () => {
  const evil = { host: "evil.example" };

  it("refuses a foreign Host on API routes, probes and the dashboard's paths with 403 naming headers.host", async () => {
    for (const path of ["/api/v1/me", "/health", "/", "/sessions", "/docs"]) {
      const r = await rawHttp(`${url}${path}`, { headers: { ...bearer(keys.host), ...evil } });
      expectEnvelope(r, 403, "FORBIDDEN", "headers.host");
    }
    expectEnvelope(
      await rawHttp(`${url}/api/v1/me`, { headers: { ...bearer(keys.host), host: `localhost.evil.example:${port}` } }),
      403,
      "FORBIDDEN",
      "headers.host",
    );
  });

  it("refuses the WebSocket upgrade of a foreign Host before it opens", async () => {
    const r = await wsUpgradeOutcome(`${url}/ws/system`, { ...bearer(keys.host), ...evil });
    expect(r).toMatchObject({ open: false, status: 403 });
    expect(ErrorEnvelope.parse(JSON.parse((r as { body: string }).body)).error.details?.[0]?.path).toBe("headers.host");
    expect(await wsUpgradeOutcome(`${url}/ws/system`, { ...bearer(keys.host), host: `localhost:${port}` })).toEqual({
      open: true,
    });
  });

  it("serves this machine's names on any port and the hosts of the CORS origins", async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost", "app.example.com"])
      expect((await rawHttp(`${url}/api/v1/me`, { headers: { ...bearer(keys.host), host } })).status, host).toBe(200);
  });
});

describe("security headers", () => {
  it("API answers: nosniff and a policy that loads nothing and frames nothing", async () => {
    for (const path of ["/api/v1/me", "/api/v1/nope", "/openapi.json", "/health"]) {
      const r = await rawHttp(`${url}${path}`, { headers: bearer(keys.headers) });
      expect(r.headers["x-content-type-options"], path).toBe("nosniff");
      expect(r.headers["content-security-policy"], path).toBe(API_CSP);
    }
  });

  it("/docs has its own policy: its scripts and styles from itself, never framed, no upgrade-insecure-requests", async () => {
    const r = await rawHttp(`${url}/docs/`);
    expect(r.status).toBe(200);
    const csp = String(r.headers["content-security-policy"]);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("upgrade-insecure-requests");
    expect(/script-src [^;]*'unsafe/.test(csp)).toBe(false);
  });

  it.skipIf(!isDashboardBuilt(DEFAULT_DASHBOARD_DIR))(
    "dashboard pages: CSP with a fresh nonce and the build's script hashes, nosniff, DENY, no-referrer",
    async () => {
      const page = async (path: string) => {
        const r = await rawHttp(`${url}${path}`, {
          headers: { "content-security-policy": "script-src 'nonce-chosenbyclient'" },
        });
        expect(r.status, path).toBe(200);
        expect(r.headers["x-content-type-options"]).toBe("nosniff");
        expect(r.headers["x-frame-options"]).toBe("DENY");
        expect(r.headers["referrer-policy"]).toBe("no-referrer");
        const csp = String(r.headers["content-security-policy"]);
        for (const d of [
          "default-src 'self'",
          "frame-ancestors 'none'",
          "object-src 'none'",
          "base-uri 'self'",
          "form-action 'self'",
          `ws://127.0.0.1:${port}`,
        ])
          expect(csp).toContain(d);
        expect(csp).not.toContain("chosenbyclient");
        expect(/script-src [^;]*'unsafe-inline'/.test(csp)).toBe(false);
        return { csp, html: r.text };
      };
      const [a, b] = [await page("/"), await page("/")];
      const nonce = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce(a.csp)).toBeTruthy();
      expect(nonce(a.csp)).not.toBe(nonce(b.csp));
      expect(a.csp).toMatch(/'sha256-[A-Za-z0-9+/=]+'/);
      // A page rendered per request carries the nonce on its scripts.
      const dynamic = await page(`/sessions/00000000-0000-4000-8000-000000000000`);
      expect(dynamic.html).toContain(`nonce="${nonce(dynamic.csp)}"`);
    },
    60_000,
  );
});
