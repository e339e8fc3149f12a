import {
  routeAccess,
  routes,
  WS_SUBPROTOCOL,
  WS_TOKEN_PROTOCOL_PREFIX,
  WsCloseCode,
  wsEndpointAccess,
  type RouteName,
} from "@industrial/contracts";
import { isRoleAtLeast, type Access } from "@industrial/core";
import { bearer, TEST_ADMIN_KEY } from "@industrial/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextOf, expectedStatus, runRouteMatrix, type MatrixEnv } from "./testing/access-matrix";
import { createFixtures, type Fixtures } from "./testing/fixtures";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { createTenantCast, isRole, keyOf, PRINCIPALS, type TenantCast } from "./testing/principals";
import { routeExamples, type RouteExample } from "./testing/route-examples";
import { FOREIGN_REFERENCES, foreignRows } from "./testing/foreign-references";
import { callRoute, sendRaw, type RouteAnswer } from "./testing/route-request";
import { wsOutcome } from "./testing/ws-outcome";

// One orchestrator for the file. The scheduler is off: nothing here needs a
// session to run, and pending sessions must stay where the fixtures put them.
let h: TestOrchestrator;
let fx: Fixtures;
let A: TenantCast;
let B: TenantCast;
let env: MatrixEnv;
let calls = 0;
beforeAll(async () => {
  h = await startTestOrchestrator({ env: { ORCHESTRATOR_RATE_LIMIT: "0", ORCHESTRATOR_SCHEDULER: "off" } });
  fx = createFixtures(h.orc);
  [A, B] = await Promise.all([
    createTenantCast(h.orc.url, h.orc.db, "tenant-a"),
    createTenantCast(h.orc.url, h.orc.db, "tenant-b"),
  ]);
  env = { url: h.orc.url, fx, own: A, other: B };
});
afterAll(async () => {
  console.log(`access matrix: ${calls} REST calls`);
  fx?.remove();
  await h?.close();
});

const ROUTE_NAMES = Object.keys(routes) as RouteName[];

describe(`access matrix (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it("has an example request and an access row for every route of the catalogue", () => {
    expect(Object.keys(routeExamples).sort()).toEqual([...ROUTE_NAMES].sort());
    expect(Object.keys(routeAccess).sort()).toEqual([...ROUTE_NAMES].sort());
  });

  describe("REST: every route × no key, wrong, revoked, expired key, each role × own and other tenant", () => {
    for (const name of ROUTE_NAMES)
      it(`${name} (${routeAccess[name]})`, async () => {
        const r = await runRouteMatrix(env, name);
        calls += r.calls;
        expect(r.problems).toEqual([]);
      });
  });

  describe("ownership: a member controls only the sessions and tasks it created; a lead any", () => {
    const owned = ROUTE_NAMES.filter((n) => (routeExamples[n] as RouteExample).owned);
    for (const name of owned)
      it(name, async () => {
        const ex: RouteExample = routeExamples[name];
        const ctx = contextOf(fx, A);
        const other = await callRoute(h.orc.url, name, { ...(await ex.request(ctx)), headers: bearer(A.otherMember) });
        expect(other.status, other.text.slice(0, 300)).toBe(403);
        expect(other.json).toMatchObject({ error: { code: "FORBIDDEN" } });
        const lead = await callRoute(h.orc.url, name, { ...(await ex.request(ctx)), headers: bearer(A.keys.lead) });
        expect(expectedStatus(name, "lead", "own"), lead.text.slice(0, 300)).toContain(lead.status);
      });
  });
});

describe("the dashboard's session cookie", () => {
  it("acts as its key for reads; a write with it needs the server's own Origin (CSRF), and the role still decides", async () => {
    const signIn = async (key: string) => {
      const login = await sendRaw(h.orc.url, "POST", "/api/v1/auth/login", { body: { key } });
      expect(login.status, login.text).toBe(200);
      return { cookie: (login.headers.get("set-cookie") ?? "").split(";")[0]! };
    };
    const member = await signIn(A.keys.member);
    const me = await callRoute(h.orc.url, "me", { headers: member });
    expect(me.json).toMatchObject({ tenantId: A.id, role: "member", keyId: A.keyIds.member });
    const write = (headers: Record<string, string>) =>
      callRoute(h.orc.url, "createSession", { headers, body: { prompt: "by cookie", start: false } });
    for (const origin of [null, "https://evil.example", "null"]) {
      const refused = await write({ ...member, ...(origin ? { origin } : {}) });
      expect(refused.status, `origin ${origin}: ${refused.text}`).toBe(403);
      expect(refused.json).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    expect((await write({ ...member, origin: h.orc.url })).status).toBe(201);
    const viewer = await signIn(A.keys.viewer);
    expect((await write({ ...viewer, origin: h.orc.url })).status).toBe(403);
    expect((await callRoute(h.orc.url, "me", { headers: { cookie: "io_session=forged.value.here" } })).status).toBe(
      401,
    );
  });
});

describe("a reference to another tenant's row in a body or query is answered as one to no row at all", () => {
  /** Status, error code and the fields named: what a caller could tell two answers apart by (ids in messages aside). */
  const shape = (a: RouteAnswer) => {
    const e = (a.json as { error?: { code: string; details?: { path: string }[] } } | null)?.error;
    return { status: a.status, code: e?.code ?? null, fields: e?.details?.map((d) => d.path) ?? [] };
  };
  for (const ref of FOREIGN_REFERENCES)
    it(`${ref.route}: ${ref.label}`, async () => {
      const own = contextOf(fx, A);
      const foreign = (await foreignRows(contextOf(fx, B)))[ref.names];
      const as = { headers: bearer(A.keys.admin) };
      const toForeign = await callRoute(h.orc.url, ref.route, { ...(await ref.build(own, foreign)), ...as });
      const toNothing = await callRoute(h.orc.url, ref.route, {
        ...(await ref.build(own, crypto.randomUUID())),
        ...as,
      });
      expect(shape(toForeign), toForeign.text.slice(0, 300)).toEqual(shape(toNothing));
      // Nothing of the other tenant comes back but the id the caller gave.
      expect(toForeign.text.replaceAll(foreign, "<ref>")).not.toContain(B.id);
    });
});

describe("X-Tenant-Id and ?tenantId=: only the operator (an admin of the default tenant) acts on another tenant", () => {
  const get = (id: string, headers: Record<string, string>, query?: Record<string, string>) =>
    callRoute(h.orc.url, "getSession", { params: { id }, headers, ...(query ? { query } : {}) });

  it("lets the operator act on tenant B, and nobody else", async () => {
    const s = await fx.session({ key: B.keys.member, tenantId: B.id });
    expect((await get(s.id, bearer(TEST_ADMIN_KEY))).status).toBe(404);
    expect((await get(s.id, { ...bearer(TEST_ADMIN_KEY), "x-tenant-id": B.id })).status).toBe(200);
    expect((await get(s.id, bearer(TEST_ADMIN_KEY), { tenantId: B.id })).status).toBe(200);
    const made = await callRoute(h.orc.url, "createSession", {
      headers: { ...bearer(TEST_ADMIN_KEY), "x-tenant-id": B.id },
      body: { prompt: "for B", start: false },
    });
    expect(made.status).toBe(201);
    expect(made.json).toMatchObject({ tenantId: B.id });
    const listed = await callRoute(h.orc.url, "listSessions", {
      headers: { ...bearer(TEST_ADMIN_KEY), "x-tenant-id": B.id },
    });
    expect((listed.json as { items: { tenantId: string }[] }).items.every((i) => i.tenantId === B.id)).toBe(true);

    // A tenant's own admin naming another tenant: refused on the role, whether or not the row exists.
    const a = await fx.session({ key: A.keys.member, tenantId: A.id });
    for (const [key, id] of [
      [B.keys.admin, a.id],
      [A.keys.admin, s.id],
    ] as const) {
      const r = await get(id, { ...bearer(key), "x-tenant-id": key === B.keys.admin ? A.id : B.id });
      expect(r.status, r.text).toBe(403);
      expect(r.json).toMatchObject({ error: { code: "FORBIDDEN" } });
    }
    // Naming one's own tenant is no change; an unknown tenant is 404 even for the operator; garbage is 400 naming the header.
    expect((await get(a.id, { ...bearer(A.keys.viewer), "x-tenant-id": A.id })).status).toBe(200);
    expect((await get(s.id, { ...bearer(TEST_ADMIN_KEY), "x-tenant-id": crypto.randomUUID() })).status).toBe(404);
    const bad = await get(s.id, { ...bearer(TEST_ADMIN_KEY), "x-tenant-id": "../default" });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: "INVALID_INPUT", details: [{ path: "headers.x-tenant-id" }] } });
  });

  it("lets the operator watch tenant B's session over WebSocket with ?tenantId=, and refuses B's admin naming A", async () => {
    const s = await fx.session({ key: B.keys.member, tenantId: B.id });
    const ws = (path: string, key: string) => wsOutcome(`${h.orc.url}${path}`, { key });
    expect((await ws(`/ws/sessions/${s.id}?tenantId=${B.id}`, TEST_ADMIN_KEY)).hello).toBe(true);
    expect((await ws(`/ws/sessions/${s.id}`, TEST_ADMIN_KEY)).close?.code).toBe(WsCloseCode.NOT_FOUND);
    expect((await ws(`/ws/system?tenantId=${A.id}`, B.keys.admin)).close?.code).toBe(WsCloseCode.UNAUTHENTICATED);
  });
});

describe("WebSocket endpoints × the same principals", () => {
  /** The endpoint's path with an id of a row of `cast` (a session, an agent, a task). */
  async function pathOf(endpoint: string, cast: TenantCast): Promise<string> {
    if (!endpoint.includes(":id")) return endpoint;
    const ctx = contextOf(fx, cast);
    const id = endpoint.startsWith("/ws/sessions")
      ? (await fx.session(ctx.member)).id
      : endpoint.startsWith("/ws/agents")
        ? (await fx.agent(ctx.admin)).id
        : (await fx.task(ctx.member)).id;
    return endpoint.replace(":id", id);
  }

  for (const [endpoint, access] of Object.entries(wsEndpointAccess))
    it(`${endpoint} (${access})`, async () => {
      const problems: string[] = [];
      const places = endpoint.includes(":id") ? ([A, B] as const) : ([A] as const);
      for (const cast of places) {
        const path = await pathOf(endpoint, cast);
        for (const p of PRINCIPALS) {
          const o = await wsOutcome(`${h.orc.url}${path}`, { key: keyOf(A, p) });
          const want =
            !isRole(p) || (access !== ("public" as Access) && !isRoleAtLeast(p, access))
              ? WsCloseCode.UNAUTHENTICATED
              : cast === A
                ? "hello"
                : WsCloseCode.NOT_FOUND;
          const got = o.hello ? "hello" : o.close?.code;
          if (got !== want)
            problems.push(
              `${p} on ${cast === A ? "own" : "other"} tenant: ${got} (${o.close?.reason ?? ""}), expected ${want}`,
            );
          if (want === WsCloseCode.UNAUTHENTICATED && o.error?.code !== "UNAUTHENTICATED")
            problems.push(`${p}: no UNAUTHENTICATED error frame before the close`);
          if ((p === "revoked" || p === "expired") && !o.error?.message.includes(p))
            problems.push(`${p}: the error frame does not say so: ${o.error?.message}`);
        }
      }
      expect(problems).toEqual([]);
    });

  it("takes the key from ?token=, the Authorization header, the bearer.<key> subprotocol or the session cookie — and refuses each form with a revoked key", async () => {
    const url = `${h.orc.url}/ws/system`;
    const login = await sendRaw(h.orc.url, "POST", "/api/v1/auth/login", { body: { key: A.keys.viewer } });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toMatch(/=./);
    const forms = (key: string) => ({
      token: wsOutcome(`${url}?token=${encodeURIComponent(key)}`, { key: null }),
      header: wsOutcome(url, { key }),
      subprotocol: wsOutcome(url, { key: null, protocols: [WS_SUBPROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${key}`] }),
    });
    for (const [form, o] of Object.entries(forms(A.keys.viewer))) expect((await o).hello, form).toBe(true);
    for (const [form, o] of Object.entries(forms(A.revoked)))
      expect((await o).close?.code, form).toBe(WsCloseCode.UNAUTHENTICATED);
    // The ws client sends no Origin: a non-browser client with the cookie; a foreign page's Origin is refused.
    const withCookie = (headers: Record<string, string>) =>
      wsOutcome(url, { key: null, headers: { cookie, ...headers } });
    expect((await withCookie({})).hello).toBe(true);
    expect((await withCookie({ origin: "https://evil.example" })).close?.code).toBe(WsCloseCode.UNAUTHENTICATED);
  });
});
