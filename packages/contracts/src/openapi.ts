import type { Access } from "@industrial/core";
import type { z } from "zod";
import { routeAccess } from "./access";
import { ErrorEnvelope } from "./common";
import { createSchemaComponents, type JsonSchema, type SchemaComponents } from "./openapi-schemas";
import type { RouteDef } from "./routes";

/** Where clients reach the API. The default, `/`, is the origin that served the document. */
export interface OpenApiServer {
  url: string;
  description?: string;
}

export interface OpenApiOptions {
  servers?: OpenApiServer[];
  /** Route name → the least role it needs; the catalogue's own table unless a test passes another. */
  access?: Readonly<Record<string, Access>>;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** The security scheme names, as operations and generated clients see them. */
export const SECURITY_SCHEMES = {
  bearerAuth: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "io_<prefix>_<secret>",
    description:
      "An API key (`orchestrator keys create`, or the admin key printed at first start) in `Authorization: Bearer <key>`.",
  },
  sessionCookie: {
    type: "apiKey",
    in: "cookie",
    name: "io_session",
    description:
      "The dashboard's session, set by `POST /api/v1/auth/login`. Mutating requests that rely on it must carry the server's own `Origin` (CSRF).",
  },
} as const;

const ROLE_NOTE: Record<Access, string> = {
  public: "No key needed.",
  viewer: "Needs a key of role viewer or above.",
  member: "Needs a key of role member or above (a member controls only the sessions and tasks it created).",
  lead: "Needs a key of role lead or above.",
  admin: "Needs a key of role admin.",
};

const TAGS: Record<string, string> = {
  Operations: "Liveness and readiness of this replica.",
  Sessions: "Coding work run by an agent in its own worktree: create, control, follow.",
  Checkpoints: "The hash chain of a session's steps: list, write, verify, restore.",
  Inbox: "Permissions and questions agents put to a person while a session runs, and the answers.",
  Agents: "Agent profiles, their capacity, health and routing.",
  Runners: "The OpenCode servers sessions run on, managed and remote.",
  Tasks: "Work broken into subtasks and dependencies, executed as sessions.",
  Contexts: "Versioned JSON shared between sessions and agents.",
  Tenants: "Tenants, their quotas and budgets.",
  Access: "The caller, sign-in, API keys, users and the audit log.",
};

const error = (description: string, extra: Record<string, unknown> = {}) => ({
  description,
  ...extra,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** Error answers, declared once under `components.responses` (all in the one error envelope). */
const ERROR_RESPONSES = {
  BadRequest: ["400", error("INVALID_INPUT: details name each failing field")],
  Unauthenticated: ["401", error("UNAUTHENTICATED: the key is missing, wrong, revoked or expired")],
  Forbidden: ["403", error("FORBIDDEN: the key's role is below the one this operation needs")],
  NotFound: ["404", error("NOT_FOUND (also another tenant's object)")],
  Conflict: ["409", error("INVALID_TRANSITION, CONFLICT or DEPENDENCY_CYCLE (context says what to reconcile)")],
  PayloadTooLarge: ["413", error("PAYLOAD_TOO_LARGE: the body is over the server's limit")],
  Unprocessable: ["422", error("PRECONDITION_FAILED or BUDGET_EXCEEDED")],
  TooManyRequests: [
    "429",
    error(
      "RATE_LIMITED: this key's request rate is spent, try again after Retry-After; QUOTA_EXCEEDED: the tenant's quota",
      {
        headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } },
      },
    ),
  ],
  Internal: ["500", error("INTERNAL: logged with the request id, never a stack")],
  Unavailable: ["503", error("UNAVAILABLE: a dependency is down")],
} as const;
type ErrorResponse = keyof typeof ERROR_RESPONSES;

/** Every operation can meet these; 401/403 are added where a key is needed. */
const ALWAYS: ErrorResponse[] = [
  "BadRequest",
  "NotFound",
  "Conflict",
  "PayloadTooLarge",
  "Unprocessable",
  "TooManyRequests",
  "Internal",
  "Unavailable",
];
/** Public routes whose body carries a credential: a wrong one is a 401 even though no key is needed to call them. */
const CHECKS_CREDENTIAL_IN_BODY = new Set(["login"]);

function responsesFor(name: string, access: Access): ErrorResponse[] {
  if (access !== "public") return [...ALWAYS, "Unauthenticated", "Forbidden"];
  return CHECKS_CREDENTIAL_IN_BODY.has(name) ? [...ALWAYS, "Unauthenticated"] : ALWAYS;
}

function parameters(
  components: SchemaComponents,
  schema: z.ZodType | undefined,
  where: "path" | "query",
  context: string,
): unknown[] {
  if (!schema) return [];
  const js = components.convert(schema, "input", context) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (js.required ?? []).includes(name),
    schema: s,
  }));
}

/** Required unless the schema accepts no body at all (the actions' `EmptyBody`, a retry's defaults). */
function requestBody(components: SchemaComponents, schema: z.ZodType, context: string) {
  return {
    required: !schema.safeParse(undefined).success,
    content: { "application/json": { schema: components.convert(schema, "input", context) } },
  };
}

/**
 * OpenAPI 3.1 generated from the route catalogue: the docs cannot drift from
 * what the server validates. Self-contained (every `$ref` points into this
 * document), with the security schemes, the role each operation needs
 * (`x-required-role`, from `routeAccess`) and the error answers it can give.
 */
export function buildOpenApiDocument(
  routes: Record<string, RouteDef>,
  info: OpenApiInfo,
  options: OpenApiOptions = {},
): Record<string, unknown> {
  const access: Readonly<Record<string, Access>> = options.access ?? routeAccess;
  const components = createSchemaComponents();
  const errorSchema = components.convert(ErrorEnvelope, "output", "Error");
  if (errorSchema.$ref !== "#/components/schemas/Error")
    throw new Error("the error envelope must be the component Error");

  // Responses first: their forms keep the plain component names (see openapi-schemas.ts).
  const entries = Object.entries(routes);
  const results = new Map(
    entries.map(([name, r]) => [name, components.convert(r.response, "output", `${name}Response`)]),
  );

  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of entries) {
    const role = access[name];
    if (!role) throw new Error(`route ${name} has no row in the access table (routeAccess)`);
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: { description: "OK", content: { "application/json": { schema: results.get(name) } } },
    };
    for (const key of responsesFor(name, role))
      responses[ERROR_RESPONSES[key][0]] = { $ref: `#/components/responses/${key}` };
    const params = [
      ...parameters(components, r.params, "path", `${name}Params`),
      ...parameters(components, r.query, "query", `${name}Query`),
    ];
    if (role !== "public") params.push({ $ref: "#/components/parameters/TenantId" });
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      operationId: name,
      summary: r.summary,
      description: ROLE_NOTE[role],
      tags: [r.tag],
      "x-required-role": role,
      ...(role === "public" ? { security: [] } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: requestBody(components, r.body, `${name}Body`) } : {}),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b))),
    };
  }

  const usedTags = new Set(entries.map(([, r]) => r.tag));
  return {
    openapi: "3.1.0",
    info: {
      description:
        "The REST API of Industrial Orchestrator. Every operation names the least role it needs in `x-required-role`.",
      ...info,
    },
    servers: options.servers ?? [{ url: "/", description: "The orchestrator that served this document" }],
    security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    tags: [...usedTags].map((tag) => ({ name: tag, ...(TAGS[tag] ? { description: TAGS[tag] } : {}) })),
    paths,
    components: {
      schemas: components.schemas(),
      responses: Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([key, [, response]]) => [key, response])),
      parameters: {
        TenantId: {
          name: "X-Tenant-Id",
          in: "header",
          required: false,
          description: "Act in another tenant: only an admin of the default tenant may (also `?tenantId=`).",
          schema: { type: "string", format: "uuid" },
        },
      },
      headers: {
        RetryAfter: { description: "Seconds to wait before the next request", schema: { type: "integer", minimum: 0 } },
      },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}
