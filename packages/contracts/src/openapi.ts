import { z } from "zod";
import { ErrorEnvelope } from "./common";
import type { RouteDef } from "./routes";

const ERROR_STATUSES: Record<string, string> = {
  "400": "Invalid input (details name each field)",
  "404": "Not found",
  "409": "Invalid transition or conflict",
  "413": "Payload too large",
  "500": "Internal error (logged with the request id)",
  "503": "A dependency is unavailable",
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodType | undefined, where: "path" | "query"): unknown[] {
  if (!schema) return [];
  const js = jsonSchema(schema, "input") as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === "path" || (js.required ?? []).includes(name),
    schema: s,
  }));
}

/** OpenAPI 3.1 generated from the route catalogue: the docs cannot drift from what the server validates. */
export function buildOpenApiDocument(routes: Record<string, RouteDef>, info: { title: string; version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of Object.entries(routes)) {
    const path = r.path.replace(/:(\w+)/g, "{$1}");
    const responses: Record<string, unknown> = {
      [String(r.status ?? 200)]: { description: "OK", content: { "application/json": { schema: jsonSchema(r.response, "output") } } },
    };
    for (const [code, description] of Object.entries(ERROR_STATUSES))
      responses[code] = { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      operationId: name,
      summary: r.summary,
      tags: [r.tag],
      parameters: [...parameters(r.params, "path"), ...parameters(r.query, "query")],
      ...(r.body ? { requestBody: { required: false, content: { "application/json": { schema: jsonSchema(r.body, "input") } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info,
    paths,
    components: { schemas: { Error: jsonSchema(ErrorEnvelope, "output") } },
  };
}
