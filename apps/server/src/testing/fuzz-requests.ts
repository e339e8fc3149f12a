import { routes, type RouteName } from "@industrial/contracts";
import fc from "fast-check";
import type { z } from "zod";
import { fillPath, type RouteRequest } from "./route-request";

/** What a generated request does to a route's valid example. */
export type BodyMutation =
  | { op: "field"; key: string; value: unknown }
  | { op: "unknown"; key: string; value: unknown }
  | { op: "drop"; key: string }
  | { op: "huge"; key: string; length: number }
  | { op: "deep"; key: string; depth: number; shape: "array" | "object" }
  | { op: "raw"; text: string }
  | { op: "whole"; value: unknown }
  | { op: "contentType"; contentType: string }
  | { op: "empty" };

export interface FuzzCase {
  route: RouteName;
  body: BodyMutation | null;
  /** Per path parameter: the value, and whether it goes into the path unencoded (`..`, `/` and `%` as they are). */
  params: Record<string, { value: string; raw: boolean }> | null;
  query: [string, string][] | null;
  authorization: string | null;
  tenantHeader: string | null;
}

/** The field names a zod object schema declares (through optional, default and refinements); [] for anything else. */
export function schemaKeys(schema: z.ZodType | undefined): string[] {
  let s = schema as unknown as
    { shape?: Record<string, unknown>; _zod?: { def?: { innerType?: unknown; in?: unknown } } } | undefined;
  for (let i = 0; s && i < 5 && !s.shape; i++) s = (s._zod?.def?.innerType ?? s._zod?.def?.in) as typeof s;
  return s?.shape ? Object.keys(s.shape) : [];
}

/** Printable ASCII: what fetch lets a header value carry. */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength });

const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "../../etc/passwd",
  "..%2F..%2Fetc",
  "-1",
  "1e309",
  "NaN",
  "null",
  "{}",
  "[]",
  "😀",
  "\ud800",
  "' OR '1'='1",
  "<script>",
  "%00",
  "a".repeat(5000),
];
/** Own `__proto__` / `constructor` keys (as JSON.parse makes them): a merge that assigns key by key would pollute prototypes. */
const POLLUTER: unknown = JSON.parse(
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"a":{"__proto__":{"polluted":true}}}',
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(POLLUTER),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53, 2 ** 31, 0.5),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);
const nastyText = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.uuid(),
  fc.integer().map(String),
);

function bodyMutation(keys: string[]): fc.Arbitrary<BodyMutation> {
  const key = keys.length
    ? fc.oneof(fc.constantFrom(...keys), fc.string({ minLength: 1, maxLength: 12 }))
    : fc.string({ minLength: 1, maxLength: 12 });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("field" as const), key, value: nastyValue }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("unknown" as const),
        key: fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x_${k}`),
        value: nastyValue,
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("drop" as const), key }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("huge" as const),
        key,
        length: fc.constantFrom(201, 5_001, 100_001, 300_000, 1_100_000),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("deep" as const),
        key,
        depth: fc.constantFrom(64, 255, 300, 1_000, 10_000, 100_000),
        shape: fc.constantFrom("array" as const, "object" as const),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant("raw" as const),
        text: fc.oneof(
          fc.string({ maxLength: 60 }),
          fc.constantFrom("{", '{"a":', "[1,2", "nul", '{"a":1}garbage', "\u0000", "{'a':1}", '{"__proto__":{"x":1}}'),
        ),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("whole" as const), value: fc.jsonValue({ maxDepth: 3 }) }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant("contentType" as const),
        contentType: fc.constantFrom(
          "text/plain",
          "application/x-www-form-urlencoded",
          "multipart/form-data; boundary=x",
          "application/xml",
          "application/json; charset=latin1",
          "application/jsonx",
          "*/*",
          "application/octet-stream",
        ),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ op: "empty" as const }) },
  );
}

/** `a` in one case of eight, else null. */
const rarely = <T>(a: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: a });

const AUTH_FORMS = [
  "Bearer KEY",
  "bearer KEY",
  "BEARER   KEY",
  "Bearer KEY ",
  "Basic KEY",
  "Bearer",
  "Bearer ",
  "KEY",
  "Bearer KEY extra",
  "Bearer KEYKEY",
  "Token KEY",
  "Bearer io_KEY",
  "Bearer ,KEY",
];

/** One generated request against one route of the catalogue. */
export function fuzzCase(name: RouteName): fc.Arbitrary<FuzzCase> {
  const def = routes[name];
  const paramNames = [...def.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const param = fc.record({
    value: fc.oneof(nastyText, fc.constantFrom("stats", "..", ".", "%", "%2F", "a/b")),
    raw: fc.boolean(),
  });
  const queryKeys = [
    ...schemaKeys((def as { query?: z.ZodType }).query),
    "tenantId",
    "token",
    "__proto__",
    "constructor",
  ];
  const queryEntry = fc.tuple(fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 10 })), nastyText);
  return fc.record({
    route: fc.constant(name),
    body:
      def.method === "GET"
        ? fc.constant(null)
        : fc.option(bodyMutation(schemaKeys((def as { body?: z.ZodType }).body)), { freq: 3 }),
    params: paramNames.length
      ? fc.option(fc.record(Object.fromEntries(paramNames.map((p) => [p, param]))), { freq: 3 })
      : fc.constant(null),
    query: fc.option(fc.array(queryEntry, { minLength: 1, maxLength: 4 }), { freq: 3 }),
    // Mostly the valid key and no tenant header: a refused key would end most requests before the parts under test.
    authorization: rarely(
      fc.oneof(
        fc.constantFrom(...AUTH_FORMS),
        headerText(80).map((s) => `Bearer ${s}`),
        headerText(40),
      ),
    ),
    tenantHeader: rarely(
      fc.oneof(fc.uuid(), headerText(40), fc.constantFrom("00000000-0000-0000-0000-000000000000", "../default", "")),
    ),
  });
}

/** The request a case makes of `base` (the route's valid example), sent with `key`. */
export function buildFuzzRequest(
  c: FuzzCase,
  base: RouteRequest,
  key: string,
): { method: string; pathAndQuery: string; body?: string; headers: Record<string, string> } {
  const def = routes[c.route];
  const headers: Record<string, string> = {
    authorization: c.authorization === null ? `Bearer ${key}` : c.authorization.replace(/KEY/g, key),
  };
  if (c.tenantHeader !== null) headers["x-tenant-id"] = c.tenantHeader;
  let path = fillPath(def.path, {
    ...base.params,
    ...Object.fromEntries(
      Object.entries(c.params ?? {})
        .filter(([, v]) => !v.raw)
        .map(([k, v]) => [k, v.value]),
    ),
  });
  for (const [k, v] of Object.entries(c.params ?? {}))
    if (v.raw) path = path.replace(encodeURIComponent(String(base.params?.[k] ?? "")), v.value);
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(base.query ?? {})) q.append(k, String(v));
  for (const [k, v] of c.query ?? []) q.append(k, v);
  const qs = q.toString();
  const out = { method: def.method, pathAndQuery: `${path}${qs ? `?${qs}` : ""}`, headers };
  if (def.method === "GET") return out;
  const b = c.body;
  const baseBody = (base.body ?? {}) as Record<string, unknown>;
  if (!b)
    return base.body === undefined
      ? out
      : { ...out, body: JSON.stringify(base.body), headers: { ...headers, "content-type": "application/json" } };
  const json = (text: string, contentType = "application/json") => ({
    ...out,
    body: text,
    headers: { ...headers, "content-type": contentType },
  });
  switch (b.op) {
    case "field":
    case "unknown":
      return json(JSON.stringify({ ...baseBody, [b.key]: b.value }));
    case "drop": {
      const { [b.key]: _dropped, ...rest } = baseBody;
      return json(JSON.stringify(rest));
    }
    case "huge":
      return json(JSON.stringify({ ...baseBody, [b.key]: "x".repeat(b.length) }));
    case "deep": {
      const nested =
        b.shape === "array"
          ? "[".repeat(b.depth) + "]".repeat(b.depth)
          : '{"a":'.repeat(b.depth) + "1" + "}".repeat(b.depth);
      return json(JSON.stringify({ ...baseBody, [b.key]: "__DEEP__" }).replace('"__DEEP__"', nested));
    }
    case "raw":
      return json(b.text);
    case "whole":
      return json(JSON.stringify(b.value));
    case "contentType":
      return json(JSON.stringify(baseBody), b.contentType);
    case "empty":
      return json("");
  }
}
