import { ErrorEnvelope, routes, type RouteName } from "@industrial/contracts";
import { DEFAULT_TENANT_ID } from "@industrial/core";
import { TEST_ADMIN_KEY } from "@industrial/testkit";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contextOf } from "./testing/access-matrix";
import { createFixtures, type Fixtures } from "./testing/fixtures";
import { buildFuzzRequest, fuzzCase, type FuzzCase } from "./testing/fuzz-requests";
import { startTestOrchestrator, type TestOrchestrator } from "./testing/harness";
import { createTenantCast } from "./testing/principals";
import { routeExamples } from "./testing/route-examples";
import { sendRaw, type RouteAnswer, type RouteRequest } from "./testing/route-request";
import { changedTables, fingerprintState, type Fingerprint } from "./testing/state-fingerprint";

// ≥ 10,000 generated requests (FUZZ_RUNS to change) against every route, as
// the operator's admin key: malformed bodies, params, query strings and
// headers. Nothing runs sessions (scheduler off), so the only writers of the
// database are the requests themselves and the runner pool's health checks
// (their columns are left out of the fingerprint).
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const DETAIL_PATH = /^(body|params|query|headers)(\.|$)/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MUTATING = new Set(["POST", "PATCH", "PUT", "DELETE"]);

let h: TestOrchestrator;
let fx: Fixtures;
const bases = new Map<RouteName, RouteRequest>();
beforeAll(async () => {
  // No scheduler and no retention rounds: nothing but the requests may change the state the fuzz compares.
  h = await startTestOrchestrator({
    env: { ORCHESTRATOR_RATE_LIMIT: "0", ORCHESTRATOR_SCHEDULER: "off", ORCHESTRATOR_RETENTION_INTERVAL_MS: "0" },
  });
  fx = createFixtures(h.orc);
  const cast = await createTenantCast(h.orc.url, h.orc.db, "fuzz", DEFAULT_TENANT_ID);
  for (const name of Object.keys(routes) as RouteName[])
    bases.set(name, await routeExamples[name].request(contextOf(fx, cast)));
});
afterAll(async () => {
  fx?.remove();
  await h?.close();
});

/** What is wrong with one answer (null: nothing). */
function judge(c: FuzzCase, a: RouteAnswer): string | null {
  if (a.status >= 500) return `${a.status}: ${a.text.slice(0, 300)}`;
  if (a.status < 400 && c.body?.op === "unknown" && (routes[c.route] as { body?: unknown }).body !== undefined)
    return `${a.status}: an unknown body field was accepted`;
  if (a.status < 400) {
    // A path parameter other than a UUID may reach another route (`stats`, `..`, nothing): only such paths are held to their route's schema.
    const routed = Object.values(c.params ?? {}).every((p) => !p.raw && UUID.test(p.value));
    const parsed = routed ? routes[c.route].response.safeParse(a.json) : null;
    return parsed && !parsed.success
      ? `${a.status} does not match ${c.route}'s response schema: ${parsed.error.message.slice(0, 300)}`
      : null;
  }
  const env = ErrorEnvelope.safeParse(a.json);
  if (!env.success) return `${a.status} without the error envelope: ${a.text.slice(0, 300)}`;
  // Every body is a strict object: an unknown field is refused and named (when the body was read: params, query and headers come first).
  const strict = c.body?.op === "unknown" && (routes[c.route] as { body?: unknown }).body !== undefined;
  const aboutBody = env.data.error.details?.some((d) => d.path.startsWith("body"));
  if (
    strict &&
    a.status === 400 &&
    aboutBody &&
    !env.data.error.details?.some((d) => d.path === `body.${(c.body as { key: string }).key}`)
  )
    return `400 does not name the unknown field: ${a.text.slice(0, 300)}`;
  if (a.status === 400) {
    const details = env.data.error.details ?? [];
    if (details.length === 0) return `400 without details naming the field: ${a.text.slice(0, 300)}`;
    const bad = details.find((d) => !DETAIL_PATH.test(d.path));
    if (bad) return `400 detail path ${JSON.stringify(bad.path)} names no part of the request: ${a.text.slice(0, 300)}`;
  }
  return null;
}

describe(`API fuzz (${process.env.ORCHESTRATOR_TEST_DB})`, () => {
  it(`answers ${RUNS} generated requests without a 5xx, with the error envelope, and changes nothing when it refuses`, async () => {
    const statuses = new Map<number, number>();
    let requests = 0;
    const started = performance.now();
    const reached = new Set<RouteName>();
    let last: Fingerprint = await fingerprintState(h.orc.db);
    const names = Object.keys(routes) as RouteName[];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...names).chain((n) => fuzzCase(n)),
          async (c) => {
            const r = buildFuzzRequest(c, bases.get(c.route)!, TEST_ADMIN_KEY);
            const a = await sendRaw(h.orc.url, r.method, r.pathAndQuery, {
              headers: r.headers,
              ...(r.body === undefined ? {} : { body: r.body }),
            });
            requests++;
            reached.add(c.route);
            statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
            const problem = judge(c, a);
            if (problem) throw new Error(`${r.method} ${r.pathAndQuery.slice(0, 200)}: ${problem}`);
            // GETs change nothing: they are checked with the next refused write, whose fingerprint must equal the last one taken.
            if (!MUTATING.has(r.method)) return;
            const now = await fingerprintState(h.orc.db);
            const changed = changedTables(last, now);
            last = now;
            if (a.status >= 400 && changed.length)
              throw new Error(
                `${r.method} ${r.pathAndQuery.slice(0, 200)} was refused (${a.status}) but changed ${changed.join(", ")}`,
              );
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      );
    } finally {
      console.log(
        `fuzz: ${requests} requests in ${Math.round((performance.now() - started) / 1000)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([x], [y]) => x - y)))}`,
      );
    }
    expect(requests).toBeGreaterThanOrEqual(RUNS);
    if (RUNS >= 10 * names.length) expect([...reached].sort()).toEqual([...names].sort());
    // Bodies carried own `__proto__` and `constructor.prototype` keys: nothing merged them into the shared prototype.
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // ~50 s on a quiet 2-core machine; a CI machine may be 2.5× slower and busy with other suites.
  }, 420_000);
});
