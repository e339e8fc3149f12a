import { fileURLToPath } from "node:url";
import { formatProblems, lintFromString, loadConfig, type NormalizedProblem } from "@redocly/openapi-core";
import { describe, expect, it } from "vitest";
import { routeAccess } from "./access";
import { buildOpenApiDocument } from "./openapi";
import { routes } from "./routes";

// The project's lint rules for the document: `recommended`, with each exception's reason written there.
const REDOCLY_CONFIG = fileURLToPath(new URL("../../../redocly.yaml", import.meta.url));

interface Operation {
  operationId: string;
  security?: unknown[];
  parameters?: { $ref?: string }[];
  responses: Record<string, { $ref?: string }>;
  "x-required-role"?: string;
}
interface Doc {
  servers: { url: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    responses: Record<string, { headers?: Record<string, unknown> }>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

const build = () =>
  buildOpenApiDocument(routes, { title: "Industrial Orchestrator API", version: "0.0.0-test" }) as unknown as Doc;
/** One document for the tests that only read it (a build takes a noticeable fraction of a second). */
const shared = build();

const operations = (doc: Doc) => Object.values(doc.paths).flatMap((item) => Object.values(item));

/** What `redocly lint` says about a document, warnings included. */
async function lint(document: unknown): Promise<NormalizedProblem[]> {
  const config = await loadConfig({ configPath: REDOCLY_CONFIG });
  return lintFromString({ source: JSON.stringify(document), absoluteRef: "openapi.json", config });
}

function report(problems: NormalizedProblem[]): string {
  return problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? "?"}`).join("\n");
}

/** Every `$ref` value in a document: each must be a local pointer to something the document holds. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) refs(v, out);
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  return out;
}

function resolve(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>(
      (node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined),
      doc,
    );
}

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended rules with no problem at all", async () => {
    const problems = await lint(shared);
    // formatProblems prints the codeframe a person reads in `redocly lint`; the assertion names each problem.
    if (problems.length)
      formatProblems(problems, { format: "stylish", totals: { errors: 0, warnings: 0, ignored: 0 }, version: "" });
    expect(report(problems)).toBe("");
  });

  it("is self-contained: every $ref resolves inside it, and no zod-local $defs are left", () => {
    const doc = shared;
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((r) => resolve(doc, r) === undefined)).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain("$defs");
  });

  it("names shared and recursive schemas meaningfully", () => {
    const names = Object.keys(shared.components.schemas);
    for (const n of ["Error", "JsonValue", "Session", "SessionStatus", "TaskTree", "ApiKey", "ApiKeyCreated", "Me"])
      expect(names, n).toContain(n);
    // `<context>Recursive<n>` is the fallback for a recursive schema no named one matches: give it a name instead.
    expect(names.filter((n) => /Recursive\d+$|^__/.test(n))).toEqual([]);
    for (const n of names) expect(n).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
  });

  it("writes request forms in place, so a field with a default stays optional for callers", () => {
    const doc = shared as unknown as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>
      >;
    };
    const body = doc.paths["/api/v1/sessions"]?.post?.requestBody?.content["application/json"]?.schema as {
      required?: string[];
      properties: Record<string, unknown>;
    };
    expect(body.required).toEqual(["prompt"]);
    expect(doc.paths["/api/v1/sessions"]?.post?.requestBody).toMatchObject({ required: true });
    expect(doc.paths["/api/v1/sessions/{id}/pause"]?.post?.requestBody).toMatchObject({ required: false });
    expect(body.properties.priority).toEqual({ $ref: "#/components/schemas/Priority", default: "medium" });
    expect(body.properties.metadata).toMatchObject({
      additionalProperties: { $ref: "#/components/schemas/JsonValue" },
    });
  });

  it("is the same document each time it is built (component names do not depend on build state)", () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(shared));
  });

  it("declares servers, the bearer key and the dashboard cookie, and needs one of them by default", () => {
    const doc = shared;
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/" })]);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "io_session",
    });
    expect(doc.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    const custom = buildOpenApiDocument(
      routes,
      { title: "t", version: "1" },
      { servers: [{ url: "https://orchestrator.example.org" }] },
    ) as unknown as Doc;
    expect(custom.servers).toEqual([{ url: "https://orchestrator.example.org" }]);
  });

  it("gives every operation its role from routeAccess, and the errors that role can meet", () => {
    const doc = shared;
    const ops = operations(doc);
    expect(ops.map((o) => o.operationId).sort()).toEqual(Object.keys(routes).sort());
    for (const op of ops) {
      const role = routeAccess[op.operationId as keyof typeof routeAccess];
      expect(op["x-required-role"], op.operationId).toBe(role);
      expect(op.responses["429"], op.operationId).toEqual({ $ref: "#/components/responses/TooManyRequests" });
      if (role === "public") {
        expect(op.security, op.operationId).toEqual([]);
        expect(op.responses["403"], op.operationId).toBeUndefined();
        // Sign-in is public but checks the key in its body: a wrong one is its 401.
        expect(Boolean(op.responses["401"]), op.operationId).toBe(op.operationId === "login");
      } else {
        expect(op.security, op.operationId).toBeUndefined(); // the document's own: bearer or cookie
        expect(op.responses["401"], op.operationId).toEqual({ $ref: "#/components/responses/Unauthenticated" });
        expect(op.responses["403"], op.operationId).toEqual({ $ref: "#/components/responses/Forbidden" });
        expect(op.parameters, op.operationId).toContainEqual({ $ref: "#/components/parameters/TenantId" });
      }
    }
    expect(Object.keys(doc.components.responses.TooManyRequests?.headers ?? {})).toEqual(["Retry-After"]);
  });

  it("refuses a route that has no row in the access table", () => {
    const extra = { ...routes, secret: { ...routes.getSession, path: "/api/v1/secret" } };
    expect(() => buildOpenApiDocument(extra, { title: "t", version: "1" })).toThrow(
      /secret has no row in the access table/,
    );
  });

  it("lints for real: a path item that points into zod's local $defs is refused", async () => {
    // What the document looked like before its $defs were hoisted into components.
    const broken = build() as unknown as { paths: Record<string, Record<string, Operation>> };
    const op = broken.paths["/api/v1/contexts/{id}/keys/{path}"]?.get as unknown as {
      responses: Record<string, unknown>;
    };
    op.responses["200"] = {
      description: "OK",
      content: { "application/json": { schema: { $ref: "#/$defs/__schema0" } } },
    };
    const problems = await lint(broken);
    expect(problems.map((p) => p.ruleId)).toContain("no-unresolved-refs");
  });
});
